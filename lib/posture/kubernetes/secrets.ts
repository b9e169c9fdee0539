/** Reads the remote secrets ExternalSecrets sync: their store, who reads each value, and the owners who set them. */
import { ordinal, type K8sObject } from '../../k8s/k8s-object';
import { sortEvidence, uniqueSorted } from '../normalize';
import { podTemplates, secretsReadBy, serviceAccountUser } from '../normalize-workloads';
import type { EvidenceRef, SecretEntry } from '../types';
import { refOf } from './manifests';
import { ANNOTATION as A } from '../../plan/names';

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are read as data of many shapes */

/** The store kind a (Cluster)SecretStore provides, as the spec names stores. */
function storeKind(store: K8sObject | undefined, refKind: string): string {
  if (!store) return refKind === 'ClusterSecretStore' ? 'existing-cluster-store' : 'unknown-store';
  const provider = (store.spec as any)?.provider ?? {};
  if (provider.aws) return provider.aws.service === 'ParameterStore' ? 'aws-parameter-store' : 'aws-secrets-manager';
  if (store.kind === 'ClusterSecretStore' && !provider.vault) return 'existing-cluster-store';
  return Object.keys(provider).sort(ordinal)[0] ?? 'unknown-store';
}

/** The service account a store authenticates as (AWS web identity or Vault Kubernetes auth), as a Kubernetes user name. */
function storeIdentity(store: K8sObject | undefined): string | undefined {
  const provider = (store?.spec as any)?.provider ?? {};
  const ref = provider.aws?.auth?.jwt?.serviceAccountRef ?? provider.vault?.auth?.kubernetes?.serviceAccountRef;
  if (!store || !ref?.name) return undefined;
  return `system:serviceaccount:${ref.namespace ?? store.metadata.namespace ?? 'default'}:${ref.name}`;
}

/**
 * One entry per remote secret an ExternalSecret syncs: the store, and who reads the value — the service accounts of
 * the pods that read the synced Secret (env, envFrom, volumes) and the identity the store fetches it with.
 */
export function externalSecrets(objects: readonly K8sObject[], index: ReadonlyMap<string, K8sObject>) {
  const readersBySecret = new Map<string, { users: Set<string>; refs: EvidenceRef[] }>();
  for (const t of podTemplates(objects)) {
    const ns = t.owner.metadata.namespace ?? 'default';
    for (const secret of secretsReadBy(t.pod)) {
      const entry = readersBySecret.get(`${ns}/${secret}`) ?? { users: new Set<string>(), refs: [] };
      entry.users.add(serviceAccountUser(ns, t.pod));
      entry.refs.push(refOf(t.owner));
      readersBySecret.set(`${ns}/${secret}`, entry);
    }
  }
  const entries: SecretEntry[] = [];
  const owners: { secret: string; owner: string }[] = [];
  for (const es of objects) {
    if (es.kind !== 'ExternalSecret') continue;
    const spec = (es.spec ?? {}) as any;
    const ns = es.metadata.namespace ?? 'default';
    const refKind = spec.secretStoreRef?.kind ?? 'SecretStore';
    const store = refKind === 'ClusterSecretStore' ? index.get(`ClusterSecretStore/${spec.secretStoreRef?.name}`) : index.get(`SecretStore/${ns}/${spec.secretStoreRef?.name}`);
    const kind = storeKind(store, refKind);
    const target = spec.target?.name ?? es.metadata.name;
    const readers = readersBySecret.get(`${ns}/${target}`);
    const identity = storeIdentity(store);
    const remoteKeys = uniqueSorted([
      ...(spec.data ?? []).map((d: any) => d.remoteRef?.key).filter(Boolean),
      ...(spec.dataFrom ?? []).map((d: any) => d.extract?.key ?? (d.find ? `find:${JSON.stringify(d.find)}` : undefined)).filter(Boolean),
    ]);
    const owner = es.metadata.annotations?.[A.owner];
    for (const remoteKey of remoteKeys) {
      entries.push({
        key: `secret/${kind}/${remoteKey}`, store: kind, name: remoteKey,
        readers: uniqueSorted([...(readers?.users ?? []), ...(identity ? [identity] : [])]),
        evidence: sortEvidence([refOf(es), ...(store ? [refOf(store)] : []), ...(readers?.refs ?? [])]),
      });
      if (owner && owner !== 'generated') owners.push({ secret: remoteKey, owner });
    }
  }
  return { entries, owners };
}
