import type { ModelPlan } from './workloads-plan';

/**
 * Per-container resource defaults and ceilings of the boundary's namespaces (the Kubernetes target renders them as a
 * LimitRange, https://kubernetes.io/docs/concepts/policy/limit-range/). Defaults give every container requests and
 * limits even when its author forgot them; the ceiling keeps one container from taking a whole node.
 */

/** CPU and memory quantities (Kubernetes quantity strings). */
export interface CpuMemory {
  /** CPU, e.g. `100m` or `4`. */
  readonly cpu: string;
  /** Memory, e.g. `128Mi` or `8Gi`. */
  readonly memory: string;
}

/** Container defaults and ceiling of one namespace. */
export interface ContainerLimitsPlan {
  /** Requests a container gets when it declares none. */
  readonly defaultRequest: CpuMemory;
  /** Limits a container gets when it declares none. */
  readonly defaultLimit: CpuMemory;
  /** The largest request or limit one container may declare. */
  readonly max: CpuMemory;
}

/** Defaults of every namespace: small requests, a modest limit. */
export const CONTAINER_DEFAULTS: Pick<ContainerLimitsPlan, 'defaultRequest' | 'defaultLimit'> = {
  defaultRequest: { cpu: '100m', memory: '128Mi' },
  defaultLimit: { cpu: '1', memory: '1Gi' },
};

/** Ceiling of one container that uses no GPU: a fraction of any GPU instance the spec can name (g5/g6 start at 4 vCPU / 16 GiB). */
export const CPU_CONTAINER_MAX: CpuMemory = { cpu: '4', memory: '8Gi' };

/** Extra ceiling per GPU a team may request (its `gpuQuota`): the same per-GPU limits the model runtimes get (workloads-plan.ts). */
export const PER_GPU_CONTAINER_MAX = { cpuCores: 4, memoryGiB: 24 } as const;

/** Container limits of a namespace: the model zone's ceiling fits its largest model runtime, a team's fits its GPU quota. */
export function planContainerLimits(
  ns: { readonly role: 'zone' | 'team'; readonly zone?: string },
  models: readonly ModelPlan[],
  gpuQuota: number = 0,
): ContainerLimitsPlan {
  let max = CPU_CONTAINER_MAX;
  if (ns.role === 'zone' && ns.zone === 'models') {
    for (const m of models) max = larger(max, { cpu: m.resources.limits.cpu, memory: m.resources.limits.memory });
  } else if (ns.role === 'team' && gpuQuota > 0) {
    max = larger(max, { cpu: String(PER_GPU_CONTAINER_MAX.cpuCores * gpuQuota), memory: `${PER_GPU_CONTAINER_MAX.memoryGiB * gpuQuota}Gi` });
  }
  return { ...CONTAINER_DEFAULTS, max };
}

/** Component-wise larger of two quantity pairs. */
function larger(a: CpuMemory, b: CpuMemory): CpuMemory {
  return {
    cpu: quantityValue(b.cpu) > quantityValue(a.cpu) ? b.cpu : a.cpu,
    memory: quantityValue(b.memory) > quantityValue(a.memory) ? b.memory : a.memory,
  };
}

const SUFFIX: Record<string, number> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40,
};

/** Numeric value of a plain Kubernetes quantity (`4`, `500m`, `24Gi`); throws on a form the plan never produces. */
export function quantityValue(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(q);
  if (!m) throw new Error(`internal: unsupported quantity ${JSON.stringify(q)}`);
  return Number(m[1]) * SUFFIX[m[2] ?? ''];
}
