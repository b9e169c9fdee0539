import type { ResolvedSpec } from '../spec/resolve';
import type { GatewayPlan } from './gateway-plan';
import type { BoundaryNames } from './names';
import type { SecretsPlan } from './secrets-plan';
import type { PoolPlan } from './workloads-plan';

/** A cluster controller the boundary's objects rely on. */
export type ControllerName =
  | 'aws-load-balancer-controller'
  | 'karpenter'
  | 'external-secrets'
  | 'external-secrets-webhook'
  | 'external-secrets-cert-controller';

/**
 * A controller the platform team installs (Helm) before applying the boundary's manifests, under the namespace,
 * service account and pod labels given here — the upstream charts' defaults. The CloudFormation target creates its
 * AWS identity (a Pod Identity role) and what it consumes (Karpenter's interruption queue); the Kubernetes target
 * renders its NetworkPolicies, which it needs because the CloudFormation target runs the VPC CNI's network-policy
 * agent in strict mode (every pod that no policy selects is denied all traffic). AWS boundaries only.
 */
export interface ControllerPlan {
  readonly name: ControllerName;
  /** Namespace it runs in (the upstream install guide's). */
  readonly namespace: string;
  /** Its service account (the Helm chart's default). */
  readonly serviceAccount: string;
  /** Labels of its pods (`app.kubernetes.io/name`, set by the Helm chart). */
  readonly selector: Readonly<Record<string, string>>;
  /** IAM role bound to the service account by an EKS Pod Identity association, if the controller calls AWS itself. */
  readonly role?: string;
  /** Whether it calls AWS APIs (through the VPC interface endpoints): with `role`, or as another identity (ESO). */
  readonly awsApis: boolean;
  /** Port of its admission / conversion webhook, which the API server calls. */
  readonly webhookPort?: number;
  /** Why the boundary needs it. */
  readonly purpose: string;
  /**
   * Helm values the install must set for the boundary to work (shown in the README and in `controllers` of the
   * CloudFormation outputs): e.g. Karpenter's cluster name, interruption queue and isolated-VPC mode.
   */
  readonly helmValues: Readonly<Record<string, string>>;
}

/** Where the Helm charts put each controller (upstream defaults; AWS's EKS guides install both AWS controllers in kube-system). */
const KUBE_SYSTEM = 'kube-system';
const EXTERNAL_SECRETS_NAMESPACE = 'external-secrets';
const APP_NAME = 'app.kubernetes.io/name';

/**
 * The controllers an AWS boundary relies on: the AWS Load Balancer Controller when a load balancer is planned (the
 * internal NLB of CIDR consumers, or the public ALB), Karpenter when a GPU pool is Karpenter-provisioned, and
 * External Secrets when secrets come from AWS Secrets Manager. Empty without `spec.aws` (the customer's cluster,
 * controllers and CNI mode are theirs).
 */
export function planControllers(spec: ResolvedSpec, names: BoundaryNames, gateway: GatewayPlan, pools: readonly PoolPlan[], secrets: SecretsPlan): ControllerPlan[] {
  if (!spec.aws) return [];
  const out: ControllerPlan[] = [];
  if (gateway.internalLoadBalancer || gateway.publicIngress) {
    out.push({
      name: 'aws-load-balancer-controller', namespace: KUBE_SYSTEM, serviceAccount: 'aws-load-balancer-controller',
      selector: { [APP_NAME]: 'aws-load-balancer-controller' }, role: names.workloadRole('aws-load-balancer-controller'), awsApis: true,
      webhookPort: 9443,
      purpose: gateway.publicIngress ? 'provisions the public ALB (WAF, TLS, access logs) in front of the gateway' : 'provisions the internal NLB CIDR consumers reach the gateway through',
      // No IMDS for pods (hop limit 1): the chart must be told the region, and the VPC id (the stack output VpcId).
      helmValues: { clusterName: spec.name, region: spec.aws.region, 'serviceAccount.name': 'aws-load-balancer-controller' },
    });
  }
  if (pools.some((p) => p.provisioner === 'karpenter')) {
    out.push({
      name: 'karpenter', namespace: KUBE_SYSTEM, serviceAccount: 'karpenter', selector: { [APP_NAME]: 'karpenter' },
      role: names.workloadRole('karpenter'), awsApis: true,
      purpose: 'launches the GPU nodes of the Karpenter pools and drains them before spot interruptions and maintenance',
      // isolatedVPC: no calls to the pricing API, which has no VPC endpoint (https://karpenter.sh/docs/reference/settings/).
      helmValues: { 'settings.clusterName': spec.name, 'settings.interruptionQueue': names.karpenterQueue(), 'settings.isolatedVPC': 'true', 'serviceAccount.name': 'karpenter' },
    });
  }
  if (secrets.store === 'aws-secrets-manager') {
    // ESO itself has no AWS role: each SecretStore has it assume the boundary's secrets-reader role with that namespace's token (STS).
    out.push(
      { name: 'external-secrets', namespace: EXTERNAL_SECRETS_NAMESPACE, serviceAccount: 'external-secrets', selector: { [APP_NAME]: 'external-secrets' },
        awsApis: true, purpose: 'syncs the boundary\'s secrets from AWS Secrets Manager into Kubernetes Secrets', helmValues: {} },
      { name: 'external-secrets-webhook', namespace: EXTERNAL_SECRETS_NAMESPACE, serviceAccount: 'external-secrets-webhook', selector: { [APP_NAME]: 'external-secrets-webhook' },
        awsApis: false, webhookPort: 10250, purpose: 'validates and converts External Secrets objects for the API server', helmValues: {} },
      { name: 'external-secrets-cert-controller', namespace: EXTERNAL_SECRETS_NAMESPACE, serviceAccount: 'external-secrets-cert-controller',
        selector: { [APP_NAME]: 'external-secrets-cert-controller' }, awsApis: false, purpose: 'rotates the External Secrets webhook certificate', helmValues: {} },
    );
  }
  return out;
}
