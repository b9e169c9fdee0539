import { MULTI_AZ_BELOW_RTO_MINUTES, remoteSecretsOf } from '../../lib/plan';
import { examplePlans, exampleVariant } from '../helpers/examples';

describe.each(examplePlans())('%s gateway state', (_name, plan) => {
  test('the secrets it fills are exactly the remote keys External Secrets reads for the database and Redis', () => {
    const gs = plan.gatewayState;
    const remote = remoteSecretsOf(plan.secrets).map((r) => r.remoteKey);
    expect(remote).toContain(gs.databaseSecretName);
    const counters = gs.sharedCounters ? [gs.sharedCounters.authSecretName, gs.sharedCounters.endpointSecretName] : [];
    expect(remote.filter((k) => /\/gateway\/(redis|redis-endpoint)$/.test(k)).sort()).toEqual(counters.sort());
    expect(gs.sharedCounters !== undefined).toBe(plan.gateway.sharedCounters);
  });
});

test.each([
  [MULTI_AZ_BELOW_RTO_MINUTES - 1, 15, true, 14],
  [MULTI_AZ_BELOW_RTO_MINUTES, 15, false, 14],
  [MULTI_AZ_BELOW_RTO_MINUTES * 2, 16, false, 7],
])('RTO %i min, RPO %i min → Multi-AZ %s, %i days of backups', (rtoMinutes, rpoMinutes, multiAz, days) => {
  const plan = exampleVariant('acme-prod', (m) => { m.spec.resilience = { rtoMinutes, rpoMinutes }; });
  expect([plan.gatewayState.multiAz, plan.gatewayState.backupRetentionDays]).toEqual([multiAz, days]);
});
