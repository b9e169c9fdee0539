import { createHash } from 'crypto';
import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import type { BoundaryPlan } from '../plan/boundary-plan';
import { ANNOTATION, PORTS } from '../plan/names';
import type { SecretPlan } from '../plan/secrets-plan';
import { hardenedDeployment } from './hardened-deployment';
import { workloadLabels, workloadSelector } from './labels';
import { restrictedContainerSecurity } from './pod-security';

/** Props of {@link LlmGateway}. */
export interface LlmGatewayProps {
  /** The plan of the boundary. */
  readonly plan: BoundaryPlan;
}

/** Workload name of the gateway: Deployment, Service, ServiceAccount, ConfigMap prefix and selector label. */
export const GATEWAY_WORKLOAD = 'gateway';

/** Where the LiteLLM config is mounted in the gateway container. */
export const GATEWAY_CONFIG_DIR = '/etc/litellm';

/** LiteLLM `config.yaml` exactly as the gateway ConfigMap carries it (sorted keys, no line folding). */
export function renderGatewayConfig(plan: BoundaryPlan): string {
  return stringify(plan.gateway.config, { sortMapEntries: true, lineWidth: 0 });
}

/** Secrets of the gateway namespace that the gateway reads (their keys become env vars of the same name). */
export function gatewaySecrets(plan: BoundaryPlan): SecretPlan[] {
  return plan.secrets.secrets.filter((s) => s.namespace === plan.gateway.namespace && s.readers.includes(GATEWAY_WORKLOAD));
}

/** CIDRs of the consumers that call the gateway from outside the cluster, sorted. */
export function cidrConsumers(plan: BoundaryPlan): string[] {
  return plan.spec.network.consumers.flatMap((c) => (c.cidr !== undefined ? [c.cidr] : [])).sort();
}

/**
 * The LLM gateway (LiteLLM proxy, open-source features only) in the gateway zone: config, Deployment spread over
 * zones and hosts, disruption budget, in-cluster Service, and — only where the spec asks for it — an internal NLB for
 * CIDR consumers (private ingress on AWS) or an internet-facing ALB behind WAF (public ingress).
 */
export class LlmGateway extends Construct {
  /** The gateway Deployment. */
  public readonly deployment: kplus.Deployment;

  constructor(scope: Construct, id: string, props: LlmGatewayProps) {
    super(scope, id);
    const { plan } = props;
    const gw = plan.gateway;
    const ns = gw.namespace;
    const labels = workloadLabels(plan, GATEWAY_WORKLOAD, 'gateway');
    const selector = workloadSelector(plan, GATEWAY_WORKLOAD);
    const configYaml = renderGatewayConfig(plan);

    const serviceAccount = new kplus.ServiceAccount(this, 'service-account', {
      metadata: { name: GATEWAY_WORKLOAD, namespace: ns, labels },
      automountToken: false,
    });
    // Entities the spec lets through unredacted have no LiteLLM setting: recorded here so the posture can say so.
    const allowed = Object.entries(gw.redaction).filter(([, a]) => a === 'allow').map(([e]) => e).sort();
    const config = new kplus.ConfigMap(this, 'config', {
      metadata: { name: `${GATEWAY_WORKLOAD}-config`, namespace: ns, labels,
        ...(allowed.length > 0 ? { annotations: { [ANNOTATION.redactionAllowed]: allowed.join(',') } } : {}) },
      data: { 'config.yaml': configYaml },
    });

    this.deployment = hardenedDeployment(this, 'deployment', {
      plan, name: GATEWAY_WORKLOAD, namespace: ns, component: 'gateway', replicas: gw.replicas, serviceAccount,
      // A config change changes the checksum, hence the pod template, hence rolls the pods.
      podAnnotations: { [ANNOTATION.configSha256]: createHash('sha256').update(configYaml).digest('hex') },
      // Never lose serving capacity during a rollout; with one replica the Kubernetes default rounds to the same values.
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.absolute(1),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
      }),
    });

    const env: Record<string, kplus.EnvValue> = {};
    for (const [name, value] of Object.entries(gw.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) env[name] = kplus.EnvValue.fromValue(value);
    for (const secret of gatewaySecrets(plan)) {
      const ref = kplus.Secret.fromSecretName(this, `secret-${secret.name}`, secret.name);
      for (const key of secret.keys) env[key.secretKey] = kplus.EnvValue.fromSecretValue({ secret: ref, key: key.secretKey });
    }
    const http = (path: string, failureThreshold: number, periodSeconds: number): kplus.Probe => kplus.Probe.fromHttpGet(path, {
      port: PORTS.gateway, failureThreshold, periodSeconds: Duration.seconds(periodSeconds), timeoutSeconds: Duration.seconds(5),
    });
    this.deployment.addContainer({
      name: 'litellm',
      image: gw.image,
      // Pinned by digest: a cached image is the same image, and restarts do not depend on the registry.
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      args: ['--config', `${GATEWAY_CONFIG_DIR}/config.yaml`, '--port', String(PORTS.gateway)],
      ports: [{ name: 'http', number: PORTS.gateway }],
      envVariables: env,
      // Never `/health`: it calls every model. Liveliness is process-only; readiness includes the database.
      liveness: http('/health/liveliness', 3, 15),
      readiness: http('/health/readiness', 3, 10),
      // First start runs database migrations: up to 10 minutes before liveness takes over.
      startup: http('/health/liveliness', 60, 10),
      resources: {
        cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.units(2) },
        memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) },
      },
      securityContext: restrictedContainerSecurity(),
      volumeMounts: [
        { path: GATEWAY_CONFIG_DIR, volume: kplus.Volume.fromConfigMap(this, 'config-volume', config, { name: 'config' }), readOnly: true },
        // HOME, caches and LITELLM_MIGRATION_DIR: the root filesystem is read-only.
        { path: '/tmp', volume: kplus.Volume.fromEmptyDir(this, 'tmp-volume', 'tmp', { sizeLimit: Size.gibibytes(1) }) },
      ],
    });

    // cdk8s-plus renders neither topologySpreadConstraints nor a preferred anti-affinity with our stable selector.
    const deploymentObject = ApiObject.of(this.deployment);
    deploymentObject.addJsonPatch(JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [{
      maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector },
    }]));
    deploymentObject.addJsonPatch(JsonPatch.add('/spec/template/spec/affinity', {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{
          weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } },
        }],
      },
    }));

    // With one replica any budget either blocks node drains forever (0 evictions) or protects nothing: none is rendered.
    if (gw.replicas > 1) {
      new k8s.KubePodDisruptionBudget(this, 'pdb', {
        metadata: { name: GATEWAY_WORKLOAD, namespace: ns, labels },
        spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
      });
    }

    const service = new kplus.Service(this, 'service', {
      metadata: { name: GATEWAY_WORKLOAD, namespace: ns, labels },
      type: kplus.ServiceType.CLUSTER_IP,
      ports: [{ name: 'http', port: PORTS.gateway, targetPort: PORTS.gateway }],
    });
    for (const [k, v] of Object.entries(selector)) service.selectLabel(k, v);

    this.renderInternalLoadBalancer(plan, labels, selector);
    this.renderPublicIngress(plan, labels);
  }

  /** Internal NLB for CIDR consumers outside the cluster (see `InternalLoadBalancerPlan`); TLS when a certificate is declared. */
  private renderInternalLoadBalancer(plan: BoundaryPlan, labels: Record<string, string>, selector: Record<string, string>): void {
    const nlb = plan.gateway.internalLoadBalancer;
    if (!nlb) return;
    const tls: Record<string, string> = nlb.tlsCertificateArn ? {
      'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': nlb.tlsCertificateArn,
      'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': String(nlb.port),
      ...(nlb.tlsNegotiationPolicy ? { 'service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy': nlb.tlsNegotiationPolicy } : {}),
    } : {};
    const targetGroupAttributes = Object.entries(nlb.targetGroupAttributes).map(([k, v]) => `${k}=${v}`).join(',');
    const lb = new kplus.Service(this, 'internal-load-balancer', {
      metadata: {
        name: nlb.serviceName,
        namespace: plan.gateway.namespace,
        labels,
        // AWS Load Balancer Controller: https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/
        annotations: {
          'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
          'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
          'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
          'service.beta.kubernetes.io/aws-load-balancer-subnets': nlb.subnetNames.join(','),
          // From the plan: pods (and their NetworkPolicies) see the consumer's address, not the NLB's.
          ...(targetGroupAttributes ? { 'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes': targetGroupAttributes } : {}),
          ...tls,
        },
      },
      type: kplus.ServiceType.LOAD_BALANCER,
      ports: [{ name: nlb.tlsCertificateArn ? 'https' : 'http', port: nlb.port, targetPort: PORTS.gateway }],
      loadBalancerSourceRanges: [...nlb.sourceRanges],
    });
    for (const [k, v] of Object.entries(selector)) lb.selectLabel(k, v);
  }

  /** Internet-facing ALB (TLS policy, WAF, reason: all from `PublicIngressPlan`) in front of the gateway. */
  private renderPublicIngress(plan: BoundaryPlan, labels: Record<string, string>): void {
    const alb = plan.gateway.publicIngress;
    if (!alb) return;
    new k8s.KubeIngress(this, 'public-ingress', {
      metadata: {
        name: alb.ingressName,
        namespace: plan.gateway.namespace,
        labels,
        // https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/
        annotations: {
          'alb.ingress.kubernetes.io/scheme': 'internet-facing',
          'alb.ingress.kubernetes.io/target-type': 'ip',
          'alb.ingress.kubernetes.io/certificate-arn': alb.tlsCertificateArn,
          'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
          'alb.ingress.kubernetes.io/ssl-policy': alb.tlsPolicy,
          ...('aclArn' in alb.waf ? { 'alb.ingress.kubernetes.io/wafv2-acl-arn': alb.waf.aclArn } : { 'alb.ingress.kubernetes.io/wafv2-acl-name': alb.waf.aclName }),
          'alb.ingress.kubernetes.io/load-balancer-attributes': loadBalancerAttributes(alb),
          'alb.ingress.kubernetes.io/backend-protocol': 'HTTP',
          // The ALB's default health check is `/`; never `/health` (it calls every model).
          'alb.ingress.kubernetes.io/healthcheck-path': '/health/readiness',
          [ANNOTATION.reason]: alb.reason,
        },
      },
      spec: {
        ingressClassName: 'alb',
        rules: [{
          http: {
            paths: [{
              path: '/', pathType: 'Prefix',
              backend: { service: { name: GATEWAY_WORKLOAD, port: { number: PORTS.gateway } } },
            }],
          },
        }],
      },
    });
  }
}

/**
 * ALB attributes (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes):
 * drop headers that are not valid HTTP (request smuggling), access logs to the boundary's access-log bucket when the
 * plan has one, and an idle timeout long enough for a non-streamed completion.
 */
function loadBalancerAttributes(alb: NonNullable<BoundaryPlan['gateway']['publicIngress']>): string {
  const attributes = ['routing.http.drop_invalid_header_fields.enabled=true', 'idle_timeout.timeout_seconds=300'];
  if (alb.accessLogs) {
    attributes.push('access_logs.s3.enabled=true', `access_logs.s3.bucket=${alb.accessLogs.bucket}`, `access_logs.s3.prefix=${alb.accessLogs.prefix}`);
  }
  return attributes.join(',');
}
