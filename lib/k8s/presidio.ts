import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { BoundaryPlan } from '../plan/boundary-plan';
import type { PresidioPlan } from '../plan/gateway-plan';
import { PORTS } from '../plan/names';
import { hardenedDeployment } from './hardened-deployment';
import { workloadLabels, workloadSelector } from './labels';
import { restrictedContainerSecurity } from './pod-security';

/** Props of {@link Presidio}. */
export interface PresidioProps {
  /** The plan of the boundary. */
  readonly plan: BoundaryPlan;
  /** The Presidio services of the gateway plan (present when redaction is declared). */
  readonly presidio: PresidioPlan;
}

/** Workload names of the two Presidio services (also their Service names, as in the plan's URLs and flows). */
export const PRESIDIO_WORKLOADS = { analyzer: 'presidio-analyzer', anonymizer: 'presidio-anonymizer' } as const;

/** ServiceAccount both Presidio workloads run as. */
export const PRESIDIO_SERVICE_ACCOUNT = 'presidio';

/** Replicas of each Presidio service: two (spread) when the gateway itself is replicated, else one. */
export function presidioReplicas(plan: BoundaryPlan): number {
  return plan.gateway.replicas > 1 ? 2 : 1;
}

interface PresidioWorkload {
  readonly name: string;
  readonly image: string;
  readonly resources: kplus.ContainerResources;
  /** Failures allowed before liveness takes over (10 s period): the analyzer loads spaCy models first. */
  readonly startupFailures: number;
}

/**
 * Microsoft Presidio analyzer and anonymizer, the PII services behind the gateway's `presidio` guardrail.
 * ClusterIP only; which pods may call them (the gateway) is decided by the network policies from `plan.flows`.
 */
export class Presidio extends Construct {
  constructor(scope: Construct, id: string, props: PresidioProps) {
    super(scope, id);
    const { plan, presidio } = props;
    const serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata: { name: PRESIDIO_SERVICE_ACCOUNT, namespace: plan.gateway.namespace, labels: { ...plan.commonLabels } },
      automountToken: false,
    });
    this.renderWorkload(plan, serviceAccount, {
      name: PRESIDIO_WORKLOADS.analyzer,
      image: presidio.analyzerImage,
      resources: {
        cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.units(2) },
        memory: { request: Size.gibibytes(2), limit: Size.gibibytes(3) },
      },
      startupFailures: 30,
    });
    this.renderWorkload(plan, serviceAccount, {
      name: PRESIDIO_WORKLOADS.anonymizer,
      image: presidio.anonymizerImage,
      resources: {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      },
      startupFailures: 12,
    });
  }

  private renderWorkload(plan: BoundaryPlan, serviceAccount: kplus.ServiceAccount, w: PresidioWorkload): void {
    const ns = plan.gateway.namespace;
    const labels = workloadLabels(plan, w.name, 'pii-redaction');
    const selector = workloadSelector(plan, w.name);
    const replicas = presidioReplicas(plan);
    const scope = new Construct(this, w.name);

    const deployment = hardenedDeployment(scope, 'deployment', {
      plan, name: w.name, namespace: ns, component: 'pii-redaction', replicas, serviceAccount,
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.absolute(1),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
      }),
    });
    const health = (failureThreshold: number): kplus.Probe => kplus.Probe.fromHttpGet('/health', {
      port: PORTS.presidio, failureThreshold, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(5),
    });
    deployment.addContainer({
      name: w.name,
      image: w.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: [{ name: 'http', number: PORTS.presidio }],
      envVariables: {
        // The images bind gunicorn to $PORT.
        PORT: kplus.EnvValue.fromValue(String(PORTS.presidio)),
        // Caches (e.g. tldextract) go to the writable /tmp: the root filesystem is read-only.
        HOME: kplus.EnvValue.fromValue('/tmp'),
        XDG_CACHE_HOME: kplus.EnvValue.fromValue('/tmp/.cache'),
      },
      liveness: health(3),
      readiness: health(3),
      startup: health(w.startupFailures),
      resources: w.resources,
      securityContext: restrictedContainerSecurity(),
      volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(scope, 'tmp-volume', 'tmp', { sizeLimit: Size.mebibytes(256) }) }],
    });
    ApiObject.of(deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [{
      maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector },
    }]));

    // With one replica a budget either blocks node drains forever or protects nothing: none is rendered.
    if (replicas > 1) {
      new k8s.KubePodDisruptionBudget(scope, 'pdb', {
        metadata: { name: w.name, namespace: ns, labels },
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
      });
    }

    const service = new kplus.Service(scope, 'service', {
      metadata: { name: w.name, namespace: ns, labels },
      type: kplus.ServiceType.CLUSTER_IP,
      ports: [{ name: 'http', port: PORTS.presidio, targetPort: PORTS.presidio }],
    });
    for (const [k, v] of Object.entries(selector)) service.selectLabel(k, v);
  }
}
