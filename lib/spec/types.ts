/**
 * The boundary spec: the public contract, written in TypeScript or as a YAML/JSON file of the same shape.
 *
 * These are *input* types: optional fields carry their documented default, applied once by `resolveSpec`
 * (lib/spec/resolve.ts) from the single table in lib/spec/defaults.ts. Every weaker-than-default choice
 * must be spelled out and carries a `reason`, which the evidence report shows.
 */

/** The API version every spec file declares. */
export const API_VERSION = 'private-ai-boundary/v1';
/** The kind every spec file declares. */
export const KIND = 'Boundary';

/** A whole spec document: `apiVersion`, `kind`, `metadata`, `spec`. */
export interface BoundaryManifest {
  /** Must be `private-ai-boundary/v1`. */
  readonly apiVersion: typeof API_VERSION;
  /** Must be `Boundary`. */
  readonly kind: typeof KIND;
  /** Who this boundary is for and who answers for it. */
  readonly metadata: BoundaryMetadata;
  /** The boundary itself. */
  readonly spec: BoundarySpec;
}

/** Identity of one customer environment. */
export interface BoundaryMetadata {
  /** DNS label, ≤ 32 chars; prefixes every namespace and derived name (e.g. `acme-prod`). */
  readonly name: string;
  /** Customer display name, shown in the evidence report. */
  readonly customer: string;
  /** E-mail of the team accountable for the boundary (the customer-side owner in the evidence report). */
  readonly owner: string;
  /**
   * Extra labels put on every synthesized object.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** Everything one private AI boundary declares. */
export interface BoundarySpec {
  /**
   * The AWS account and region the boundary lives in.
   * @default - customer-run cluster: only the Kubernetes and Pulumi targets apply
   */
  readonly aws?: AwsPlacement;
  /**
   * Number of availability zones every zone is spread over (2–6).
   * @default 3
   */
  readonly availabilityZones?: number;
  /** Network zones, consumers and ingress. */
  readonly network: NetworkSpec;
  /** Cluster version and identity provider. */
  readonly kubernetes: KubernetesSpec;
  /**
   * GPU node pools the model runtimes are scheduled on.
   * @default - none (no model can be declared)
   */
  readonly gpuNodePools?: GpuNodePoolSpec[];
  /**
   * Private model runtimes (vLLM).
   * @default - none
   */
  readonly models?: ModelSpec[];
  /** The single governed LLM gateway every caller goes through. */
  readonly gateway: GatewaySpec;
  /**
   * Teams: IdP groups, allowed models, rate limits, GPU quota.
   * @default - none
   */
  readonly teams?: TeamSpec[];
  /**
   * Break-glass role and time-bound grants.
   * @default - no break-glass role, no grants
   */
  readonly access?: AccessSpec;
  /** Where secrets live. Only references: a secret value never appears in a spec. */
  readonly secrets: SecretsSpec;
  /**
   * Audit-log retention.
   * @default - 400 days, COMPLIANCE Object Lock, no legal hold
   */
  readonly audit?: AuditSpec;
  /**
   * Recovery objectives that size the gateway state (Multi-AZ, backups).
   * @default - RTO 60 minutes, RPO 15 minutes
   */
  readonly resilience?: ResilienceSpec;
}

/** AWS placement of a boundary. */
export interface AwsPlacement {
  /** 12-digit AWS account id, quoted in YAML. */
  readonly account: string;
  /** AWS region, e.g. `eu-central-1`. */
  readonly region: string;
}

/** The three isolated zones every boundary has. */
export type ZoneName = 'gateway' | 'models' | 'data';
/** The zone names, in plan order. */
export const ZONE_NAMES: readonly ZoneName[] = ['gateway', 'models', 'data'];

/** One zone's subnet size. */
export interface ZoneSpec {
  /** Prefix length of each per-AZ subnet of the zone (16–28), e.g. 22 for a /22 per AZ. */
  readonly cidrMask: number;
}

/** Network declaration. */
export interface NetworkSpec {
  /** The boundary's VPC CIDR (IPv4, /16–/24, private range). */
  readonly cidr: string;
  /**
   * Subnet sizes per zone.
   * @default - gateway /22, models /20, data /24 per AZ
   */
  readonly zones?: Partial<Record<ZoneName, ZoneSpec>>;
  /** The only callers that may reach the gateway: a CIDR or a Kubernetes namespace each. */
  readonly consumers: ConsumerSpec[];
  /**
   * `private`: reachable from consumers only. `public`: an internet-facing ALB behind WAF with TLS.
   * @default 'private'
   */
  readonly ingress?: 'private' | 'public';
  /**
   * Required `true` with `ingress: public`.
   * @default false
   */
  readonly waf?: boolean;
  /**
   * WAFv2 web ACL the public load balancer is bound to (same region), e.g. one managed by AWS Firewall Manager;
   * required with `ingress: public` on a customer-run cluster (no `spec.aws`).
   * @default - with `spec.aws`: the web ACL `<name>-gateway` the CloudFormation target creates (AWS managed rule
   *   groups, a per-IP rate rule, logs with API keys redacted)
   */
  readonly wafAclArn?: string;
  /**
   * ACM certificate ARN: the public ALB's listener (required with `ingress: public`), or a TLS listener on 443 of the
   * internal load balancer that CIDR consumers use (with `ingress: private` on AWS).
   * @default - none: the internal load balancer listens on plain TCP 4000 (warning PAB-NET-012)
   */
  readonly tlsCertificateArn?: string;
  /**
   * Why the gateway must be reachable from the internet; required with `ingress: public`.
   * @default - none
   */
  readonly publicIngressReason?: string;
}

/** A caller allowed to reach the gateway. Exactly one of `cidr` or `namespace`. */
export interface ConsumerSpec {
  /** DNS label naming the consumer in policies and evidence. */
  readonly name: string;
  /**
   * Private IPv4 CIDR of callers outside the cluster (reached through an internal load balancer).
   * @default - none: set `namespace` instead
   */
  readonly cidr?: string;
  /**
   * Kubernetes namespace of in-cluster callers.
   * @default - none: set `cidr` instead
   */
  readonly namespace?: string;
}

/** Cluster settings. */
export interface KubernetesSpec {
  /** Kubernetes minor version, e.g. `"1.32"` (quoted in YAML). */
  readonly version: string;
  /**
   * OIDC identity provider whose groups claim teams are mapped to.
   * @default - IAM principals only (access entries); team groups are still bound by name
   */
  readonly oidc?: OidcSpec;
}

/** OIDC identity provider. */
export interface OidcSpec {
  /** Issuer URL, https only. */
  readonly issuerUrl: string;
  /** Client id the API server accepts. */
  readonly clientId: string;
  /**
   * Claim holding the user's groups.
   * @default 'groups'
   */
  readonly groupsClaim?: string;
  /**
   * Prefix the API server puts before every IdP group name; RBAC subjects carry it.
   * @default 'oidc:'
   */
  readonly groupsPrefix?: string;
  /**
   * Claim used as the user name.
   * @default 'email'
   */
  readonly usernameClaim?: string;
}

/** How GPU nodes are provisioned. */
export type GpuProvisioner = 'managed-node-group' | 'karpenter';

/** A GPU node pool. */
export interface GpuNodePoolSpec {
  /** DNS label, ≤ 24 chars; becomes the pool label value. */
  readonly name: string;
  /** EC2 instance types, all with the same GPU count, e.g. `[g6.2xlarge]`. */
  readonly instanceTypes: string[];
  /** GPUs per node; must match the instance types. */
  readonly gpusPerNode: number;
  /**
   * Minimum nodes (managed node groups; Karpenter keeps no minimum — warning PAB-GPU-014).
   * @default 0
   */
  readonly minNodes?: number;
  /** Maximum nodes (≥ minNodes, ≥ 1). */
  readonly maxNodes: number;
  /**
   * @default 'on-demand'
   */
  readonly capacityType?: 'on-demand' | 'spot';
  /**
   * EKS managed node group, or Karpenter NodePool + EC2NodeClass.
   * @default 'managed-node-group'
   */
  readonly provisioner?: GpuProvisioner;
  /**
   * Karpenter AMI alias pinned to a release, e.g. `al2023@v20251117` (never `@latest`); required with `provisioner: karpenter`.
   * @default - none
   */
  readonly amiAlias?: string;
  /**
   * Root volume size per node, GiB.
   * @default 200
   */
  readonly diskGiB?: number;
}

/** A private model runtime (vLLM). */
export interface ModelSpec {
  /** DNS label, ≤ 24 chars; also the model name callers request. */
  readonly name: string;
  /** vLLM OpenAI server image pinned by digest: `repo:tag@sha256:<64 hex>`. */
  readonly image: string;
  /** `s3://bucket/prefix/` (streamed with the Run:ai streamer) or `pvc:<claim>` (mounted read-only). */
  readonly weights: string;
  /** Name of a declared GPU node pool. */
  readonly nodePool: string;
  /**
   * GPUs per replica (tensor-parallel size); ≤ the pool's gpusPerNode.
   * @default 1
   */
  readonly gpus?: number;
  /**
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Maximum context length (`--max-model-len`).
   * @default - the model's own maximum
   */
  readonly maxModelLen?: number;
}

/** Gateway engines. Only the open-source LiteLLM proxy today. */
export type GatewayEngine = 'litellm';

/** What the gateway does with a detected PII entity. */
export type RedactionAction = 'allow' | 'mask' | 'block';

/** The governed LLM gateway. */
export interface GatewaySpec {
  /** Gateway engine. */
  readonly engine: GatewayEngine;
  /** LiteLLM proxy image pinned by digest. */
  readonly image: string;
  /**
   * Replicas (≥ 2 keeps the gateway up during node loss; > 1 adds Redis for shared rate-limit counters).
   * @default 2
   */
  readonly replicas?: number;
  /** Upper bound per model and per key. */
  readonly rateLimits: RateLimits;
  /**
   * PII rules applied to every request and response (Presidio).
   * @default - no redaction (shown as "not met" in the evidence report)
   */
  readonly redaction?: RedactionRule[];
  /**
   * Presidio images; required when `redaction` is set.
   * @default - none
   */
  readonly presidio?: PresidioSpec;
  /**
   * CIDRs where the gateway's PostgreSQL (and Redis) run; required without `spec.aws`.
   * @default - the data-zone subnets, where the CloudFormation target places them
   */
  readonly stateCidrs?: string[];
}

/** Requests and tokens per minute. */
export interface RateLimits {
  /** Requests per minute. */
  readonly requestsPerMinute: number;
  /** Tokens per minute. */
  readonly tokensPerMinute: number;
}

/** One redaction rule. */
export interface RedactionRule {
  /** Presidio entity types, e.g. `EMAIL_ADDRESS`. */
  readonly entities: string[];
  /** allow (pass through, recorded), mask (replace), block (reject the request). */
  readonly action: RedactionAction;
}

/** Presidio analyzer and anonymizer images. */
export interface PresidioSpec {
  /** presidio-analyzer image pinned by digest. */
  readonly analyzerImage: string;
  /** presidio-anonymizer image pinned by digest. */
  readonly anonymizerImage: string;
}

/** A team of model consumers. */
export interface TeamSpec {
  /** DNS label, ≤ 24 chars. */
  readonly name: string;
  /** IdP groups whose members belong to the team. */
  readonly groups: string[];
  /** Models the team may call (names of declared models). */
  readonly models: string[];
  /**
   * Team limits, each ≤ the gateway's.
   * @default - the gateway's limits
   */
  readonly rateLimits?: RateLimits;
  /**
   * GPUs the team's own namespace may request.
   * @default 0
   */
  readonly gpuQuota?: number;
}

/** Privileged and time-bound access. */
export interface AccessSpec {
  /**
   * Emergency cluster-admin role, assumable with MFA only.
   * @default - none
   */
  readonly breakGlass?: BreakGlassSpec;
  /**
   * Time-bound grants to IAM principals.
   * @default - none
   */
  readonly grants?: GrantSpec[];
}

/** The break-glass role. */
export interface BreakGlassSpec {
  /** IAM role ARN in the boundary's account. */
  readonly roleArn: string;
  /**
   * Must stay `true`: break-glass without MFA is refused.
   * @default true
   */
  readonly requireMfa?: boolean;
}

/** Access levels, mapped to EKS access policies and Kubernetes ClusterRoles. */
export type AccessLevel = 'view' | 'edit' | 'admin';

/** A grant that expires. */
export interface GrantSpec {
  /** IAM role or user ARN. */
  readonly principal: string;
  /**
   * view → `view`, edit → `edit`, admin → `admin` (namespace-scoped, never cluster-admin). edit and admin can read
   * Secrets in the boundary namespaces, the gateway master key included (warning PAB-ACC-008).
   */
  readonly level: AccessLevel;
  /** Last day of access (`YYYY-MM-DD`, UTC); the grant ends at 00:00 UTC the day after. */
  readonly expires: string;
  /** Ticket or justification, shown in the evidence report. */
  readonly reason: string;
}

/** Secret store kinds. */
export type SecretStoreKind = 'aws-secrets-manager' | 'vault' | 'existing-cluster-store';

/** Where secrets live. */
export interface SecretsSpec {
  /** Store the External Secrets Operator reads from. */
  readonly store: SecretStoreKind;
  /**
   * Maximum age of any secret, in days (1–365).
   * @default 30
   */
  readonly rotationDays?: number;
  /**
   * Prefix of every remote key.
   * @default - `pab/<metadata.name>`
   */
  readonly keyPrefix?: string;
  /**
   * Vault connection; required with `store: vault`.
   * @default - none
   */
  readonly vault?: VaultSpec;
  /**
   * Name of the ClusterSecretStore to use; required with `store: existing-cluster-store`.
   * @default - none
   */
  readonly existingStoreName?: string;
  /**
   * Secrets the workloads need besides the ones the boundary generates.
   * @default - none
   */
  readonly items?: SecretItemSpec[];
}

/** Vault connection (KV v2, Kubernetes auth). */
export interface VaultSpec {
  /** Vault address, https only. */
  readonly server: string;
  /**
   * KV v2 mount path.
   * @default 'secret'
   */
  readonly path?: string;
  /** Vault Kubernetes-auth role. */
  readonly role: string;
  /**
   * Kubernetes auth mount path.
   * @default 'kubernetes'
   */
  readonly authMountPath?: string;
}

/** A declared secret. */
export interface SecretItemSpec {
  /** DNS label; the Kubernetes Secret and remote key are derived from it. */
  readonly name: string;
  /** E-mail of who sets and rotates it. */
  readonly owner: string;
  /**
   * Zone whose workloads read it.
   * @default 'models'
   */
  readonly zone?: ZoneName;
}

/** Object Lock modes. */
export type ObjectLockMode = 'compliance' | 'governance' | 'none';

/** Audit-log retention. */
export interface AuditSpec {
  /**
   * Days audit objects are kept and locked (≥ 365 unless `reason` says why).
   * @default 400
   */
  readonly retentionDays?: number;
  /**
   * COMPLIANCE cannot be shortened by anyone; GOVERNANCE can with a permission; none needs a `reason`.
   * @default 'compliance'
   */
  readonly objectLock?: ObjectLockMode;
  /**
   * Put a legal hold on new audit objects.
   * @default false
   */
  readonly legalHold?: boolean;
  /**
   * Why retention is below 365 days or Object Lock is off.
   * @default - none
   */
  readonly reason?: string;
  /**
   * Request-audit bucket; required without `spec.aws`. With `spec.aws` the CloudFormation target creates it under
   * this name (Object Lock, SSE-KMS, trail destination), so it must not exist yet.
   * @default - `<name>-audit-<account>-<region>`, created by the CloudFormation target
   */
  readonly bucket?: string;
  /**
   * Region of `bucket`. With `spec.aws` it must be `spec.aws.region`: the boundary has no internet path and S3's VPC
   * endpoints reach buckets of their own region only (copy to a central archive with S3 replication instead).
   * @default - `spec.aws.region`
   */
  readonly bucketRegion?: string;
  /**
   * https endpoint of an S3-compatible audit store (customer-run clusters only); its access key comes from the
   * secret `<keyPrefix>/gateway/audit-s3` (properties `accessKeyId`, `secretAccessKey`).
   * @default - AWS S3 in `bucketRegion`
   */
  readonly endpointUrl?: string;
  /**
   * CIDRs through which the audit sink is reached (network policy egress :443); customer-run clusters only —
   * ignored with `spec.aws` (warning PAB-AUD-006), where pods reach S3 and the AWS APIs through the boundary's
   * VPC interface endpoints.
   * @default - the data-zone subnets, where the VPC interface endpoints live
   */
  readonly sinkCidrs?: string[];
}

/** Recovery objectives. */
export interface ResilienceSpec {
  /**
   * Recovery time objective, minutes.
   * @default 60
   */
  readonly rtoMinutes?: number;
  /**
   * Recovery point objective, minutes.
   * @default 15
   */
  readonly rpoMinutes?: number;
}
