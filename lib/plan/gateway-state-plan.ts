import type { ResolvedSpec } from '../spec/resolve';
import type { BoundaryNames } from './names';

/**
 * Below this recovery-time objective the gateway database runs Multi-AZ: a single-AZ restore from backup (new
 * instance, snapshot restore, log replay) routinely takes longer than four hours for a busy database.
 */
export const MULTI_AZ_BELOW_RTO_MINUTES = 240;

/** The gateway's PostgreSQL and Valkey as the recovery objectives size them (the CloudFormation target creates them). */
export interface GatewayStatePlan {
  /** `<boundary>-gateway`: the database and cache identifier. */
  readonly identifier: string;
  /** Standby in a second AZ. */
  readonly multiAz: boolean;
  /**
   * Days of automated backups (point-in-time restore to any second within them): 14 for an RPO of 15 minutes or less,
   * else 7 — either way the restore point is at most ~5 minutes old, far inside any declared RPO.
   */
  readonly backupRetentionDays: number;
  /** Remote key of the database credentials secret. */
  readonly databaseSecretName: string;
  /** The Valkey cache for shared rate-limit counters, when the gateway has more than one replica. */
  readonly sharedCounters?: { readonly authSecretName: string; readonly endpointSecretName: string };
}

/** Derives the gateway state from the resilience objectives and the gateway's replica count. */
export function planGatewayState(spec: ResolvedSpec, names: BoundaryNames, sharedCounters: boolean): GatewayStatePlan {
  const secrets = names.gatewayStateSecrets();
  return {
    identifier: `${spec.name}-gateway`,
    multiAz: spec.resilience.rtoMinutes < MULTI_AZ_BELOW_RTO_MINUTES,
    backupRetentionDays: spec.resilience.rpoMinutes <= 15 ? 14 : 7,
    databaseSecretName: secrets.database,
    ...(sharedCounters ? { sharedCounters: { authSecretName: secrets.redisAuth, endpointSecretName: secrets.redisEndpoint } } : {}),
  };
}
