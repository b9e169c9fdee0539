/**
 * The posture of a boundary: a normalized, target-independent record of what the synthesized artifacts allow, READ
 * BACK from them (CloudFormation templates, Kubernetes objects, Pulumi resources.json) — never copied from the spec —
 * so it is evidence of what will be deployed. Two postures line up entry by entry on `key`, which is why every key
 * names *what is governed* (a policy side, a security group direction, a role, a bucket) and never the value that
 * may change (CIDRs, ports, days, modes): a change of value is then one changed entry the diff can classify as
 * broadening or narrowing, not a removal plus an addition.
 *
 * Plain JSON data only (written as `dist/<name>/posture.json`); arrays are sorted by `key` (ordinal) and every
 * set-like array inside an entry is sorted too, so equal postures serialize byte-identically.
 */

/** Schema id written in every posture document. */
export const POSTURE_SCHEMA = 'private-ai-boundary/posture/v1';

/** The target an artifact came from. */
export type ArtifactTarget = 'kubernetes' | 'cloudformation' | 'pulumi';

/**
 * Where an entry was read from. Kubernetes objects are cited the same way whichever target rendered them
 * (`<kind>/<namespace>/<name>`, or `<kind>/<name>` when cluster-scoped), so the Kubernetes and Pulumi postures of a
 * spec are identical; CloudFormation resources as `<stack>:<logicalId>`.
 */
export interface EvidenceRef {
  /** `kubernetes` for any Kubernetes object (from the Kubernetes or the Pulumi target), `cloudformation` for a template resource. */
  readonly source: 'kubernetes' | 'cloudformation';
  /** `NetworkPolicy/acme-prod-gateway/default-deny`, `acme-prod-boundary:BoundaryNetworkGatewaySg1A2B3C4D`. */
  readonly ref: string;
}

/** What every posture entry carries. */
export interface PostureEntry {
  /** Stable key, unique in the posture, e.g. `network/kubernetes/acme-prod-gateway/NetworkPolicy/allow-consumer-acme-apps-to-gateway-ingress/ingress`. */
  readonly key: string;
  /** The artifacts that establish the entry (at least one). */
  readonly evidence: readonly EvidenceRef[];
}

// ---- network --------------------------------------------------------------------------------------------------

/** One end of a network path. */
export type NetworkPeer =
  /** Anywhere on the internet (0.0.0.0/0, ::/0, or an internet-facing load balancer's listeners). */
  | { readonly kind: 'internet' }
  /** An IPv4/IPv6 CIDR that is not the whole internet. */
  | { readonly kind: 'cidr'; readonly cidr: string }
  /** Every pod of a Kubernetes namespace. */
  | { readonly kind: 'namespace'; readonly namespace: string }
  /** The pods a label selector selects in a namespace (`namespace: '*'` = every namespace). */
  | { readonly kind: 'pods'; readonly namespace: string; readonly selector: Readonly<Record<string, string>> }
  /** Members of an AWS security group (logical name as the template names it). */
  | { readonly kind: 'security-group'; readonly name: string }
  /** An AWS managed prefix list (e.g. S3's, through a gateway endpoint). */
  | { readonly kind: 'prefix-list'; readonly id: string }
  /** An AWS service reached through a VPC endpoint, e.g. `com.amazonaws.eu-central-1.s3`. */
  | { readonly kind: 'aws-service'; readonly service: string };

/** A protocol and an inclusive port range; `all` covers every protocol and port (0–65535). */
export interface PortRange {
  readonly protocol: 'tcp' | 'udp' | 'icmp' | 'all';
  readonly from: number;
  readonly to: number;
}

/**
 * One allow rule: `subject` admits (ingress) or may reach (egress) every peer in `peers` on every range in `ports`.
 * The effective allowed set is `peers × ports`. A subject with no rule of a direction is denied in that direction
 * when a default-deny applies (recorded as a rule with empty `peers`, mechanism `default-deny`).
 */
export interface NetworkRule extends PostureEntry {
  /** The layer that enforces it. */
  readonly layer: 'kubernetes' | 'aws';
  /** What enforces it. */
  readonly mechanism: 'NetworkPolicy' | 'SecurityGroup' | 'NetworkAcl' | 'Route' | 'VpcEndpoint' | 'LoadBalancer' | 'Ingress' | 'ClusterEndpoint' | 'default-deny';
  readonly direction: 'ingress' | 'egress';
  /** What the rule protects (the pods a policy selects, a security group, a subnet's route table, an endpoint). */
  readonly subject: NetworkPeer;
  /** Allowed sources (ingress) or destinations (egress); sorted. Empty = nothing (a deny). */
  readonly peers: readonly NetworkPeer[];
  /** Allowed ports; sorted. */
  readonly ports: readonly PortRange[];
  /** Whether any peer is the internet: such rules are listed first. */
  readonly public: boolean;
  /** Why the path exists (the policy's purpose annotation or the rule's description), when the artifact says. */
  readonly purpose?: string;
  /**
   * VPC endpoints: the endpoint policy's statements (with their principals) — what may be done through the path.
   * @default - no policy in the artifact: the endpoint allows full access
   */
  readonly policy?: readonly IamStatement[];
}

// ---- model access ---------------------------------------------------------------------------------------------

/** A rate limit; `undefined` fields are unlimited. */
export interface RateLimits {
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
}

/** One team's access to one model through the gateway. Key: `model-access/<team>/<model>`. */
export interface ModelAccess extends PostureEntry {
  readonly team: string;
  readonly model: string;
  /** IdP groups mapped to the team (sorted). */
  readonly groups: readonly string[];
  /** The team's limits at the gateway. */
  readonly rateLimits: RateLimits;
}

// ---- identity -------------------------------------------------------------------------------------------------

/** A condition as IAM writes it: operator, key, values (sorted). */
export interface IamCondition {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
}

/** An IAM statement, normalized (arrays, sorted). */
export interface IamStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions: readonly IamCondition[];
  /**
   * Resource-policy statements (endpoint, bucket, secret policies): the principals they apply to (`*`, ARNs, service
   * principals), sorted.
   * @default - an identity-policy statement: it applies to the principal it is attached to
   */
  readonly principals?: readonly string[];
}

/**
 * A principal with access and what it may do, from either layer:
 * - Kubernetes: a (Cluster)RoleBinding subject (`group`, `user`, `service-account`) with its role;
 * - AWS: an EKS access entry (principal ARN, Kubernetes groups, access policy and scope), or an IAM role (its trust
 *   — who may assume it and under which conditions — and its permissions).
 * Key: `identity/<layer>/<kind>/<name>[/<scope>]`.
 */
export interface IdentityGrant extends PostureEntry {
  readonly layer: 'kubernetes' | 'aws';
  readonly principal: {
    readonly kind: 'group' | 'user' | 'service-account' | 'iam-role' | 'iam-principal';
    /** Group/user name, `namespace/name` of a service account, or the ARN / role name. */
    readonly name: string;
  };
  /** `view` | `edit` | `admin` | `cluster-admin` | a role name | `iam` (a role's own permissions). */
  readonly level: string;
  /** `cluster`, or the namespaces it is limited to (sorted). */
  readonly scope: 'cluster' | readonly string[];
  /** Whether using it requires MFA (IAM trust condition `aws:MultiFactorAuthPresent`), when the artifact says. */
  readonly mfa?: boolean;
  /** When it stops working (ISO 8601), from a trust-policy `DateLessThan aws:CurrentTime` or an expiry annotation. */
  readonly expires?: string;
  /** Why it was granted, when the artifact records it (a grant binding's reason annotation, a grant role's reason tag). */
  readonly reason?: string;
  /** Who may assume an IAM role: principals (`*`, account root, role ARNs, service principals) and conditions. */
  readonly trust?: { readonly principals: readonly string[]; readonly conditions: readonly IamCondition[] };
  /** The IAM statements attached to a role, or the RBAC rules of a Kubernetes role (as `actions` = verbs, `resources`). */
  readonly permissions?: readonly IamStatement[];
  /**
   * AWS-managed policies attached to an IAM role, by ARN: their statements are not in the artifact (sorted).
   * @default - none attached
   */
  readonly managedPolicyArns?: readonly string[];
}

// ---- secrets, encryption, retention ---------------------------------------------------------------------------

/** Encryption at rest, ordered weakest first. */
export type AtRestEncryption = 'none' | 'aws-managed' | 'cmk';

/** A secret the boundary stores or syncs. Key: `secret/<store>/<name>`. */
export interface SecretEntry extends PostureEntry {
  /** `aws-secrets-manager` | `vault` | `existing-cluster-store`. */
  readonly store: string;
  /** Secret name / remote key. */
  readonly name: string;
  /**
   * Encryption at rest in the store.
   * @default - not in the artifacts read (a Vault or existing store, or the Kubernetes / Pulumi target alone): unknown
   */
  readonly atRest?: AtRestEncryption;
  /** KMS key reference when `atRest` is `cmk`. */
  readonly kmsKey?: string;
  /**
   * Rotation: by the template (a schedule), by the customer (stated, every `days`), or none (with the artifact's
   * `reason` when it records one, e.g. `not a credential`).
   * @default - not in the artifacts read: unknown
   */
  readonly rotation?: { readonly by: 'template' | 'customer' | 'none'; readonly days?: number; readonly reason?: string };
  /**
   * Principals that may read the value (sorted): service accounts as `system:serviceaccount:<namespace>:<name>`
   * (workloads reading the synced Secret, and the identity the SecretStore fetches with), IAM roles by name (or ARN
   * when not in the template) that the store's resource policy lets read; `*` when no policy restricts readers.
   */
  readonly readers: readonly string[];
}

/** A data store's encryption. Key: `encryption/<kind>/<name>`. */
export interface StoreEncryption extends PostureEntry {
  readonly kind: 's3' | 'rds' | 'elasticache' | 'ebs' | 'log-group' | 'secret' | 'eks-secrets' | 'sqs' | 'cloudtrail';
  readonly name: string;
  readonly atRest: AtRestEncryption;
  /**
   * `enforced` (TLS-only policy / required), `available` (offered, not required), `none`.
   * @default - the artifact does not govern it (log groups, EBS, EKS secrets, Secrets Manager, CloudTrail: AWS APIs)
   */
  readonly inTransit?: 'enforced' | 'available' | 'none';
  /** Public access blocked (S3), when applicable. */
  readonly publicAccessBlocked?: boolean;
}

/** Object Lock mode, ordered weakest first. */
export type LockMode = 'none' | 'GOVERNANCE' | 'COMPLIANCE';

/** How long a record is kept. Key: `retention/<kind>/<name>`. */
export interface RetentionEntry extends PostureEntry {
  readonly kind: 'bucket' | 'log-group' | 'trail';
  readonly name: string;
  /** Days kept; `undefined` = never expires. */
  readonly days?: number;
  /** Buckets: Object Lock default retention mode. */
  readonly lock?: LockMode;
  /** Buckets: Object Lock default retention days (no version can be deleted sooner), when `lock` is not `none`. */
  readonly lockDays?: number;
  /** Buckets: legal hold requested on new objects. */
  readonly legalHold?: boolean;
  /** Buckets: versioning on. */
  readonly versioned?: boolean;
  /** Why it is below the baseline, when the artifact records a reason. */
  readonly reason?: string;
}

// ---- redaction, hardening -------------------------------------------------------------------------------------

/** Redaction action, ordered weakest first. */
export type RedactionAction = 'allow' | 'mask' | 'block';

/** What the gateway does with one PII entity. Key: `redaction/<entity>`. */
export interface RedactionEntry extends PostureEntry {
  readonly entity: string;
  readonly action: RedactionAction;
  /** Where it is enforced, e.g. `gateway (presidio guardrail, pre_call)`. */
  readonly enforcedBy: string;
}

/** Pod Security Standards level, ordered weakest first. */
export type PssLevel = 'privileged' | 'baseline' | 'restricted';

/** A namespace's workload hardening. Key: `hardening/<namespace>`. */
export interface NamespaceHardening extends PostureEntry {
  readonly namespace: string;
  /** Pod Security admission labels (absent label = `privileged`). */
  readonly pss: { readonly enforce: PssLevel; readonly audit: PssLevel; readonly warn: PssLevel };
  /** Containers of this namespace that deviate from the baseline (`<kind>/<name>/<container>: <what>`), sorted. */
  readonly deviations: readonly string[];
}

// ---- the document ---------------------------------------------------------------------------------------------

/** An artifact a posture was read from. */
export interface PostureSource {
  readonly target: ArtifactTarget;
  /** Path relative to the boundary's output directory, e.g. `kubernetes/manifests.yaml`. */
  readonly artifact: string;
  /** SHA-256 of the artifact's bytes. */
  readonly sha256: string;
}

/** The posture document (`posture.json`). */
export interface Posture {
  readonly schema: typeof POSTURE_SCHEMA;
  readonly boundary: string;
  /**
   * Who answers for the boundary, as the artifacts record it (namespace annotations `private-ai-boundary.io/customer`
   * and `/owner`, the stack's `private-ai-boundary.io/owner` tag); the evidence report names them as owners.
   */
  readonly owners: { readonly customer?: string; readonly owner?: string; readonly secretOwners: readonly { readonly secret: string; readonly owner: string }[] };
  /** The artifacts read (sorted by target). */
  readonly sources: readonly PostureSource[];
  /** Allow rules, public ones first, then by key. */
  readonly network: readonly NetworkRule[];
  readonly modelAccess: readonly ModelAccess[];
  readonly identity: readonly IdentityGrant[];
  readonly secrets: readonly SecretEntry[];
  readonly encryption: readonly StoreEncryption[];
  readonly retention: readonly RetentionEntry[];
  readonly redaction: readonly RedactionEntry[];
  readonly hardening: readonly NamespaceHardening[];
}

/** The sections of a posture that hold entries, in document order. */
export const POSTURE_SECTIONS = ['network', 'modelAccess', 'identity', 'secrets', 'encryption', 'retention', 'redaction', 'hardening'] as const;
/** One section name. */
export type PostureSection = (typeof POSTURE_SECTIONS)[number];
