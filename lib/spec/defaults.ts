/**
 * Every default of the spec, written once. Documented with `@default` in lib/spec/types.ts;
 * test/spec/defaults.test.ts asserts the two agree.
 */
export const DEFAULTS = {
  availabilityZones: 3,
  zoneCidrMask: { gateway: 22, models: 20, data: 24 },
  ingress: 'private',
  waf: false,
  oidcGroupsClaim: 'groups',
  oidcGroupsPrefix: 'oidc:',
  oidcUsernameClaim: 'email',
  poolMinNodes: 0,
  poolCapacityType: 'on-demand',
  poolProvisioner: 'managed-node-group',
  poolDiskGiB: 200,
  modelGpus: 1,
  modelReplicas: 1,
  gatewayReplicas: 2,
  teamGpuQuota: 0,
  breakGlassRequireMfa: true,
  secretsRotationDays: 30,
  vaultPath: 'secret',
  vaultAuthMountPath: 'kubernetes',
  secretItemZone: 'models',
  auditRetentionDays: 400,
  auditObjectLock: 'compliance',
  auditLegalHold: false,
  rtoMinutes: 60,
  rpoMinutes: 15,
} as const;

/** Audit retention below this many days needs an explicit `audit.reason`. */
export const MIN_RETENTION_DAYS_WITHOUT_REASON = 365;
/** A grant expiring within this many days raises a warning. */
export const GRANT_EXPIRY_WARNING_DAYS = 14;
/** Prefix length of each per-AZ public subnet, allocated only with `ingress: public` (for the internet-facing ALB). */
export const PUBLIC_SUBNET_MASK = 26;
