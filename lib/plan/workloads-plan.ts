import type { ResolvedSpec } from '../spec/resolve';
import { GPU_TAINT, LABEL, type BoundaryNames } from './names';

/** Container resources (Kubernetes quantities). */
export interface ResourcesPlan {
  readonly requests: Readonly<Record<string, string>>;
  readonly limits: Readonly<Record<string, string>>;
}

/** Where model weights come from. */
export type WeightsPlan =
  | { readonly kind: 's3'; readonly uri: string; readonly bucket: string }
  | { readonly kind: 'pvc'; readonly claim: string; readonly mountPath: string };

/** A vLLM model runtime. */
export interface ModelPlan {
  readonly name: string;
  /** Deployment / Service / ServiceAccount name. */
  readonly workload: string;
  readonly namespace: string;
  readonly image: string;
  readonly replicas: number;
  readonly gpus: number;
  readonly pool: string;
  readonly weights: WeightsPlan;
  /** `vllm` arguments after the executable. */
  readonly args: readonly string[];
  /** Plain environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Name of the Kubernetes Secret holding VLLM_API_KEY. */
  readonly apiKeySecret: string;
  readonly resources: ResourcesPlan;
  /** /dev/shm size (memory-backed emptyDir), needed by tensor-parallel workers. */
  readonly shmSize: string;
  /** Node selector: the pool label. */
  readonly nodeSelector: Readonly<Record<string, string>>;
}

/** A GPU node pool and its scheduling contract. */
export interface PoolPlan {
  readonly name: string;
  readonly provisioner: 'managed-node-group' | 'karpenter';
  readonly instanceTypes: readonly string[];
  readonly gpusPerNode: number;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly capacityType: 'on-demand' | 'spot';
  readonly diskGiB: number;
  readonly amiAlias?: string;
  /** Labels every node of the pool carries. */
  readonly labels: Readonly<Record<string, string>>;
  /** Taints every node of the pool carries. */
  readonly taints: readonly { readonly key: string; readonly value: string; readonly effect: 'NoSchedule' }[];
}

/** Plans model runtimes: vLLM arguments, resources, placement. */
export function planModels(spec: ResolvedSpec, names: BoundaryNames): ModelPlan[] {
  const ns = names.zoneNamespace('models');
  return spec.models.map((m) => {
    const weights: WeightsPlan = m.weights.startsWith('s3://')
      ? { kind: 's3', uri: m.weights, bucket: m.weights.slice(5).split('/')[0] }
      : { kind: 'pvc', claim: m.weights.slice(4), mountPath: `/models/${m.name}` };
    const source = weights.kind === 's3' ? weights.uri : weights.mountPath;
    const args = [
      'serve', source,
      '--served-model-name', m.name,
      '--tensor-parallel-size', String(m.gpus),
      '--host', '0.0.0.0',
      '--port', '8000',
      '--api-key', '$(VLLM_API_KEY)',
      // Prompts stay out of the runtime's logs (the gateway's audit holds metadata only).
      '--disable-log-requests',
      ...(weights.kind === 's3' ? ['--load-format', 'runai_streamer'] : []),
      ...(m.maxModelLen !== undefined ? ['--max-model-len', String(m.maxModelLen)] : []),
    ];
    const env: Record<string, string> = {
      HF_HUB_OFFLINE: '1',
      TRANSFORMERS_OFFLINE: '1',
      VLLM_NO_USAGE_STATS: '1',
      DO_NOT_TRACK: '1',
      HOME: '/tmp',
      HF_HOME: '/tmp/hf',
      XDG_CACHE_HOME: '/tmp/.cache',
      VLLM_CACHE_ROOT: '/tmp/vllm',
      ...(weights.kind === 's3' && spec.aws ? { AWS_REGION: spec.aws.region } : {}),
    };
    return {
      name: m.name,
      workload: names.modelWorkload(m.name),
      namespace: ns,
      image: m.image,
      replicas: m.replicas,
      gpus: m.gpus,
      pool: m.nodePool,
      weights,
      args,
      env,
      apiKeySecret: `${names.modelWorkload(m.name)}-api-key`,
      resources: {
        requests: { cpu: String(2 * m.gpus), memory: `${8 * m.gpus}Gi`, 'nvidia.com/gpu': String(m.gpus) },
        limits: { cpu: String(4 * m.gpus), memory: `${24 * m.gpus}Gi`, 'nvidia.com/gpu': String(m.gpus) },
      },
      shmSize: `${2 * m.gpus}Gi`,
      nodeSelector: { [LABEL.gpuPool]: m.nodePool },
    };
  });
}

/** Plans GPU node pools: the labels and taints both the node side and the pod side agree on. */
export function planPools(spec: ResolvedSpec): PoolPlan[] {
  return spec.gpuNodePools.map((p) => ({
    name: p.name,
    provisioner: p.provisioner,
    instanceTypes: p.instanceTypes,
    gpusPerNode: p.gpusPerNode,
    minNodes: p.minNodes,
    maxNodes: p.maxNodes,
    capacityType: p.capacityType,
    diskGiB: p.diskGiB,
    amiAlias: p.amiAlias,
    labels: { [LABEL.gpuPool]: p.name, [LABEL.gpuPresent]: 'true', [LABEL.boundary]: spec.name },
    taints: [{ ...GPU_TAINT }],
  }));
}
