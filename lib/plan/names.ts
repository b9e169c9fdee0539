import { derivedBucketName } from '../spec/bucket-names';
import { grantBindingNameOf, grantGroupOf } from '../spec/principal';
import type { ResolvedSpec } from '../spec/resolve';
import type { ZoneName } from '../spec/types';

/**
 * Every name derived from a spec, in one place, so the Kubernetes, CloudFormation and Pulumi targets refer to
 * the same namespaces, roles, buckets and secrets without any lookup.
 */

/** Label and annotation keys this library writes. */
export const LABEL = {
  boundary: 'private-ai-boundary.io/boundary',
  zone: 'private-ai-boundary.io/zone',
  team: 'private-ai-boundary.io/team',
  gpuPool: 'private-ai-boundary.io/gpu-pool',
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  partOf: 'app.kubernetes.io/part-of',
  managedBy: 'app.kubernetes.io/managed-by',
  gpuPresent: 'nvidia.com/gpu.present',
} as const;

/** Annotation keys this library writes. */
export const ANNOTATION = {
  configSha256: 'private-ai-boundary.io/config-sha256',
  expires: 'private-ai-boundary.io/expires',
  reason: 'private-ai-boundary.io/reason',
  principal: 'private-ai-boundary.io/principal',
  requiresMfa: 'private-ai-boundary.io/requires-mfa',
  owner: 'private-ai-boundary.io/owner',
  customer: 'private-ai-boundary.io/customer',
  redactionAllowed: 'private-ai-boundary.io/redaction-allowed',
  purpose: 'private-ai-boundary.io/purpose',
} as const;

/**
 * What the CloudFormation target records in its templates for the posture to read back: resource tags and template
 * metadata keys. The posture reads only artifacts; these names are the contract between the two.
 */
export const TEMPLATE_RECORD = {
  ownerTag: 'private-ai-boundary.io/owner',
  legalHoldTag: 'private-ai-boundary.io/legal-hold',
  expiresTag: 'private-ai-boundary.io/expires',
  /** Why a grant role exists (tag values allow a restricted character set: lib/aws/time-bound-grant.ts tagValue). */
  reasonTag: 'private-ai-boundary.io/reason',
  /** `{ value, rotation }` of a Secrets Manager secret (lib/aws/secrets-store.ts). */
  secretMetadata: 'PrivateAiBoundary::Secret',
  /** `{ reason }` on the audit bucket when retention is below the baseline or Object Lock is off. */
  retentionMetadata: 'PrivateAiBoundary::Retention',
} as const;

/** The GPU taint every GPU node carries and every model runtime tolerates (NVIDIA convention). */
export const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' } as const;

/** Ports of the in-cluster services. */
export const PORTS = { gateway: 4000, vllm: 8000, presidio: 3000, postgres: 5432, redis: 6379, https: 443, dns: 53 } as const;

/** Link-local address of the EKS Pod Identity agent on every node. */
export const POD_IDENTITY_AGENT_CIDR = '169.254.170.23/32';

/** Deterministic names for one boundary. */
export class BoundaryNames {
  constructor(private readonly spec: ResolvedSpec) {}

  /** Namespace of a zone: `<boundary>-<zone>`. */
  zoneNamespace(zone: ZoneName): string {
    return `${this.spec.name}-${zone}`;
  }

  /** Namespace of a team: `<boundary>-team-<team>`. */
  teamNamespace(team: string): string {
    return `${this.spec.name}-team-${team}`;
  }

  /** Name tag of a subnet (`<boundary>-<zone>-<azIndex>`); the CloudFormation target tags subnets with it. */
  subnetName(zone: ZoneName | 'public', azIndex: number): string {
    return `${this.spec.name}-${zone}-${azIndex}`;
  }

  /** vLLM Deployment/Service/ServiceAccount name of a model. */
  modelWorkload(model: string): string {
    return `vllm-${model}`;
  }

  /** In-cluster base URL of a model runtime (OpenAI API). */
  modelUrl(model: string): string {
    return `http://${this.modelWorkload(model)}.${this.zoneNamespace('models')}.svc.cluster.local:${PORTS.vllm}/v1`;
  }

  /** In-cluster URL of the gateway. */
  gatewayUrl(): string {
    return `http://gateway.${this.zoneNamespace('gateway')}.svc.cluster.local:${PORTS.gateway}`;
  }

  /** Environment variable holding a model runtime's API key in the gateway. */
  modelKeyEnv(model: string): string {
    return `MODEL_${model.toUpperCase().replace(/-/g, '_')}_API_KEY`;
  }

  /**
   * Kubernetes group that a grant's principal is mapped to (EKS access entry `kubernetesGroups`):
   * `pab:grant:<account>:<role|user>:<path+name>`, distinct for every ARN (PAB-ACC-003 refuses any that would meet).
   */
  grantGroup(principalArn: string): string {
    return grantGroupOf(principalArn);
  }

  /** RoleBinding name of a grant: `grant-<name>-<first 8 hex of sha256(arn)>`, a DNS label of at most 63 characters. */
  grantBinding(principalArn: string): string {
    return grantBindingNameOf(principalArn);
  }

  /** Kubernetes group the break-glass role is mapped to. */
  breakGlassGroup(): string {
    return 'pab:break-glass';
  }

  /** Kubernetes RBAC subject of an IdP group (with the configured OIDC prefix). */
  idpGroup(group: string): string {
    return `${this.spec.kubernetes.groupsPrefix}${group}`;
  }

  /** IAM role name of a workload identity (Pod Identity), created by the CloudFormation target. */
  workloadRole(workload: 'gateway' | 'external-secrets' | 'gpu-node' | 'aws-load-balancer-controller' | 'karpenter' | `model-${string}`): string {
    return `${this.spec.name}-${workload}`;
  }

  /** IAM role ARN of a workload identity, or undefined without `spec.aws`. */
  workloadRoleArn(workload: Parameters<BoundaryNames['workloadRole']>[0]): string | undefined {
    const aws = this.spec.aws;
    return aws && `arn:aws:iam::${aws.account}:role/${this.workloadRole(workload)}`;
  }

  /**
   * IAM instance profile of a node role (`<boundary>-<role>`), created by the CloudFormation target. Karpenter is
   * given the profile rather than the role: with a role it creates instance profiles itself, calling IAM, which has
   * no VPC endpoint and is unreachable from a boundary without NAT.
   */
  instanceProfile(role: 'gpu-node'): string {
    return `${this.spec.name}-${role}`;
  }

  /** ARN of the alias of the boundary's customer-managed KMS key, or undefined without `spec.aws`. */
  kmsAliasArn(): string | undefined {
    const aws = this.spec.aws;
    return aws && `arn:aws:kms:${aws.region}:${aws.account}:${this.kmsAlias()}`;
  }

  /** Alias of the boundary's customer-managed KMS key: `alias/<boundary>-boundary`. */
  kmsAlias(): string {
    return `alias/${this.spec.name}-boundary`;
  }

  /** Name of a GPU pool's node group / Karpenter NodePool and EC2NodeClass: `<boundary>-<pool>`. */
  gpuPool(pool: string): string {
    return `${this.spec.name}-${pool}`;
  }

  /** Remote keys of the secrets the gateway's state fills (the CloudFormation target creates them; ESO reads them). */
  gatewayStateSecrets(): { readonly database: string; readonly redisAuth: string; readonly redisEndpoint: string } {
    const p = this.spec.secrets.keyPrefix;
    return { database: `${p}/gateway/database-credentials`, redisAuth: `${p}/gateway/redis`, redisEndpoint: `${p}/gateway/redis-endpoint` };
  }

  /**
   * Bucket of S3 server access logs and load balancer access logs (SSE-S3: neither delivery supports SSE-KMS):
   * `<name>-logs-<account>-<region>`, created by the CloudFormation target beside the audit bucket. AWS only.
   */
  accessLogsBucket(): string {
    return derivedBucketName(this.spec.name, 'logs', this.spec.aws!);
  }

  /** WAFv2 web ACL the CloudFormation target creates for the public load balancer (unless `network.wafAclArn` names one). */
  wafAcl(): string {
    return `${this.spec.name}-gateway`;
  }

  /** SQS queue of Karpenter's interruption handling (spot interruptions, rebalance, health events): `<name>-karpenter`. */
  karpenterQueue(): string {
    return `${this.spec.name}-karpenter`;
  }

  /** Request-audit bucket: declared, or `<name>-audit-<account>-<region>`. */
  auditBucket(): string {
    return this.spec.audit.bucket ?? derivedBucketName(this.spec.name, 'audit', this.spec.aws!);
  }

  /** Region of the request-audit bucket. */
  auditBucketRegion(): string {
    return this.spec.audit.bucketRegion ?? this.spec.aws!.region;
  }
}
