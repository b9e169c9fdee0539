import fc from 'fast-check';
import { classify, type AnyPostureEntry, type ChangeKind } from '../../../lib/posture/diff';
import { formatBlock, parseBlock, uncoveredBlocks, type IpBlock } from '../../../lib/posture/diff/cidr';
import { globCovered } from '../../../lib/posture/diff/glob';
import { uncoveredPorts } from '../../../lib/posture/diff/ports';
import type { IamStatement, NetworkPeer, PortRange } from '../../../lib/posture/types';
import { access, allow, deny, hardening, kindOf, posture, redaction, retention, role, rule, secret, store } from './builders';

// ---- arbitraries ---------------------------------------------------------------------------------------------------

/** A block inside 10.0.0.0/24 (small enough to enumerate). */
const v4Block = fc.record({ prefix: fc.integer({ min: 24, max: 32 }), n: fc.integer({ min: 0, max: 255 }) })
  .map(({ prefix, n }): IpBlock => ({ family: 4, base: (10n << 24n) + BigInt(n - (n % 2 ** (32 - prefix))), prefix }));
/** A block inside 2001:db8::/120. */
const v6Block = fc.record({ prefix: fc.integer({ min: 120, max: 128 }), n: fc.integer({ min: 0, max: 255 }) })
  .map(({ prefix, n }): IpBlock => ({ family: 6, base: (0x20010db8n << 96n) + BigInt(n - (n % 2 ** (128 - prefix))), prefix }));

const peerArb: fc.Arbitrary<NetworkPeer> = fc.oneof(
  fc.constant<NetworkPeer>({ kind: 'internet' }),
  fc.oneof(v4Block, v6Block).map((b): NetworkPeer => ({ kind: 'cidr', cidr: formatBlock(b) })),
  fc.constantFrom('a', 'b').map((namespace): NetworkPeer => ({ kind: 'namespace', namespace })),
  fc.record({ namespace: fc.constantFrom('a', 'b', '*'), selector: fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('x', 'y'), { maxKeys: 2 }) })
    .map((p): NetworkPeer => ({ kind: 'pods', ...p })),
  fc.constantFrom('GatewaySg', 'DataSg').map((name): NetworkPeer => ({ kind: 'security-group', name })),
);
const portArb: fc.Arbitrary<PortRange> = fc.oneof(
  fc.constant<PortRange>({ protocol: 'all', from: 0, to: 65535 }),
  fc.record({ protocol: fc.constantFrom('tcp' as const, 'udp' as const), from: fc.integer({ min: 0, max: 1024 }), len: fc.integer({ min: 0, max: 100 }) })
    .map(({ protocol, from, len }): PortRange => ({ protocol, from, to: from + len })),
);
const statementArb: fc.Arbitrary<IamStatement> = fc.record({
  effect: fc.constantFrom('Allow' as const, 'Deny' as const),
  actions: fc.array(fc.constantFrom('*', 's3:*', 's3:GetObject', 's3:Get*', 'kms:Decrypt'), { minLength: 1, maxLength: 3 }),
  resources: fc.array(fc.constantFrom('*', 'arn:aws:s3:::a/*', 'arn:aws:s3:::a/x', 'arn:aws:s3:::b/*'), { minLength: 1, maxLength: 2 }),
  conditions: fc.array(fc.constantFrom({ operator: 'Bool', key: 'aws:MultiFactorAuthPresent', values: ['true'] }, { operator: 'StringEquals', key: 'aws:SourceVpc', values: ['vpc-1'] }), { maxLength: 2 }),
});

/** A posture with a few entries of every section (keys unique by construction). */
const postureArb = fc.record({
  rules: fc.array(fc.record({ peers: fc.array(peerArb, { maxLength: 3 }), ports: fc.array(portArb, { maxLength: 2 }), deny: fc.boolean() }), { maxLength: 4 }),
  statements: fc.array(statementArb, { maxLength: 4 }),
  days: fc.option(fc.integer({ min: 1, max: 3650 }), { nil: undefined }),
  lock: fc.constantFrom('none' as const, 'GOVERNANCE' as const, 'COMPLIANCE' as const),
  action: fc.constantFrom('allow' as const, 'mask' as const, 'block' as const),
  rpm: fc.option(fc.integer({ min: 1, max: 10000 }), { nil: undefined }),
}).map((g) => posture([
  ...g.rules.map((r, i) => rule({ key: `network/k/${i}`, peers: r.peers, ports: r.ports, ...(r.deny ? { mechanism: 'default-deny' as const, peers: [] } : {}) })),
  role({ permissions: g.statements }),
  retention({ days: g.days, lock: g.lock }),
  redaction({ action: g.action }),
  access({ rateLimits: { requestsPerMinute: g.rpm } }),
  secret(), store(), hardening(),
]));

/** The same value with every object's keys in reverse order (a reader may write fields in any order). */
function reordered<T>(v: T): T {
  if (Array.isArray(v)) return v.map(reordered) as T;
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.keys(v).reverse().map((k) => [k, reordered((v as Record<string, unknown>)[k])])) as T;
  return v;
}

// ---- brute force --------------------------------------------------------------------------------------------------

const addresses = (b: IpBlock): bigint[] => {
  const n = 1n << BigInt((b.family === 4 ? 32 : 128) - b.prefix);
  return Array.from({ length: Number(n) }, (_, i) => b.base + BigInt(i));
};
const coveredByBrute = (inner: IpBlock, outers: readonly IpBlock[]): bigint[] => {
  const covered = new Set(outers.filter((o) => o.family === inner.family).flatMap(addresses));
  return addresses(inner).filter((a) => !covered.has(a));
};

/** An independent matcher: the glob as a regular expression. */
const regexOf = (glob: string): RegExp => new RegExp(`^${[...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 's');
function stringsUpTo(alphabet: readonly string[], max: number): string[] {
  const out = [''];
  let layer = [''];
  for (let i = 0; i < max; i++) {
    layer = layer.flatMap((s) => alphabet.map((c) => s + c));
    out.push(...layer);
  }
  return out;
}
const STRINGS = stringsUpTo(['a', 'b', 'c'], 7);

// ---- properties ---------------------------------------------------------------------------------------------------

describe('rules that always hold', () => {
  test('a posture compared with itself, or with a copy whose fields are in another order, has no change', () => {
    fc.assert(fc.property(postureArb, (p) => {
      expect(classify(p, p)).toEqual([]);
      expect(classify(p, reordered(p))).toEqual([]);
    }), { numRuns: 150 });
  });

  test('entries of the same set written in another order are at most neutral', () => {
    fc.assert(fc.property(fc.array(peerArb, { minLength: 2, maxLength: 4 }), fc.array(portArb, { minLength: 1, maxLength: 3 }), (peers, ports) => {
      const a = rule({ peers, ports });
      const b = rule({ peers: [...peers].reverse(), ports: [...ports].reverse() });
      expect(classify(posture([a]), posture([b])).every((c) => c.kind === 'neutral')).toBe(true);
    }), { numRuns: 200 });
  });

  /** One lattice-valued field of one entry; two values of it give a lattice-only change. */
  const pair = (a: AnyPostureEntry, b: AnyPostureEntry): [AnyPostureEntry, AnyPostureEntry] => [a, b];
  const latticeChange: fc.Arbitrary<[AnyPostureEntry, AnyPostureEntry]> = fc.oneof(
    fc.tuple(fc.option(fc.integer({ min: 1, max: 4000 }), { nil: undefined }), fc.option(fc.integer({ min: 1, max: 4000 }), { nil: undefined })).map(([x, y]) => pair(retention({ days: x }), retention({ days: y }))),
    fc.tuple(fc.constantFrom('none', 'GOVERNANCE', 'COMPLIANCE'), fc.constantFrom('none', 'GOVERNANCE', 'COMPLIANCE')).map(([x, y]) => pair(retention({ lock: x as 'none' }), retention({ lock: y as 'none' }))),
    fc.tuple(fc.constantFrom('none', 'aws-managed', 'cmk'), fc.constantFrom('none', 'aws-managed', 'cmk')).map(([x, y]) => pair(store({ atRest: x as 'cmk' }), store({ atRest: y as 'cmk' }))),
    fc.tuple(fc.constantFrom('none', 'available', 'enforced'), fc.constantFrom('none', 'available', 'enforced')).map(([x, y]) => pair(store({ inTransit: x as 'none' }), store({ inTransit: y as 'none' }))),
    fc.tuple(fc.constantFrom('privileged', 'baseline', 'restricted'), fc.constantFrom('privileged', 'baseline', 'restricted'))
      .map(([x, y]) => pair(hardening({ pss: { enforce: x as 'baseline', audit: 'restricted', warn: 'restricted' } }), hardening({ pss: { enforce: y as 'baseline', audit: 'restricted', warn: 'restricted' } }))),
    fc.tuple(fc.constantFrom('allow', 'mask', 'block'), fc.constantFrom('allow', 'mask', 'block')).map(([x, y]) => pair(redaction({ action: x as 'mask' }), redaction({ action: y as 'mask' }))),
    fc.tuple(fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }), fc.option(fc.integer({ min: 1, max: 5000 }), { nil: undefined }))
      .map(([x, y]) => pair(access({ rateLimits: { requestsPerMinute: x } }), access({ rateLimits: { requestsPerMinute: y } }))),
    fc.tuple(fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }), fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }))
      .map(([x, y]) => pair(secret({ rotation: { by: 'customer', days: x } }), secret({ rotation: { by: 'customer', days: y } }))),
    fc.tuple(fc.option(fc.constantFrom('2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z', '2027-06-30T00:00:00Z'), { nil: undefined }), fc.option(fc.constantFrom('2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z'), { nil: undefined }))
      .map(([x, y]) => pair(role({ expires: x }), role({ expires: y }))),
  );

  test('for lattice-only changes, a → b is broadening exactly when b → a is narrowing', () => {
    const dual: Record<ChangeKind, ChangeKind> = { broadening: 'narrowing', narrowing: 'broadening', neutral: 'neutral', undetermined: 'undetermined' };
    fc.assert(fc.property(latticeChange, ([a, b]) => {
      fc.pre(JSON.stringify(a) !== JSON.stringify(b));
      const forward = kindOf(a, b);
      expect(['broadening', 'narrowing']).toContain(forward);
      expect(kindOf(b, a)).toBe(dual[forward]);
    }), { numRuns: 300 });
  });

  test('CIDR coverage by a union agrees with enumerating addresses (IPv4 and IPv6), and the uncovered part is exact', () => {
    fc.assert(fc.property(fc.oneof(
      fc.tuple(v4Block, fc.array(v4Block, { maxLength: 5 })),
      fc.tuple(v6Block, fc.array(v6Block, { maxLength: 5 })),
    ), ([inner, outers]) => {
      const rest = uncoveredBlocks(inner, outers);
      expect(rest.flatMap(addresses).sort()).toEqual(coveredByBrute(inner, outers).sort());
    }), { numRuns: 300 });
  });

  test('CIDR text round-trips through parse and format', () => {
    fc.assert(fc.property(fc.oneof(v4Block, v6Block), (b) => {
      expect(parseBlock(formatBlock(b))).toEqual(b);
    }));
  });

  test('port coverage agrees with enumerating ports', () => {
    const small = fc.record({ protocol: fc.constantFrom('tcp' as const, 'udp' as const), from: fc.integer({ min: 0, max: 31 }), len: fc.integer({ min: 0, max: 8 }) })
      .map(({ protocol, from, len }): PortRange => ({ protocol, from, to: from + len }));
    fc.assert(fc.property(small, fc.array(small, { maxLength: 4 }), (inner, outers) => {
      const left = new Set(uncoveredPorts(inner, outers).flatMap((r) => Array.from({ length: r.to - r.from + 1 }, (_, i) => r.from + i)));
      const brute = Array.from({ length: inner.to - inner.from + 1 }, (_, i) => inner.from + i)
        .filter((p) => !outers.some((o) => o.protocol === inner.protocol && o.from <= p && p <= o.to));
      expect([...left].sort((x, y) => x - y)).toEqual(brute);
    }), { numRuns: 300 });
  });

  test('glob coverage by a union agrees with a regular-expression check over every short string', () => {
    const glob = fc.array(fc.constantFrom('a', 'b', '*', '?'), { maxLength: 3 }).map((cs) => cs.join(''));
    fc.assert(fc.property(glob, fc.array(glob, { maxLength: 3 }), (inner, outers) => {
      const witness = STRINGS.find((s) => regexOf(inner).test(s) && !outers.some((o) => regexOf(o).test(s)));
      expect(globCovered({ text: inner }, outers.map((text) => ({ text })))).toBe(witness === undefined);
    }), { numRuns: 500 });
  });

  test('a network rule over small CIDR and port sets is classified as enumerating its allowed set says', () => {
    const tiny = fc.record({ prefix: fc.integer({ min: 28, max: 32 }), n: fc.integer({ min: 0, max: 15 }) })
      .map(({ prefix, n }): IpBlock => ({ family: 4, base: (10n << 24n) + BigInt(n - (n % 2 ** (32 - prefix))), prefix }));
    const ports = fc.record({ from: fc.integer({ min: 0, max: 7 }), len: fc.integer({ min: 0, max: 3 }) }).map(({ from, len }): PortRange => ({ protocol: 'tcp', from, to: from + len }));
    const side = fc.record({ peers: fc.array(tiny, { maxLength: 3 }), ports: fc.array(ports, { maxLength: 2 }) });
    const allowed = (s: { peers: IpBlock[]; ports: PortRange[] }): Set<string> => new Set(s.peers.flatMap(addresses)
      .flatMap((a) => s.ports.flatMap((p) => Array.from({ length: p.to - p.from + 1 }, (_, i) => `${a}:${p.from + i}`))));
    fc.assert(fc.property(side, side, (b, a) => {
      const [setB, setA] = [allowed(b), allowed(a)];
      const aInB = [...setA].every((x) => setB.has(x));
      const bInA = [...setB].every((x) => setA.has(x));
      const expected: ChangeKind = !aInB ? 'broadening' : bInA ? 'neutral' : 'narrowing';
      const toRule = (s: { peers: IpBlock[]; ports: PortRange[] }) => rule({ peers: s.peers.map((x) => ({ kind: 'cidr' as const, cidr: formatBlock(x) })), ports: s.ports });
      const changes = classify(posture([toRule(b)]), posture([toRule(a)]));
      expect(changes.length === 0 ? 'neutral' : changes[0].kind).toBe(expected);
    }), { numRuns: 400 });
  });

  test('an IAM policy gaining a statement never narrows, losing one never broadens', () => {
    fc.assert(fc.property(fc.array(statementArb, { maxLength: 3 }), statementArb, (base, extra) => {
      fc.pre(!base.some((s) => JSON.stringify(s) === JSON.stringify(extra)));
      const [without, withExtra] = [role({ permissions: base }), role({ permissions: [...base, extra] })];
      // An added Allow can only widen and an added Deny only narrow: the opposite kind would be a false proof.
      const [notWhenGained, notWhenLost] = extra.effect === 'Allow' ? ['narrowing', 'broadening'] : ['broadening', 'narrowing'];
      expect(kindOf(without, withExtra)).not.toBe(notWhenGained);
      expect(kindOf(withExtra, without)).not.toBe(notWhenLost);
    }), { numRuns: 300 });
  });
});

/**
 * IAM evaluated by brute force over one representative of every class of requests the generated statements can tell
 * apart (actions matching s3:GetObject / s3:Get* only / s3:* only / kms:Decrypt / nothing but *, resources likewise,
 * MFA and source VPC present, other or absent): exact for policies built from statementArb's vocabulary.
 */
const ACTIONS = ['s3:GetObject', 's3:GetBucketTagging', 's3:PutObject', 'kms:Decrypt', 'kms:Encrypt', 'ec2:RunInstances'];
const RESOURCES = ['arn:aws:s3:::a/x', 'arn:aws:s3:::a/y', 'arn:aws:s3:::b/x', 'arn:aws:kms:eu-central-1:1:key/k'];
const CONTEXTS = ['true', 'false', undefined].flatMap((mfa) => ['vpc-1', 'vpc-2', undefined].map((vpc) => ({ mfa, vpc })));
function allowedRequests(policy: readonly IamStatement[]): Set<string> {
  const applies = (s: IamStatement, action: string, res: string, ctx: { mfa?: string; vpc?: string }): boolean =>
    s.actions.some((a) => regexOf(a.toLowerCase()).test(action.toLowerCase())) && s.resources.some((r) => regexOf(r).test(res))
    && s.conditions.every((c) => (c.key === 'aws:MultiFactorAuthPresent' ? ctx.mfa === 'true' : ctx.vpc === c.values[0]));
  const out = new Set<string>();
  for (const action of ACTIONS) for (const res of RESOURCES) for (const ctx of CONTEXTS) {
    const allowed = policy.some((s) => s.effect === 'Allow' && applies(s, action, res, ctx)) && !policy.some((s) => s.effect === 'Deny' && applies(s, action, res, ctx));
    if (allowed) out.add(`${action} ${res} ${ctx.mfa} ${ctx.vpc}`);
  }
  return out;
}

test('every IAM classification the engine proves agrees with evaluating both policies by brute force', () => {
  let undetermined = 0;
  const runs = 400;
  fc.assert(fc.property(fc.array(statementArb, { maxLength: 3 }), fc.array(statementArb, { maxLength: 3 }), (before, after) => {
    fc.pre(JSON.stringify(before) !== JSON.stringify(after));
    const [b, a] = [allowedRequests(before), allowedRequests(after)];
    const afterWithin = [...a].every((x) => b.has(x));
    const equal = afterWithin && [...b].every((x) => a.has(x));
    const kind = kindOf(role({ permissions: before }), role({ permissions: after }));
    if (kind === 'undetermined') undetermined++;
    // broadening needs a witness; narrowing needs after ⊆ before; neutral needs equality.
    const consistent = { broadening: !afterWithin, narrowing: afterWithin, neutral: equal, undetermined: true }[kind];
    expect({ kind, consistent }).toEqual({ kind, consistent: true });
  }), { numRuns: runs });
  // Undetermined is the honest answer for the rest, but it must stay the exception.
  expect(undetermined).toBeLessThan(runs / 4);
});

test('the builders give the statements the properties use', () => {
  expect([allow(['s3:*'], ['*']).effect, deny(['s3:*'], ['*']).effect]).toEqual(['Allow', 'Deny']);
});
