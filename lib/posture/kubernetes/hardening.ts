/** Reads namespace hardening (Pod Security labels, containers off the baseline) and the encryption of Karpenter node volumes. */
import type { K8sObject } from '../../k8s/k8s-object';
import { sortEvidence, uniqueSorted } from '../normalize';
import { baselineDeviations, podTemplates } from '../normalize-workloads';
import type { AtRestEncryption, NamespaceHardening, PssLevel, StoreEncryption } from '../types';
import { refOf } from './manifests';

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are read as data of many shapes */

function pssLevel(value: string | undefined): PssLevel {
  return value === 'restricted' || value === 'baseline' ? value : 'privileged';
}

/** Pod Security labels of every Namespace object, and the containers of that namespace that deviate from the baseline. */
export function hardening(objects: readonly K8sObject[]): NamespaceHardening[] {
  const templates = podTemplates(objects);
  return objects.filter((o) => o.kind === 'Namespace').map((n) => {
    const labels = n.metadata.labels ?? {};
    const mine = templates.filter((t) => t.owner.metadata.namespace === n.metadata.name);
    const deviating = mine.map((t) => ({ t, d: baselineDeviations(t) })).filter((x) => x.d.length > 0);
    return {
      key: `hardening/${n.metadata.name}`,
      evidence: sortEvidence([refOf(n), ...deviating.map((x) => refOf(x.t.owner))]),
      namespace: n.metadata.name,
      pss: {
        enforce: pssLevel(labels['pod-security.kubernetes.io/enforce']),
        audit: pssLevel(labels['pod-security.kubernetes.io/audit']),
        warn: pssLevel(labels['pod-security.kubernetes.io/warn']),
      },
      deviations: uniqueSorted(deviating.flatMap((x) => x.d)),
    };
  });
}

/** EBS volumes of a Karpenter EC2NodeClass: encrypted with a named key (`cmk`), the default key, or not at all. */
export function nodeClassEncryption(o: K8sObject): StoreEncryption[] {
  return (((o.spec as any)?.blockDeviceMappings ?? []) as any[]).map((m) => {
    const ebs = m.ebs ?? {};
    const atRest: AtRestEncryption = ebs.encrypted !== true ? 'none' : ebs.kmsKeyID && !/alias\/aws\/ebs$/.test(ebs.kmsKeyID) ? 'cmk' : 'aws-managed';
    return { key: `encryption/ebs/${o.metadata.name}${m.deviceName}`, evidence: [refOf(o)], kind: 'ebs' as const, name: `${o.metadata.name}${m.deviceName}`, atRest };
  });
}
