import { App } from 'cdk8s';
import { stringify } from 'yaml';
import { BoundaryChart } from '../../charts/boundary-chart';
import type { BoundaryPlan } from '../plan/boundary-plan';

/** A Kubernetes object as synthesized (plain JSON). */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly [key: string]: unknown;
}

/** Apply order: what others live in or refer to comes first. */
const KIND_ORDER = [
  'Namespace', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ResourceQuota', 'LimitRange',
  'NetworkPolicy', 'SecretStore', 'ExternalSecret', 'ConfigMap', 'EC2NodeClass', 'NodePool', 'Service', 'Deployment',
  'PodDisruptionBudget', 'Job', 'Ingress',
];

/** Synthesizes the in-cluster layer of a boundary with cdk8s: one App, one chart; objects in apply order. */
export function synthKubernetesObjects(plan: BoundaryPlan): K8sObject[] {
  const app = new App({ outdir: '/nonexistent-never-written', recordConstructMetadata: false });
  const chart = new BoundaryChart(app, plan.name, { plan });
  const objects = chart.toJson() as K8sObject[];
  return sortObjects(objects);
}

/** Sorts objects by apply order, then namespace, then name (deterministic output). */
export function sortObjects(objects: readonly K8sObject[]): K8sObject[] {
  const rank = (k: string): number => {
    const i = KIND_ORDER.indexOf(k);
    return i === -1 ? KIND_ORDER.length : i;
  };
  return [...objects].sort((a, b) => rank(a.kind) - rank(b.kind) || a.kind.localeCompare(b.kind)
    || (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name));
}

/** Renders objects as one multi-document YAML stream with sorted keys. */
export function toYamlStream(objects: readonly K8sObject[]): string {
  return objects.map((o) => stringify(o, { sortMapEntries: true, lineWidth: 0 })).join('---\n');
}
