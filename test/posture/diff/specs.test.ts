import type { BoundaryPlan } from '../../../lib/plan';
import { postureOfPlan } from '../../../lib/posture/build';
import { classify, diffPostures, formatText, type Change, type ChangeKind } from '../../../lib/posture/diff';
import type { Posture } from '../../../lib/posture/types';
import type { Target } from '../../../lib/synth/targets';
import { exampleVariant, TEST_NOW } from '../../helpers/examples';

/**
 * Paired SPECS: acme-prod and one change to its manifest, each synthesized and read back (postureOfPlan), then diffed.
 * Each case names the changes it must produce (key pattern → kind) and the kinds that must not appear at all — a
 * tightening may never show a broadening or undetermined change anywhere in the posture.
 */
interface SpecCase {
  readonly name: string;
  /** The targets that carry the change (rendering only those keeps the table fast). */
  readonly targets: readonly Target[];
  readonly change: (m: any) => void;
  readonly expect: readonly [RegExp, ChangeKind][];
  readonly forbid: readonly ChangeKind[];
}

const K8S: Target[] = ['kubernetes'];
const CFN: Target[] = ['cloudformation'];
const BOTH: Target[] = ['kubernetes', 'cloudformation'];
const TIGHTENING: ChangeKind[] = ['broadening', 'undetermined'];
const CONSUMER_PATH = /^network\/kubernetes\/acme-prod-gateway\/NetworkPolicy\/allow-consumer-acme-apps-to-gateway-ingress\/ingress$/;

const CASES: SpecCase[] = [
  { name: 'consumer CIDR narrowed 10.60.0.0/16 → 10.60.128.0/17', targets: K8S, change: (m) => { m.spec.network.consumers[0].cidr = '10.60.128.0/17'; },
    expect: [[CONSUMER_PATH, 'narrowing']], forbid: TIGHTENING },
  { name: 'consumer CIDR widened 10.60.0.0/16 → 10.60.0.0/15', targets: K8S, change: (m) => { m.spec.network.consumers[0].cidr = '10.60.0.0/15'; },
    expect: [[CONSUMER_PATH, 'broadening']], forbid: ['narrowing'] },
  { name: 'an in-cluster consumer removed', targets: K8S, change: (m) => { m.spec.network.consumers.splice(1, 1); },
    expect: [[/notebooks/, 'narrowing']], forbid: TIGHTENING },
  { name: 'team rate limit lowered 120 → 60 req/min', targets: K8S, change: (m) => { m.spec.teams[0].rateLimits.requestsPerMinute = 60; },
    expect: [[/^model-access\/research\/llama-3-1-8b$/, 'narrowing']], forbid: TIGHTENING },
  { name: 'team rate limit raised 120 → 300 req/min', targets: K8S, change: (m) => { m.spec.teams[0].rateLimits.requestsPerMinute = 300; },
    expect: [[/^model-access\/research\/llama-3-1-8b$/, 'broadening']], forbid: ['narrowing'] },
  { name: 'redaction mask → allow', targets: K8S, change: (m) => { m.spec.gateway.redaction[0].action = 'allow'; },
    expect: [[/^redaction\/EMAIL_ADDRESS$/, 'broadening'], [/^redaction\/PERSON$/, 'broadening']], forbid: ['narrowing'] },
  { name: 'redaction mask → block', targets: K8S, change: (m) => { m.spec.gateway.redaction[0].action = 'block'; },
    expect: [[/^redaction\/PHONE_NUMBER$/, 'narrowing']], forbid: TIGHTENING },
  { name: 'audit retention shortened 400 → 365 days', targets: CFN, change: (m) => { m.spec.audit.retentionDays = 365; },
    expect: [[/^retention\/log-group\/.*cloudtrail/, 'broadening']], forbid: ['narrowing'] },
  { name: 'audit retention lengthened 400 → 730 days', targets: CFN, change: (m) => { m.spec.audit.retentionDays = 730; },
    expect: [[/^retention\/log-group\/.*cloudtrail/, 'narrowing']], forbid: TIGHTENING },
  { name: 'object lock COMPLIANCE → GOVERNANCE', targets: CFN, change: (m) => { m.spec.audit.objectLock = 'governance'; m.spec.audit.reason = 'staging restores, SEC-9'; },
    expect: [[/^retention\/bucket\/acme-prod-audit-/, 'broadening']], forbid: ['narrowing'] },
  { name: 'a grant extended by three months', targets: BOTH, change: (m) => { m.spec.access.grants[0].expires = '2027-09-30'; },
    expect: [[/^identity\/.*vendor-support/, 'broadening']], forbid: ['narrowing'] },
  { name: 'a grant shortened by three months', targets: BOTH, change: (m) => { m.spec.access.grants[0].expires = '2027-03-31'; },
    expect: [[/^identity\/.*vendor-support/, 'narrowing']], forbid: TIGHTENING },
  { name: 'a grant raised from view to edit', targets: K8S, change: (m) => { m.spec.access.grants[0].level = 'edit'; },
    expect: [[/^identity\/kubernetes\/.*vendor-support/, 'broadening']], forbid: ['narrowing'] },
];

/** Postures per spec variant and target set, rendered once. */
const cache = new Map<string, Promise<Posture>>();
function postureOf(plan: BoundaryPlan, targets: readonly Target[]): Promise<Posture> {
  const id = `${JSON.stringify(plan.spec)}\u0000${targets.join(',')}`;
  let p = cache.get(id);
  if (!p) {
    p = postureOfPlan(plan, { targets });
    cache.set(id, p);
  }
  return p;
}
const base = exampleVariant('acme-prod', () => undefined);

const summary = (changes: readonly Change[]): string[] => changes.map((c) => `${c.kind} ${c.key}`);

describe('paired specs: one change to acme-prod, synthesized and read back, classified', () => {
  test.each(CASES)('$name', async ({ targets, change, expect: expected, forbid }) => {
    const [before, after] = await Promise.all([postureOf(base, targets), postureOf(exampleVariant('acme-prod', change), targets)]);
    const changes = classify(before, after);
    for (const [pattern, kind] of expected) {
      expect({ pattern: pattern.source, kinds: changes.filter((c) => pattern.test(c.key)).map((c) => c.kind) }).toEqual({ pattern: pattern.source, kinds: expect.arrayContaining([kind]) });
    }
    expect(summary(changes.filter((c) => forbid.includes(c.kind)))).toEqual([]);
  });

  test('the same spec twice has no change', async () => {
    const [a, b] = await Promise.all([postureOf(base, BOTH), postureOf(exampleVariant('acme-prod', () => undefined), BOTH)]);
    expect(classify(a, b)).toEqual([]);
  });

  test('a realistic pull request reads on one screen, broadening first', async () => {
    const after = exampleVariant('acme-prod', (m) => {
      m.spec.network.consumers[0].cidr = '10.60.0.0/15';
      m.spec.teams[0].rateLimits.requestsPerMinute = 60;
      m.spec.gateway.redaction[0].action = 'allow';
      m.spec.access.grants[0].expires = '2027-09-30';
    });
    const report = diffPostures(await postureOf(base, K8S), await postureOf(after, K8S), { failOn: 'broadening', now: TEST_NOW });
    const text = formatText(report);
    expect(text.split('\n').length).toBeLessThanOrEqual(45);
    expect(text.split('\n')[1]).toMatch(/^FAIL --fail-on broadening: \d+ broadening changes not acknowledged$/);
    expect(text.indexOf('Broadening')).toBeLessThan(text.indexOf('By area'));
  });
});
