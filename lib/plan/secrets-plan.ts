import type { ResolvedSpec } from '../spec/resolve';
import type { SecretStoreKind, ZoneName } from '../spec/types';
import type { BoundaryNames } from './names';

/** One key of a Kubernetes Secret, copied from one property of a remote secret (or rendered: see {@link SecretTemplatePlan}). */
export interface SecretKeyPlan {
  /** Key in the Kubernetes Secret (also the env var name where it is injected). */
  readonly secretKey: string;
  /**
   * Property of the remote JSON secret the value is copied from; unset in a secret with a `template`, which renders
   * every key from several properties.
   */
  readonly property?: string;
  /**
   * Remote secret holding `property`, when it is not the secret's own `remoteKey` — e.g. the Redis endpoint, which the
   * AWS target publishes beside the AUTH token because the token must exist before the cache that reports the endpoint.
   * @default - the secret's `remoteKey`
   */
  readonly remoteKey?: string;
}

/** A property of a remote JSON secret that a template reads into a variable of the same name. */
export interface TemplateInputPlan {
  /** Property of the remote JSON secret; also the template variable (`{{ .<property> }}`). */
  readonly property: string;
  /** Remote secret holding it. @default - the secret's `remoteKey` */
  readonly remoteKey?: string;
}

/**
 * Keys of a Kubernetes Secret rendered from several remote properties instead of copied one to one — e.g. a
 * PostgreSQL URL built from the database credentials secret RDS fills (username, password, host, port, dbname).
 * The External Secrets target fetches each input into a template variable and renders `data` with ESO's template
 * engine v2 (Go text/template with the sprig functions):
 * https://external-secrets.io/latest/guides/templating/. The inputs are not keys of the resulting Secret.
 */
export interface SecretTemplatePlan {
  /** Remote properties the templates read. */
  readonly inputs: readonly TemplateInputPlan[];
  /** Go template of each key of the Secret (every key of a templated secret is rendered), over the input variables. */
  readonly data: Readonly<Record<string, string>>;
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
  /** Keys of the Kubernetes Secret, as workloads read them. */
  readonly keys: readonly SecretKeyPlan[];
  /**
   * Renders every key from several remote properties (ESO `target.template`, engine v2) instead of copying each.
   * @default - every key is copied from its property
   */
  readonly template?: SecretTemplatePlan;
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

/**
 * `DATABASE_URL` of the gateway, rendered from the database credentials secret (the JSON RDS keeps current:
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_secret_json_structure.html). User and password
 * are query-escaped (Go's `urlquery`), so the characters a URL reserves (`@ : / ? # %`) stay inside the userinfo — a space
 * would turn into `+`, and generated passwords never hold one; TLS is required.
 */
export const DATABASE_URL_TEMPLATE: SecretTemplatePlan = {
  inputs: ['username', 'password', 'host', 'port', 'dbname'].map((property) => ({ property })),
  data: { DATABASE_URL: 'postgresql://{{ .username | urlquery }}:{{ .password | urlquery }}@{{ .host }}:{{ .port }}/{{ .dbname }}?sslmode=require' },
};

/** LiteLLM accepts only admin keys that start with `sk-` (LiteLLM proxy docs, "master_key"); the store holds the random part. */
export const MASTER_KEY_TEMPLATE: SecretTemplatePlan = {
  inputs: [{ property: 'value' }],
  data: { LITELLM_MASTER_KEY: 'sk-{{ .value }}' },
};

/** Name of the ServiceAccount every SecretStore of the boundary authenticates as. */
export const SECRETS_READER = 'secrets-reader';

/** Derives every secret the workloads use. */
export function planSecrets(spec: ResolvedSpec, names: BoundaryNames): SecretsPlan {
  const p = spec.secrets.keyPrefix;
  const state = names.gatewayStateSecrets();
  const gw = names.zoneNamespace('gateway');
  const models = names.zoneNamespace('models');
  const single = (secretKey: string): SecretKeyPlan[] => [{ secretKey, property: 'value' }];
  const secrets: SecretPlan[] = [
    { id: 'gateway/master-key', namespace: gw, name: 'gateway-master-key', remoteKey: `${p}/gateway/master-key`,
      keys: [{ secretKey: 'LITELLM_MASTER_KEY' }], template: MASTER_KEY_TEMPLATE,
      purpose: 'LiteLLM admin (master) key: team and key administration', owner: 'generated', readers: ['gateway', 'gateway-reconcile'] },
    { id: 'gateway/salt-key', namespace: gw, name: 'gateway-salt-key', remoteKey: `${p}/gateway/salt-key`, keys: single('LITELLM_SALT_KEY'),
      purpose: 'encrypts credentials LiteLLM stores in its database', owner: 'generated', readers: ['gateway'] },
    // The database credentials secret is the one RDS fills (username, password, host, port, dbname: the Secrets
    // Manager JSON structure of RDS credentials); the URL is rendered from it, so no store holds a second copy.
    { id: 'gateway/database', namespace: gw, name: 'gateway-database', remoteKey: state.database,
      keys: [{ secretKey: 'DATABASE_URL' }], template: DATABASE_URL_TEMPLATE,
      purpose: 'PostgreSQL connection URL of the gateway (teams, keys, spend)', owner: 'generated', readers: ['gateway'] },
  ];
  if (!spec.aws) {
    // Without Pod Identity the gateway signs its audit uploads with an access key the customer issues and rotates.
    secrets.push({ id: 'gateway/audit-s3', namespace: gw, name: 'gateway-audit-s3', remoteKey: `${p}/gateway/audit-s3`,
      keys: [{ secretKey: 'AUDIT_S3_ACCESS_KEY_ID', property: 'accessKeyId' }, { secretKey: 'AUDIT_S3_SECRET_ACCESS_KEY', property: 'secretAccessKey' }],
      purpose: 'access key the gateway writes request-audit records with (customer-run cluster)', owner: spec.owner, readers: ['gateway'] });
  }
  if (spec.gateway.replicas > 1) {
    // The AUTH token must exist before the cache (which takes it at creation) and the endpoint only after it: two
    // remote secrets, so neither is copied and no value is ever written by hand.
    const endpoint = state.redisEndpoint;
    secrets.push({ id: 'gateway/redis', namespace: gw, name: 'gateway-redis', remoteKey: state.redisAuth,
      keys: [{ secretKey: 'REDIS_HOST', property: 'host', remoteKey: endpoint }, { secretKey: 'REDIS_PORT', property: 'port', remoteKey: endpoint },
        { secretKey: 'REDIS_PASSWORD', property: 'password' }],
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

/** A remote secret of the store, with every property some Kubernetes Secret reads from it. */
export interface RemoteSecretPlan {
  /** Key (name) of the remote secret, e.g. `pab/acme-prod/gateway/master-key`. */
  readonly remoteKey: string;
  /** Properties read from its JSON value, sorted. */
  readonly properties: readonly string[];
  /** Owners of the secrets that read it (`generated` or an e-mail), sorted. */
  readonly owners: readonly string[];
  /** Ids of the secrets that read it, in plan order. */
  readonly readBy: readonly string[];
  /** Purposes of those secrets, in the same order (a description of the remote secret). */
  readonly purposes: readonly string[];
}

/**
 * Every remote secret the plan's secrets read, once each, sorted by key — what a store must hold (the AWS target
 * creates one Secrets Manager secret per entry). Several Kubernetes Secrets may read one remote secret (a model's API
 * key is read in the gateway and the runtime namespaces), and one Kubernetes Secret may read several.
 */
export function remoteSecretsOf(plan: SecretsPlan): RemoteSecretPlan[] {
  const byKey = new Map<string, { properties: Set<string>; owners: Set<string>; readBy: string[]; purposes: string[] }>();
  const add = (remoteKey: string, property: string, secret: SecretPlan) => {
    const entry = byKey.get(remoteKey) ?? { properties: new Set<string>(), owners: new Set<string>(), readBy: [], purposes: [] };
    byKey.set(remoteKey, entry);
    entry.properties.add(property);
    entry.owners.add(secret.owner);
    if (!entry.readBy.includes(secret.id)) {
      entry.readBy.push(secret.id);
      entry.purposes.push(secret.purpose);
    }
  };
  for (const secret of plan.secrets) {
    for (const k of secret.keys) if (k.property !== undefined) add(k.remoteKey ?? secret.remoteKey, k.property, secret);
    for (const i of secret.template?.inputs ?? []) add(i.remoteKey ?? secret.remoteKey, i.property, secret);
  }
  const sorted = (set: Set<string>) => [...set].sort();
  return [...byKey.keys()].sort().map((remoteKey) => {
    const e = byKey.get(remoteKey)!;
    return { remoteKey, properties: sorted(e.properties), owners: sorted(e.owners), readBy: e.readBy, purposes: e.purposes };
  });
}
