import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { BoundaryPlan } from '../plan/boundary-plan';
import { PORTS } from '../plan/names';
import type { ModelPlan, PoolPlan } from '../plan/workloads-plan';
import { hardenedDeployment } from './hardened-deployment';
import { objectMeta, workloadLabels, workloadSelector } from './labels';
import { NON_ROOT_UID } from '../plan/hardening';
import { restrictedContainerSecurity } from './pod-security';

/** Key of the runtime's API key in its Secret, and the env var `vllm serve` reads it from (never passed in argv). */
export const VLLM_API_KEY_ENV = 'VLLM_API_KEY';

/**
 * How long a runtime may take to become healthy: weights stream from S3 or a volume and load onto the GPUs for
 * many minutes. The startup probe allows `period × failureThreshold` = 30 min before the kubelet restarts it;
 * liveness and readiness only start once it has succeeded.
 */
export const MODEL_STARTUP_PROBE = { periodSeconds: 10, failureThreshold: 180 } as const;

/** Name of the memory-backed volume mounted at /dev/shm. */
const SHM_VOLUME = 'dshm';

/** Name of the volume mounted at /tmp. */
const TMP_VOLUME = 'tmp';

/** cdk8s-plus spelling of each taint effect a pool plan may carry. */
const TAINT_EFFECTS: Record<PoolPlan['taints'][number]['effect'], kplus.TaintEffect> = { NoSchedule: kplus.TaintEffect.NO_SCHEDULE };

/** Props of {@link ModelRuntime}. */
export interface ModelRuntimeProps {
  /** The plan of the boundary. */
  readonly plan: BoundaryPlan;
  /** The model runtime to render (one of `plan.models`). */
  readonly model: ModelPlan;
}

/**
 * One vLLM OpenAI-compatible server: ServiceAccount, Deployment on the model's GPU pool, ClusterIP Service.
 * Every setting comes from the {@link ModelPlan}; this construct only maps it onto Kubernetes objects.
 */
export class ModelRuntime extends Construct {
  /** The vLLM Deployment. */
  public readonly deployment: kplus.Deployment;
  /** The ClusterIP Service the gateway calls. */
  public readonly service: kplus.Service;

  constructor(scope: Construct, id: string, props: ModelRuntimeProps) {
    super(scope, id);
    const { plan, model } = props;
    const labels = workloadLabels(plan, model.workload, 'model-runtime');
    const selector = workloadSelector(plan, model.workload);
    const meta = { ...objectMeta(plan, model.workload, model.namespace), labels };

    // The AWS target associates the model's Pod Identity role (S3 weights) with this ServiceAccount by name;
    // the pod itself never talks to the Kubernetes API, so no token is mounted.
    const serviceAccount = new kplus.ServiceAccount(this, 'service-account', { metadata: meta, automountToken: false });

    this.deployment = hardenedDeployment(this, 'deployment', {
      plan, name: model.workload, namespace: model.namespace, component: 'model-runtime', replicas: model.replicas, serviceAccount,
      // GPUs are scarce: a surge pod would sit Pending on a full pool. Replace one pod at a time instead
      // (equivalent to Recreate with one replica; with several, the others keep serving while one reloads).
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.absolute(0),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(1),
      }),
      // A rollout legitimately waits for the startup probe (weights loading) before it progresses.
      progressDeadline: Duration.seconds(MODEL_STARTUP_PROBE.periodSeconds * MODEL_STARTUP_PROBE.failureThreshold + 600),
    });

    const apiKeySecret = kplus.Secret.fromSecretName(this, 'api-key', model.apiKeySecret);
    const probe = (options: kplus.HttpGetProbeOptions) => kplus.Probe.fromHttpGet('/health', { port: PORTS.vllm, ...options });
    const container = this.deployment.addContainer({
      name: 'vllm',
      image: model.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: ['vllm'],
      args: [...model.args],
      envVariables: {
        ...Object.fromEntries(Object.entries(model.env).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
        [VLLM_API_KEY_ENV]: kplus.EnvValue.fromSecretValue({ secret: apiKeySecret, key: VLLM_API_KEY_ENV }),
      },
      ports: [{ name: 'http', number: PORTS.vllm, protocol: kplus.Protocol.TCP }],
      startup: probe({
        periodSeconds: Duration.seconds(MODEL_STARTUP_PROBE.periodSeconds),
        failureThreshold: MODEL_STARTUP_PROBE.failureThreshold,
        timeoutSeconds: Duration.seconds(5),
      }),
      readiness: probe({ periodSeconds: Duration.seconds(10), failureThreshold: 3, timeoutSeconds: Duration.seconds(5) }),
      liveness: probe({ periodSeconds: Duration.seconds(20), failureThreshold: 3, timeoutSeconds: Duration.seconds(10) }),
      securityContext: restrictedContainerSecurity(NON_ROOT_UID),
    });

    // Tensor-parallel workers exchange tensors through shared memory; the default 64Mi /dev/shm is far too small.
    const shm = kplus.Volume.fromEmptyDir(this, 'shm', SHM_VOLUME, { medium: kplus.EmptyDirMedium.MEMORY });
    container.mount('/dev/shm', shm);
    // Read-only root filesystem: HOME and every cache (HF, vLLM, torch compile, triton) point under /tmp.
    container.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'tmp', TMP_VOLUME));
    const weights = model.weights;
    switch (weights.kind) {
      case 's3':
        // Streamed straight from S3 (--load-format runai_streamer) with the Pod Identity role: nothing to mount.
        break;
      case 'pvc': {
        const claim = kplus.PersistentVolumeClaim.fromClaimName(this, 'weights-claim', weights.claim);
        const volume = kplus.Volume.fromPersistentVolumeClaim(this, 'weights', claim, { name: 'weights', readOnly: true });
        container.mount(weights.mountPath, volume, { readOnly: true });
        break;
      }
      default: {
        const never: never = weights;
        throw new Error(`ModelRuntime: unknown weights kind ${JSON.stringify(never)}`);
      }
    }

    // Tolerate exactly the taints of the model's pool (the GPU taint), from the same PoolPlan the node side renders.
    const pool = plan.pools.find((p) => p.name === model.pool);
    if (!pool) throw new Error(`ModelRuntime: ${model.name}: pool ${model.pool} is not planned`);
    this.deployment.scheduling.tolerate(kplus.Node.tainted(
      ...pool.taints.map((t) => kplus.NodeTaintQuery.exists(t.key, { effect: TAINT_EFFECTS[t.effect] })),
    ));
    const deployment = ApiObject.of(this.deployment);
    // cdk8s-plus has no plain nodeSelector, its resources know no extended resources (nvidia.com/gpu) and it
    // rewrites an emptyDir sizeLimit in Mi: these values are patched in as the plan spells them. The L1 object
    // re-serializes the patched spec, so every quantity must be a k8s.Quantity (a plain string would render as null).
    deployment.addJsonPatch(
      JsonPatch.add('/spec/template/spec/nodeSelector', { ...model.nodeSelector }),
      JsonPatch.add('/spec/template/spec/containers/0/resources', {
        requests: quantities(model.resources.requests),
        limits: quantities(model.resources.limits),
      }),
      // /dev/shm and /tmp are the first two volumes added above; the test ops make synthesis fail rather than
      // patch other ones.
      JsonPatch.test('/spec/template/spec/volumes/0/name', SHM_VOLUME),
      JsonPatch.add('/spec/template/spec/volumes/0/emptyDir/sizeLimit', k8s.Quantity.fromString(model.shmSize)),
      JsonPatch.test('/spec/template/spec/volumes/1/name', TMP_VOLUME),
      JsonPatch.add('/spec/template/spec/volumes/1/emptyDir/sizeLimit', k8s.Quantity.fromString(model.tmpSize)),
    );

    this.service = new kplus.Service(this, 'service', {
      metadata: meta,
      type: kplus.ServiceType.CLUSTER_IP,
      ports: [{ name: 'http', port: PORTS.vllm, targetPort: PORTS.vllm, protocol: kplus.Protocol.TCP }],
    });
    for (const [key, value] of Object.entries(selector)) this.service.selectLabel(key, value);
  }
}

/** Quantities of a resource map as `k8s.Quantity`, which the L1 serializer keeps as strings. */
function quantities(values: Readonly<Record<string, string>>): Record<string, k8s.Quantity> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, k8s.Quantity.fromString(value)]));
}
