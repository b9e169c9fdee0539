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
  /**
   * Size limit of the /tmp emptyDir (HOME and every cache: HF, vLLM, torch compile, triton). Bounded so a runaway
   * cache gets the pod evicted instead of filling the node's disk under the other workloads.
   */
  readonly tmpSize: string;
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

/** Size limit of every model runtime's /tmp emptyDir. */
export const MODEL_TMP_SIZE = '10Gi';

/**
 * First vLLM release that no longer logs each request (prompt included) by default: vllm-project/vllm#21739 made
 * request logging opt-in (`--enable-log-requests`) and deprecated `--disable-log-requests`; it shipped in v0.10.1
 * (v0.10.0 still logs by default). The deprecated flag was later removed (vllm-project/vllm#29402), so newer
 * releases refuse to start with it. Sources: https://github.com/vllm-project/vllm/pull/21739,
 * https://docs.vllm.ai/en/v0.12.0/cli/serve/ (`--enable-log-requests` default False, `--disable-log-requests`
 * [DEPRECATED]), https://docs.vllm.ai/en/v0.18.0/cli/serve/ (only `--enable-log-requests`),
 * https://github.com/ray-project/ray/pull/55336 and https://github.com/hiyouga/LlamaFactory/pull/9539 (both switch
 * on `< 0.10.1`).
 */
export const VLLM_REQUEST_LOGGING_OPT_IN_SINCE: readonly [number, number, number] = [0, 10, 1];

/**
 * The `vX.Y.Z` version in a vLLM image reference's tag (`vllm/vllm-openai:v0.8.5@sha256:…` → `[0, 8, 5]`), or
 * undefined when the reference has no tag or the tag is not a `v`-prefixed release version. A suffix after the
 * patch number (`v0.6.4.post1`, `v0.10.1rc1`) is ignored.
 */
export function vllmImageVersion(image: string): [number, number, number] | undefined {
  const withoutDigest = image.split('@')[0];
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon < 0) return undefined;
  const match = /^v(\d+)\.(\d+)\.(\d+)(?!\d)/.exec(lastSegment.slice(colon + 1));
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/**
 * Whether `--disable-log-requests` must be passed to keep prompts out of the runtime's logs: only for images whose
 * tag is a version older than {@link VLLM_REQUEST_LOGGING_OPT_IN_SINCE}. An unknown version gets no flag (the newer
 * default), since newer releases reject the removed flag and would not start.
 */
export function vllmNeedsDisableLogRequests(image: string): boolean {
  const version = vllmImageVersion(image);
  if (!version) return false;
  for (let i = 0; i < 3; i++) {
    if (version[i] !== VLLM_REQUEST_LOGGING_OPT_IN_SINCE[i]) return version[i] < VLLM_REQUEST_LOGGING_OPT_IN_SINCE[i];
  }
  return false;
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
      // No `--api-key`: `vllm serve` reads VLLM_API_KEY from its environment (filled from the runtime's Secret) and
      // then requires it on the API routes (https://docs.vllm.ai/en/stable/configuration/env_vars/, VLLM_API_KEY;
      // vllm/entrypoints/openai/api_server.py). A key in argv would be readable in `ps` and in logged command lines.
      // Prompts stay out of the runtime's logs (the gateway's audit holds metadata only): old releases need the flag.
      ...(vllmNeedsDisableLogRequests(m.image) ? ['--disable-log-requests'] : []),
      ...(weights.kind === 's3' ? ['--load-format', 'runai_streamer'] : []),
      ...(m.maxModelLen !== undefined ? ['--max-model-len', String(m.maxModelLen)] : []),
    ];
    const env: Record<string, string> = {
      HF_HUB_OFFLINE: '1',
      TRANSFORMERS_OFFLINE: '1',
      VLLM_NO_USAGE_STATS: '1',
      DO_NOT_TRACK: '1',
      HOME: '/tmp',
      // The pod runs as a uid with no passwd entry; torch's getpass.getuser() (cache paths) then raises. USER answers it.
      USER: 'vllm',
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
      tmpSize: MODEL_TMP_SIZE,
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
