import { App } from 'cdk8s';
import { stringify } from 'yaml';
import { ordinal, type K8sObject } from '../lib/k8s/k8s-object';
import type { BoundaryPlan } from '../lib/plan/boundary-plan';
import { BoundaryChart } from './boundary-chart';

/** Apply order: what others live in or refer to comes first. */
const KIND_ORDER = [
  'Namespace', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding',
  'Role', 'RoleBinding', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'SecretStore', 'ExternalSecret', 'ConfigMap', 'EC2NodeClass',
  'NodePool', 'Service', 'Deployment', 'PodDisruptionBudget', 'Job', 'Ingress',
];

/** Synthesizes the in-cluster layer of a boundary with cdk8s: one App, one chart (linear cost); objects in apply order. */
export function synthKubernetesObjects(plan: BoundaryPlan): K8sObject[] {
  const app = new App({ outdir: '/nonexistent-never-written', recordConstructMetadata: false });
  const chart = new BoundaryChart(app, plan.name, { plan });
  return sortObjects(chart.toJson() as K8sObject[]);
}

/** Sorts objects by apply order, then namespace, then name; ordinal comparison, so no locale changes the output. */
export function sortObjects(objects: readonly K8sObject[]): K8sObject[] {
  const rank = (k: string): number => {
    const i = KIND_ORDER.indexOf(k);
    return i === -1 ? KIND_ORDER.length : i;
  };
  return [...objects].sort((a, b) => rank(a.kind) - rank(b.kind) || ordinal(a.kind, b.kind)
    || ordinal(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || ordinal(a.metadata.name, b.metadata.name));
}

/** Renders objects as one multi-document YAML stream with sorted keys. */
export function toYamlStream(objects: readonly K8sObject[]): string {
  return objects.map((o) => stringify(o, { sortMapEntries: true, lineWidth: 0 })).join('---\n');
}
