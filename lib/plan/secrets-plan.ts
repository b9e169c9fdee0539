import type { ResolvedSpec } from '../spec/resolve';
import type { SecretStoreKind, ZoneName } from '../spec/types';
import type { BoundaryNames } from './names';

/** One key of a Kubernetes Secret, filled from one property of a remote secret. */
export interface SecretKeyPlan {
  /** Key in the Kubernetes Secret (also the env var name where it is injected). */
  readonly secretKey: string;
  /** Property of the remote JSON secret. */
  readonly property: string;
}

/** A secret a workload reads: synced from the store by an ExternalSecret, never written with data by us. */
export interface SecretPlan {
  /** Stable id, e.g. `gateway/master-key`. */
  readonly id: string;
  /** Namespace the Kubernetes Secret lives in. */
  readonly namespace: string;
  /** Name of the Kubernetes Secret (and of its ExternalSecret). */
  readonly name: string;
  /** Key of the remote secret in the store (`<keyPrefix>/...`). */
  readonly remoteKey: string;
  /** Keys synced. */
  readonly keys: readonly SecretKeyPlan[];
  /** What it is for, shown in the evidence report. */
  readonly purpose: string;
  /** `generated` (by the boundary's AWS target or the store owner) or the declared owner's e-mail. */
  readonly owner: string;
  /** Workloads that read it. */
  readonly readers: readonly string[];
}

/** The secret store configuration and every secret synced from it. */
export interface SecretsPlan {
  /** Store kind. */
  readonly store: SecretStoreKind;
  /** Name of the (Cluster)SecretStore the ExternalSecrets reference. */
  readonly storeName: string;
  /** `SecretStore` (one per namespace, created by us) or `ClusterSecretStore` (existing). */
  readonly storeKind: 'SecretStore' | 'ClusterSecretStore';
  /** Namespaces that get a SecretStore (empty for an existing ClusterSecretStore). */
  readonly storeNamespaces: readonly string[];
  /**
   * ServiceAccount each SecretStore authenticates as, one in every store namespace (none for an existing
   * ClusterSecretStore). ESO requests a short-lived token for it (TokenRequest API); no pod runs as it.
   * AWS: the token is exchanged for the `readerRoleArn` role by AssumeRoleWithWebIdentity (IRSA-style), not with the
   * ESO controller's own identity — which every namespace's SecretStore could otherwise borrow.
   * Vault: the token logs in with Kubernetes auth as `vault.role`.
   */
  readonly readerServiceAccount?: string;
  /**
   * The only token subjects that may read this boundary's secrets: `system:serviceaccount:<ns>:<readerServiceAccount>`
   * for each store namespace. AWS: the CloudFormation target's trust policy of `readerRoleArn` allows
   * `sts:AssumeRoleWithWebIdentity` from the cluster's OIDC provider with `<issuer>:sub` equal to exactly these and
   * `<issuer>:aud` equal to `readerTokenAudience`. Vault: the Vault role binds exactly these service accounts.
   */
  readonly readerSubjects: readonly string[];
  /** AWS: the role the reader ServiceAccount is annotated with (`eks.amazonaws.com/role-arn`), scoped to `keyPrefix`. */
  readonly readerRoleArn?: string;
  /** AWS: audience of the reader's token (ESO's default for AWS, `sts.amazonaws.com`). */
  readonly readerTokenAudience?: string;
  /** How often ExternalSecrets re-read the store, so rotated values arrive. */
  readonly refreshInterval: string;
  /** Maximum secret age in days. */
  readonly rotationDays: number;
  /** Every secret. */
  readonly secrets: readonly SecretPlan[];
}

/** Name of the ServiceAccount every SecretStore of the boundary authenticates as. */
export const SECRETS_READER = 'secrets-reader';

/** Derives every secret the workloads use. */
export function planSecrets(spec: ResolvedSpec, names: BoundaryNames): SecretsPlan {
  const p = spec.secrets.keyPrefix;
  const gw = names.zoneNamespace('gateway');
  const models = names.zoneNamespace('models');
  const single = (secretKey: string): SecretKeyPlan[] => [{ secretKey, property: 'value' }];
  const secrets: SecretPlan[] = [
    { id: 'gateway/master-key', namespace: gw, name: 'gateway-master-key', remoteKey: `${p}/gateway/master-key`, keys: single('LITELLM_MASTER_KEY'),
      purpose: 'LiteLLM admin (master) key: team and key administration', owner: 'generated', readers: ['gateway', 'gateway-reconcile'] },
    { id: 'gateway/salt-key', namespace: gw, name: 'gateway-salt-key', remoteKey: `${p}/gateway/salt-key`, keys: single('LITELLM_SALT_KEY'),
      purpose: 'encrypts credentials LiteLLM stores in its database', owner: 'generated', readers: ['gateway'] },
    { id: 'gateway/database', namespace: gw, name: 'gateway-database', remoteKey: `${p}/gateway/database`, keys: [{ secretKey: 'DATABASE_URL', property: 'url' }],
      purpose: 'PostgreSQL connection URL of the gateway (teams, keys, spend)', owner: 'generated', readers: ['gateway'] },
  ];
  if (!spec.aws) {
    // Without Pod Identity the gateway signs its audit uploads with an access key the customer issues and rotates.
    secrets.push({ id: 'gateway/audit-s3', namespace: gw, name: 'gateway-audit-s3', remoteKey: `${p}/gateway/audit-s3`,
      keys: [{ secretKey: 'AUDIT_S3_ACCESS_KEY_ID', property: 'accessKeyId' }, { secretKey: 'AUDIT_S3_SECRET_ACCESS_KEY', property: 'secretAccessKey' }],
      purpose: 'access key the gateway writes request-audit records with (customer-run cluster)', owner: spec.owner, readers: ['gateway'] });
  }
  if (spec.gateway.replicas > 1) {
    secrets.push({ id: 'gateway/redis', namespace: gw, name: 'gateway-redis', remoteKey: `${p}/gateway/redis`,
      keys: [{ secretKey: 'REDIS_HOST', property: 'host' }, { secretKey: 'REDIS_PORT', property: 'port' }, { secretKey: 'REDIS_PASSWORD', property: 'password' }],
      purpose: 'Redis shared by gateway replicas for rate-limit counters', owner: 'generated', readers: ['gateway'] });
  }
  for (const m of spec.models) {
    const remoteKey = `${p}/models/${m.name}/api-key`;
    secrets.push({ id: `models/${m.name}/api-key@gateway`, namespace: gw, name: `model-${m.name}-api-key`, remoteKey, keys: single(names.modelKeyEnv(m.name)),
      purpose: `key the gateway presents to model runtime ${m.name}`, owner: 'generated', readers: ['gateway'] });
    secrets.push({ id: `models/${m.name}/api-key@runtime`, namespace: models, name: `${names.modelWorkload(m.name)}-api-key`, remoteKey, keys: single('VLLM_API_KEY'),
      purpose: `key model runtime ${m.name} requires, so only the gateway can call it`, owner: 'generated', readers: [names.modelWorkload(m.name)] });
  }
  for (const item of spec.secrets.items) {
    secrets.push({ id: `items/${item.name}`, namespace: names.zoneNamespace(item.zone as ZoneName), name: item.name, remoteKey: `${p}/items/${item.name}`,
      keys: [{ secretKey: 'value', property: 'value' }], purpose: `declared secret ${item.name}`, owner: item.owner, readers: [] });
  }
  const existing = spec.secrets.store === 'existing-cluster-store';
  const aws = spec.secrets.store === 'aws-secrets-manager';
  const storeNamespaces = existing ? [] : [...new Set(secrets.map((s) => s.namespace))].sort();
  const readerServiceAccount = existing ? undefined : SECRETS_READER;
  return {
    store: spec.secrets.store,
    storeName: existing ? spec.secrets.existingStoreName! : 'boundary-secrets',
    storeKind: existing ? 'ClusterSecretStore' : 'SecretStore',
    storeNamespaces,
    readerServiceAccount,
    readerSubjects: storeNamespaces.map((ns) => `system:serviceaccount:${ns}:${SECRETS_READER}`),
    readerRoleArn: aws ? names.workloadRoleArn('external-secrets') : undefined,
    readerTokenAudience: aws ? 'sts.amazonaws.com' : undefined,
    refreshInterval: '1h',
    rotationDays: spec.secrets.rotationDays,
    secrets,
  };
}
