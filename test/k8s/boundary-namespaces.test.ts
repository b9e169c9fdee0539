import { App, Chart } from 'cdk8s';
import { BoundaryNamespaces, LIMIT_RANGE_NAME } from '../../lib/k8s/boundary-namespaces';
import { podSecurityLabels } from '../../lib/k8s/pod-security';
import type { K8sObject } from '../../lib/k8s/k8s-object';
import { CPU_CONTAINER_MAX, LABEL, PER_GPU_CONTAINER_MAX, quantityValue, type BoundaryPlan } from '../../lib/plan';
import { examplePlans, objectsOf, ofKind, podTemplates } from '../helpers/examples';
import { validateK8sObjects } from '../helpers/k8s-schema';

type Quantities = Record<string, string>;
interface LimitItem { type: string; default?: Quantities; defaultRequest?: Quantities; max?: Quantities }

/** Only the namespaces construct, in a chart of its own. */
function synthNamespaces(plan: BoundaryPlan): K8sObject[] {
  const chart = new Chart(new App({ recordConstructMetadata: false }), 'test', { disableResourceNameHashes: true });
  new BoundaryNamespaces(chart, 'namespaces', { plan });
  return chart.toJson() as K8sObject[];
}

const itemsOf = (o: K8sObject): LimitItem[] => (o as unknown as { spec: { limits: LimitItem[] } }).spec.limits;
/** CPU and memory of a container, a LimitRange item or the plan. */
type CpuMem = { readonly cpu?: string; readonly memory?: string };
/** `a ≤ b` for cpu and memory; a resource `a` does not set is within. */
function within(a: CpuMem, b: CpuMem): boolean {
  return (['cpu', 'memory'] as const).every((r) => a[r] === undefined || (b[r] !== undefined && quantityValue(a[r]) <= quantityValue(b[r])));
}

describe.each(examplePlans())('namespaces of %s', (_name, plan) => {
  const objs = synthNamespaces(plan);
  const namespaces = ofKind(objs, 'Namespace');
  const limitRanges = ofKind(objs, 'LimitRange');

  test('objects are valid against the Kubernetes schema', () => {
    expect(validateK8sObjects(objs)).toEqual([]);
  });

  test('one Namespace per planned namespace, zones and teams', () => {
    expect(namespaces.map((n) => n.metadata.name).sort()).toEqual(plan.namespaces.map((n) => n.name).sort());
    expect(namespaces.filter((n) => n.metadata.namespace !== undefined)).toEqual([]);
    expect(plan.namespaces.filter((n) => n.role === 'zone').map((n) => n.zone)).toEqual(['gateway', 'models', 'data']);
    expect(plan.namespaces.filter((n) => n.role === 'team').map((n) => n.team)).toEqual(plan.spec.teams.map((t) => t.name));
  });

  test('every namespace enforces, audits and warns on Pod Security "restricted" at the cluster version', () => {
    for (const ns of namespaces) {
      expect(ns.metadata.labels).toMatchObject(podSecurityLabels(plan.kubernetesVersion));
      expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
      expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce-version']).toBe(`v${plan.spec.kubernetes.version}`);
    }
  });

  test('namespaces carry the common labels and their zone or team', () => {
    for (const n of plan.namespaces) {
      const obj = namespaces.find((o) => o.metadata.name === n.name);
      expect(obj?.metadata.labels).toMatchObject({ ...plan.commonLabels, ...(n.role === 'zone' ? { [LABEL.zone]: n.zone } : { [LABEL.team]: n.team }) });
    }
    expect(limitRanges.filter((o) => !Object.entries(plan.commonLabels).every(([k, v]) => o.metadata.labels?.[k] === v))).toEqual([]);
  });

  test('a LimitRange "defaults" in every namespace gives containers requests, limits and a ceiling', () => {
    expect(limitRanges.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort())
      .toEqual(plan.namespaces.map((n) => `${n.name}/${LIMIT_RANGE_NAME}`).sort());
    for (const n of plan.namespaces) {
      const lr = limitRanges.find((o) => o.metadata.namespace === n.name)!;
      expect(itemsOf(lr)).toEqual([{
        type: 'Container',
        defaultRequest: { ...n.containerLimits.defaultRequest },
        default: { ...n.containerLimits.defaultLimit },
        max: { ...n.containerLimits.max },
      }]);
      const [item] = itemsOf(lr);
      expect(within(item.defaultRequest!, item.default!)).toBe(true);
      expect(within(item.default!, item.max!)).toBe(true);
    }
  });

  test('the ceiling stays at the CPU-container maximum except where GPUs are declared', () => {
    const gpuNamespaces = new Set([
      ...(plan.models.length > 0 ? [plan.names.zoneNamespace('models')] : []),
      ...plan.access.teams.filter((t) => t.gpuQuota > 0).map((t) => t.namespace),
    ]);
    expect(plan.namespaces.filter((n) => !gpuNamespaces.has(n.name) && !within(n.containerLimits.max, CPU_CONTAINER_MAX) )).toEqual([]);
    // The model zone fits its largest runtime, and nothing larger.
    const modelsMax = plan.namespaces.find((n) => n.zone === 'models')!.containerLimits.max;
    expect(plan.models.filter((m) => !within(m.resources.limits, modelsMax))).toEqual([]);
    // A GPU team fits its quota at the model runtimes' per-GPU ratio.
    expect(plan.access.teams.map((t) => within(
      { cpu: String(PER_GPU_CONTAINER_MAX.cpuCores * t.gpuQuota), memory: `${PER_GPU_CONTAINER_MAX.memoryGiB * t.gpuQuota}Gi` },
      plan.namespaces.find((n) => n.name === t.namespace)!.containerLimits.max,
    ))).toEqual(plan.access.teams.map(() => true));
  });

  test('in the whole chart, every container fits the ceiling of its namespace', () => {
    const max = new Map(plan.namespaces.map((n) => [n.name, { ...n.containerLimits.max }]));
    const containers = podTemplates(objectsOf(plan)).flatMap(({ owner, pod }) =>
      [...(pod.initContainers ?? []), ...pod.containers].map((c: { name: string; resources?: { requests?: Quantities; limits?: Quantities } }) => ({
        where: `${owner.metadata.namespace}/${owner.metadata.name}/${c.name}`, ns: owner.metadata.namespace!, resources: c.resources ?? {},
      })));
    expect(containers.length).toBeGreaterThan(0);
    expect(containers.filter((c) => !max.has(c.ns)).map((c) => c.where)).toEqual([]);
    expect(containers.filter((c) => !within(c.resources.limits ?? {}, max.get(c.ns)!) || !within(c.resources.requests ?? {}, max.get(c.ns)!))
      .map((c) => c.where)).toEqual([]);
  });
});
