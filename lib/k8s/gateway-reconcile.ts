import { createHash } from 'crypto';
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { BoundaryPlan } from '../plan/boundary-plan';
import { readAsset } from './assets';
import { removeConstructAddressLabel, workloadLabels } from './labels';
import { restrictedContainerSecurity, restrictedPodSecurity } from './pod-security';

/** Props of {@link GatewayReconcile}. */
export interface GatewayReconcileProps {
  /** The plan of the boundary. */
  readonly plan: BoundaryPlan;
}

/** Workload name of the reconcile Job (ServiceAccount, ConfigMap, selector label; the Job name adds a content hash). */
export const RECONCILE_WORKLOAD = 'gateway-reconcile';

/** Where the desired state and the script are mounted in the Job's container. */
export const RECONCILE_DIR = '/etc/pab';

/** Secret id (in `plan.secrets`) of the gateway master key the Job authenticates with. */
export const MASTER_KEY_SECRET_ID = 'gateway/master-key';

/** JSON with object keys sorted at every level, 2-space indent and a trailing newline (deterministic bytes). */
export function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

/** Name of the reconcile Job: Jobs are immutable, so each desired state (or script) gets its own Job. */
export function reconcileJobName(desiredStateJson: string, script: string): string {
  const digest = createHash('sha256').update(desiredStateJson).update(script).digest('hex');
  return `${RECONCILE_WORKLOAD}-${digest.slice(0, 10)}`;
}

/**
 * Converges the gateway's teams (LiteLLM database) to the spec after each deploy: a ConfigMap with the desired
 * state and the script (assets/gateway-reconcile.py), and a Job running it in the gateway image with the master key.
 */
export class GatewayReconcile extends Construct {
  /** The reconcile Job. */
  public readonly job: kplus.Job;

  constructor(scope: Construct, id: string, props: GatewayReconcileProps) {
    super(scope, id);
    const { plan } = props;
    const ns = plan.gateway.namespace;
    const labels = workloadLabels(plan, RECONCILE_WORKLOAD, 'reconcile');
    const desiredState = sortedJson(plan.gateway.desiredState);
    const script = readAsset('gateway-reconcile.py');
    const masterKey = plan.secrets.secrets.find((s) => s.id === MASTER_KEY_SECRET_ID);
    if (!masterKey || masterKey.keys.length !== 1) {
      throw new Error(`internal: plan.secrets has no single-key secret ${MASTER_KEY_SECRET_ID}; the plan always derives it`);
    }

    const serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata: { name: RECONCILE_WORKLOAD, namespace: ns, labels },
      automountToken: false,
    });
    const config = new kplus.ConfigMap(this, 'config', {
      metadata: { name: RECONCILE_WORKLOAD, namespace: ns, labels },
      data: { 'desired-state.json': desiredState, 'reconcile.py': script },
    });

    this.job = new kplus.Job(this, 'job', {
      metadata: { name: reconcileJobName(desiredState, script), namespace: ns, labels },
      // The Job controller generates its own selector; our labels only go on the pods (network policies select them).
      select: false,
      podMetadata: { labels },
      serviceAccount,
      automountServiceAccountToken: false,
      securityContext: restrictedPodSecurity(),
      // Never: each attempt is a new pod whose logs stay readable; the script is idempotent.
      restartPolicy: kplus.RestartPolicy.NEVER,
      backoffLimit: 6,
      // Covers the gateway's first start (migrations, up to 10 min), the readiness wait and the retries.
      activeDeadline: Duration.minutes(30),
    });

    const secretRef = kplus.Secret.fromSecretName(this, 'master-key', masterKey.name);
    this.job.addContainer({
      name: 'reconcile',
      image: plan.gateway.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      // `command` replaces the image's LiteLLM entrypoint.
      command: ['python3', `${RECONCILE_DIR}/reconcile.py`],
      envVariables: {
        LITELLM_URL: kplus.EnvValue.fromValue(plan.names.gatewayUrl()),
        DESIRED_STATE_PATH: kplus.EnvValue.fromValue(`${RECONCILE_DIR}/desired-state.json`),
        // As long as the gateway's startup probe allows for its first start.
        PAB_READY_TIMEOUT_SECONDS: kplus.EnvValue.fromValue('600'),
        PYTHONDONTWRITEBYTECODE: kplus.EnvValue.fromValue('1'),
        HOME: kplus.EnvValue.fromValue('/tmp'),
        LITELLM_MASTER_KEY: kplus.EnvValue.fromSecretValue({ secret: secretRef, key: masterKey.keys[0].secretKey }),
      },
      resources: {
        cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(250) },
        memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
      },
      securityContext: restrictedContainerSecurity(),
      volumeMounts: [
        { path: RECONCILE_DIR, volume: kplus.Volume.fromConfigMap(this, 'config-volume', config, { name: 'reconcile' }), readOnly: true },
        { path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'tmp-volume', 'tmp', { sizeLimit: Size.mebibytes(64) }) },
      ],
    });
    removeConstructAddressLabel(this.job);
  }
}
