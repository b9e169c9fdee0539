import type { AnyPostureEntry, ChangeKind } from '../../../lib/posture/diff';
import { access, change, hardening, kindOf, redaction, retention, secret, store } from './builders';

type Case = [string, AnyPostureEntry | undefined, AnyPostureEntry | undefined, ChangeKind];

/**
 * Every ordered control in both directions: [name, weaker, stronger]. weaker → stronger must be narrowing and
 * stronger → weaker broadening.
 */
const LATTICE_PAIRS: [string, AnyPostureEntry, AnyPostureEntry][] = [
  ['retention days 90 vs 400', retention({ days: 90 }), retention({ days: 400 })],
  ['retention 400 days vs forever', retention({ days: 400 }), retention({ days: undefined })],
  ['object lock GOVERNANCE vs COMPLIANCE', retention({ lock: 'GOVERNANCE' }), retention({ lock: 'COMPLIANCE' })],
  ['object lock none vs GOVERNANCE', retention({ lock: 'none', lockDays: undefined }), retention({ lock: 'GOVERNANCE', lockDays: undefined })],
  ['object lock days 90 vs 400', retention({ lockDays: 90 }), retention({ lockDays: 400 })],
  ['legal hold off vs on', retention({ legalHold: false }), retention({ legalHold: true })],
  ['versioning off vs on', retention({ versioned: false }), retention({ versioned: true })],
  ['store at rest none vs aws-managed', store({ atRest: 'none' }), store({ atRest: 'aws-managed' })],
  ['store at rest aws-managed vs cmk', store({ atRest: 'aws-managed' }), store({ atRest: 'cmk' })],
  ['in transit none vs available', store({ inTransit: 'none' }), store({ inTransit: 'available' })],
  ['in transit available vs enforced', store({ inTransit: 'available' }), store({ inTransit: 'enforced' })],
  ['public access block off vs on', store({ publicAccessBlocked: false }), store({ publicAccessBlocked: true })],
  ['secret at rest aws-managed vs cmk', secret({ atRest: 'aws-managed', kmsKey: undefined }), secret()],
  ['rotation every 90 vs 30 days', secret({ rotation: { by: 'customer', days: 90 } }), secret({ rotation: { by: 'customer', days: 30 } })],
  ['rotation none vs by the customer', secret({ rotation: { by: 'none' } }), secret({ rotation: { by: 'customer', days: 30 } })],
  ['rotation by the customer vs the template', secret({ rotation: { by: 'customer', days: 30 } }), secret({ rotation: { by: 'template', days: 30 } })],
  ['pod security enforce privileged vs baseline', hardening({ pss: { enforce: 'privileged', audit: 'restricted', warn: 'restricted' } }), hardening({ pss: { enforce: 'baseline', audit: 'restricted', warn: 'restricted' } })],
  ['pod security enforce baseline vs restricted', hardening({ pss: { enforce: 'baseline', audit: 'restricted', warn: 'restricted' } }), hardening()],
  ['pod security audit baseline vs restricted', hardening({ pss: { enforce: 'restricted', audit: 'baseline', warn: 'restricted' } }), hardening()],
  ['a deviation vs none', hardening({ deviations: ['Deployment/vllm/vllm: writable root filesystem'] }), hardening()],
  ['redaction allow vs mask', redaction({ action: 'allow' }), redaction({ action: 'mask' })],
  ['redaction mask vs block', redaction({ action: 'mask' }), redaction({ action: 'block' })],
  ['requests per minute 600 vs 300', access({ rateLimits: { requestsPerMinute: 600, tokensPerMinute: 500000 } }), access()],
  ['tokens per minute unlimited vs 500000', access({ rateLimits: { requestsPerMinute: 300 } }), access()],
  ['an extra IdP group vs one', access({ groups: ['acme-research', 'acme-contractors'] }), access()],
  ['readers: two vs one', secret({ readers: ['system:serviceaccount:acme-prod-gateway:gateway', 'system:serviceaccount:acme-prod-team-research:app'] }), secret()],
  ['readers: * vs one', secret({ readers: ['*'] }), secret()],
];

const ENTRY_CASES: Case[] = [
  ['model access granted', undefined, access(), 'broadening'],
  ['model access revoked', access(), undefined, 'narrowing'],
  ['a rate limit removed (unlimited)', access(), access({ rateLimits: { tokensPerMinute: 500000 } }), 'broadening'],
  ['a rate limit added', access({ rateLimits: { tokensPerMinute: 500000 } }), access(), 'narrowing'],
  ['limits lowered but a group added: the group broadens', access(), access({ groups: ['acme-research', 'x'], rateLimits: { requestsPerMinute: 10 } }), 'broadening'],
  ['a secret added with a reader', undefined, secret(), 'broadening'],
  ['a secret removed', secret(), undefined, 'narrowing'],
  ['a secret added that nobody reads', undefined, secret({ readers: [] }), 'neutral'],
  ['another KMS key (cannot be ordered)', secret(), secret({ kmsKey: 'alias/other' }), 'undetermined'],
  ['encryption at rest no longer evidenced', secret(), secret({ atRest: undefined, kmsKey: undefined }), 'undetermined'],
  ['rotation no longer evidenced', secret(), secret({ rotation: undefined }), 'undetermined'],
  ['in transit no longer governed by the artifact', store(), store({ inTransit: undefined }), 'undetermined'],
  ['a new encrypted store', undefined, store(), 'neutral'],
  ['a new unencrypted store', undefined, store({ atRest: 'none' }), 'broadening'],
  ['a store gone from the artifacts', store(), undefined, 'neutral'],
  ['records kept by a new log group', undefined, retention({ kind: 'log-group', key: 'retention/log-group/x', name: 'x', lock: undefined, lockDays: undefined }), 'narrowing'],
  ['records no longer kept', retention(), undefined, 'broadening'],
  ['retention reason changed only', retention({ reason: 'a' }), retention({ reason: 'b' }), 'neutral'],
  ['retention shortened while the lock strengthened: shorter broadens', retention({ lock: 'GOVERNANCE' }), retention({ days: 90 }), 'broadening'],
  ['a redaction rule removed (entity passes)', redaction(), undefined, 'broadening'],
  ['an allow redaction rule removed', redaction({ action: 'allow' }), undefined, 'neutral'],
  ['a block rule added', undefined, redaction({ action: 'block' }), 'narrowing'],
  ['an allow rule added', undefined, redaction({ action: 'allow' }), 'neutral'],
  ['enforced elsewhere (pre-call → post-call)', redaction(), redaction({ enforcedBy: 'gateway (presidio guardrail, post_call)' }), 'undetermined'],
  ['a new restricted namespace', undefined, hardening(), 'neutral'],
  ['a new privileged namespace', undefined, hardening({ pss: { enforce: 'privileged', audit: 'privileged', warn: 'privileged' } }), 'broadening'],
  ['a namespace gone from the artifacts', hardening(), undefined, 'neutral'],
  ['evidence references only', retention(), retention({ evidence: [{ source: 'cloudformation', ref: 'acme-prod-boundary:AuditBucket2' }] }), 'neutral'],
];

describe('ordered controls: strengthening narrows, weakening broadens', () => {
  test.each(LATTICE_PAIRS)('%s', (_name, weaker, stronger) => {
    expect([kindOf(weaker, stronger), kindOf(stronger, weaker)]).toEqual(['narrowing', 'broadening']);
  });
});

describe('entries of the other sections', () => {
  test.each(ENTRY_CASES)('%s: %#', (_name, before, after, expected) => {
    expect(kindOf(before, after)).toBe(expected);
  });
});

describe('lattice change details', () => {
  test('retention shortened reads as weaker, with both values', () => {
    expect(change(retention(), retention({ days: 90 })).details).toEqual(['retention: 400 days → 90 days (weaker)']);
  });

  test('object lock compliance → governance names the lattice', () => {
    expect(change(retention(), retention({ lock: 'GOVERNANCE' })).details).toEqual(['object lock weakened: COMPLIANCE → GOVERNANCE']);
  });

  test('a lowered team limit names the limit', () => {
    const c = change(access(), access({ rateLimits: { requestsPerMinute: 100, tokensPerMinute: 500000 } }));
    expect(c.summary).toBe('team research × llama-3-1-8b: requests per minute: 300 → 100 (stronger)');
  });

  test('an evidence-only change says so and lists the references', () => {
    const c = change(retention(), retention({ evidence: [{ source: 'cloudformation', ref: 'acme-prod-boundary:AuditBucket2' }] }));
    expect(c.summary).toBe('retention/bucket/acme-prod-audit: only its evidence references changed');
    expect(c.details).toEqual(['evidence: acme-prod-boundary:AuditBucket → acme-prod-boundary:AuditBucket2']);
  });
});
