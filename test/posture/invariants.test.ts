import { buildPosture, postureOfPlan, serializePosture } from '../../lib/posture/build';
import { POSTURE_SECTIONS, type Posture, type PostureEntry } from '../../lib/posture/types';
import { examplePlans, objectsOf } from '../helpers/examples';
import { citableRefs, clusterAndCloudArtifacts, grantEnd, postureOf } from './posture-helpers';

/**
 * The posture of every example, read back from its Kubernetes and CloudFormation artifacts, keeps the boundary's
 * security properties — checked against the spec, never copied from it.
 */
describe.each(examplePlans())('%s posture', (name, plan) => {
  const spec = plan.spec;
  let posture: Posture;
  beforeAll(async () => {
    posture = await postureOf(plan);
  });

  test('every boundary namespace denies ingress and egress by default', () => {
    for (const ns of plan.namespaces.map((n) => n.name)) {
      for (const direction of ['ingress', 'egress'] as const) {
        const denies = posture.network.filter((r) => r.mechanism === 'default-deny' && r.layer === 'kubernetes' && r.direction === direction
          && r.subject.kind === 'namespace' && r.subject.namespace === ns);
        expect({ ns, direction, denies: denies.length }).toEqual({ ns, direction, denies: 1 });
        expect(denies[0].peers).toEqual([]);
      }
    }
  });

  test('nothing is public unless the spec declares public ingress', () => {
    expect(spec.network.ingress).toBe('private');
    expect(posture.network.filter((r) => r.public).map((r) => r.key)).toEqual([]);
    expect(posture.network.filter((r) => r.peers.some((p) => p.kind === 'internet')).map((r) => r.key)).toEqual([]);
  });

  test('model access is exactly the spec teams × models, with their groups and limits', () => {
    const expected = spec.teams.flatMap((t) => t.models.map((m) => ({
      key: `model-access/${t.name}/${m}`, team: t.name, model: m, groups: [...t.groups].sort(),
      rateLimits: { requestsPerMinute: t.rateLimits.requestsPerMinute, tokensPerMinute: t.rateLimits.tokensPerMinute },
    }))).sort((a, b) => (a.key < b.key ? -1 : 1));
    expect(posture.modelAccess.map(({ evidence: _e, ...rest }) => rest)).toEqual(expected);
    for (const m of posture.modelAccess) expect(m.evidence.map((e) => e.ref)).toContain(`ConfigMap/${plan.gateway.namespace}/gateway-reconcile`);
  });

  test('every grant expires when the spec says, on both layers (AWS: read from the trust policy)', () => {
    const grants = posture.identity.filter((g) => g.key.includes('grant-') || g.key.includes(':grant:'));
    expect(grants.length).toBe(spec.access.grants.length * (spec.aws ? 3 : 1));
    for (const g of spec.access.grants) {
      const end = grantEnd(g.expires);
      const principal = g.principal.split('/').pop()!;
      const mine = grants.filter((x) => x.key.includes(principal));
      expect(mine.length).toBe(spec.aws ? 3 : 1);
      for (const x of mine) expect({ key: x.key, expires: x.expires }).toEqual({ key: x.key, expires: end });
      // The reason travels with the grant on every layer (an AWS tag value keeps letters, digits, spaces and _.:/=+-@ only).
      const awsReason = g.reason.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '-').slice(0, 256);
      for (const x of mine) expect({ key: x.key, reason: x.reason }).toEqual({ key: x.key, reason: x.layer === 'aws' ? awsReason : g.reason });
      const roles = mine.filter((x) => x.layer === 'aws' && x.level === 'iam');
      expect(roles.map((r) => r.trust?.conditions.filter((c) => c.key === 'aws:CurrentTime')))
        .toEqual(spec.aws ? [[{ operator: 'DateLessThan', key: 'aws:CurrentTime', values: [end] }]] : []);
    }
  });

  test('break-glass requires MFA wherever it appears', () => {
    const breakGlass = posture.identity.filter((g) => g.key.includes('break-glass'));
    expect(breakGlass.length).toBe(spec.access.breakGlass ? (spec.aws ? 3 : 1) : 0);
    for (const g of breakGlass) expect({ key: g.key, mfa: g.mfa }).toEqual({ key: g.key, mfa: true });
    for (const g of breakGlass.filter((x) => x.level === 'cluster-admin')) expect(g.scope).toBe('cluster');
  });

  test('the audit bucket keeps the spec retention under its Object Lock mode', () => {
    const audit = posture.retention.filter((r) => r.kind === 'bucket' && r.name === plan.gateway.audit.bucket);
    // A customer-run boundary's bucket is the customer's: no artifact creates it, so the posture cannot state its lock.
    expect(audit.map(({ lock, lockDays, legalHold, versioned }) => ({ lock, lockDays, legalHold, versioned }))).toEqual(spec.aws ? [{
      lock: spec.audit.objectLock === 'none' ? 'none' : spec.audit.objectLock.toUpperCase(),
      lockDays: spec.audit.objectLock === 'none' ? undefined : spec.audit.retentionDays,
      legalHold: spec.audit.legalHold,
      versioned: true,
    }] : []);
    for (const g of posture.retention.filter((r) => r.kind === 'log-group')) expect(g.days ?? Infinity).toBeGreaterThanOrEqual(spec.audit.retentionDays);
  });

  test('every Secrets Manager secret is under the boundary CMK and rotated by the template or a stated owner every rotationDays', () => {
    const stored = posture.secrets.filter((s) => s.evidence.some((e) => e.source === 'cloudformation'));
    expect(stored.length > 0).toBe(spec.aws !== undefined && spec.secrets.store === 'aws-secrets-manager');
    for (const s of stored) {
      expect({ key: s.key, atRest: s.atRest, kmsKey: s.kmsKey }).toEqual({ key: s.key, atRest: 'cmk', kmsKey: `alias/${plan.name}-boundary` });
      expect(s.rotation).toBeDefined();
    }
    const rotated = stored.filter((s) => s.rotation?.by !== 'none');
    for (const s of rotated) expect({ key: s.key, rotation: s.rotation }).toEqual({ key: s.key, rotation: { by: 'customer', days: spec.secrets.rotationDays } });
    // The only exception the template records: the Redis endpoint (host and port) is not a credential.
    expect(stored.filter((s) => s.rotation?.by === 'none').map((s) => [s.name, s.rotation?.reason]))
      .toEqual(plan.gateway.sharedCounters && spec.aws ? [[`${spec.secrets.keyPrefix}/gateway/redis-endpoint`, 'not a credential']] : []);
  });

  test('synced secrets are read only by the planned workloads and the store identity of their namespace', () => {
    const allowed = new Set([
      ...plan.secrets.secrets.flatMap((s) => s.readers.map((r) => `system:serviceaccount:${s.namespace}:${r}`)),
      ...plan.secrets.readerSubjects,
    ]);
    const serviceAccounts = posture.secrets.flatMap((s) => s.readers.filter((r) => r.startsWith('system:serviceaccount:')));
    expect(serviceAccounts.length).toBeGreaterThan(0);
    expect(serviceAccounts.filter((r) => !allowed.has(r))).toEqual([]);
    // Every remote key the plan syncs is in the posture, under the spec's store.
    expect([...new Set(plan.secrets.secrets.map((s) => `secret/${spec.secrets.store}/${s.remoteKey}`))].filter((k) => !posture.secrets.some((s) => s.key === k))).toEqual([]);
  });

  test('Pod Security restricted in every namespace, no container deviates from the baseline', () => {
    expect(posture.hardening.map((h) => h.namespace).sort()).toEqual(plan.namespaces.map((n) => n.name).sort());
    for (const h of posture.hardening) {
      expect({ ns: h.namespace, pss: h.pss, deviations: h.deviations })
        .toEqual({ ns: h.namespace, pss: { enforce: 'restricted', audit: 'restricted', warn: 'restricted' }, deviations: [] });
    }
  });

  test('redaction is every spec rule: what the gateway enforces, and the pass-through (allow) entities the gateway config records', () => {
    const expected = spec.gateway.redaction.flatMap((r) => r.entities.map((e) => [e, r.action])).sort();
    expect(posture.redaction.map((r) => [r.entity, r.action])).toEqual(expected);
    expect(posture.redaction.filter((r) => r.action === 'allow').every((r) => r.enforcedBy.includes('not redacted'))).toBe(true);
  });

  test('owners come from the artifacts: the spec customer and owner', () => {
    expect(posture.owners.customer).toBe(spec.customer);
    expect(posture.owners.owner).toBe(spec.owner);
    const declared = spec.secrets.items.map((i) => ({ secret: `${spec.secrets.keyPrefix}/items/${i.name}`, owner: i.owner }));
    expect(posture.owners.secretOwners).toEqual(expect.arrayContaining(declared));
  });

  test('keys are unique and every list is sorted (network: public first)', () => {
    const keys = POSTURE_SECTIONS.flatMap((s) => posture[s].map((e) => e.key));
    expect(new Set(keys).size).toBe(keys.length);
    for (const s of POSTURE_SECTIONS.filter((x) => x !== 'network')) {
      const k = posture[s].map((e) => e.key);
      expect(k).toEqual([...k].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
  });

  test('every evidence reference names an object or resource of the artifacts', async () => {
    const refs = citableRefs(plan, await clusterAndCloudArtifacts(plan));
    const cited = POSTURE_SECTIONS.flatMap((s) => posture[s].flatMap((e) => e.evidence.map((r) => r.ref)));
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.filter((r) => !refs.has(r))).toEqual([]);
    const entries: PostureEntry[] = POSTURE_SECTIONS.flatMap((s): readonly PostureEntry[] => posture[s]);
    expect(entries.filter((e) => e.evidence.length === 0).map((e) => e.key)).toEqual([]);
  });

  test('the document is byte-identical across builds, and does not depend on object order', async () => {
    const artifacts = await clusterAndCloudArtifacts(plan);
    const again = buildPosture({ boundary: name, artifacts: [...artifacts].reverse() });
    expect(serializePosture(again)).toBe(serializePosture(posture));
    const fresh = await postureOfPlan(plan, { targets: ['kubernetes'] });
    const k8sOnly = buildPosture({ boundary: name, artifacts: artifacts.filter((a) => a.target === 'kubernetes') });
    expect(serializePosture(fresh)).toBe(serializePosture(k8sOnly));
    expect(objectsOf(plan).length).toBeGreaterThan(0);
  });
});
