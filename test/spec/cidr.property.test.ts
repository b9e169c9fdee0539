import fc from 'fast-check';
import { basename } from 'node:path';
import { planNetwork, type NetworkPlan } from '../../lib/plan/network-plan';
import { allocate, cidrProblem, contains, formatCidr, overlaps, parseCidr, size, type Cidr } from '../../lib/spec/cidr';
import { PUBLIC_SUBNET_MASK } from '../../lib/spec/defaults';
import { loadSpec } from '../../lib/spec/loader';
import { formatPath } from '../../lib/spec/problems';
import { ZONE_NAMES, type ZoneName } from '../../lib/spec/types';
import { validateManifest } from '../../lib/spec/validate';
import { PUBLIC_INGRESS, TEST_NOW, baseManifest, exampleFiles } from './spec-fixtures';

/** A VPC-sized block anywhere in the IPv4 space (allocation does not care whether it is private). */
const vpcArb = fc.record({ mask: fc.integer({ min: 16, max: 24 }), seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }) })
  .map(({ mask, seed }): Cidr => ({ base: Math.floor(seed / 2 ** (32 - mask)) * 2 ** (32 - mask), mask }));

/** A VPC and a list of prefix lengths that are each no wider than it. */
const requestArb = vpcArb.chain((vpc) => fc.record({
  vpc: fc.constant(vpc),
  masks: fc.array(fc.integer({ min: vpc.mask, max: 32 }), { maxLength: 24 }),
}));

/**
 * A VPC and prefix lengths that fit by construction: split the VPC into halves at random (as a buddy allocator
 * would), keep a random shuffled subset of the pieces.
 */
const fittingArb = vpcArb.chain((vpc) => fc.array(fc.nat(), { maxLength: 40 }).chain((picks) => {
  const pieces = [vpc.mask];
  for (const pick of picks) {
    const i = pick % pieces.length;
    if (pieces[i] < 32) pieces.splice(i, 1, pieces[i] + 1, pieces[i] + 1);
  }
  return fc.record({ vpc: fc.constant(vpc), masks: fc.shuffledSubarray(pieces) });
}));

const total = (masks: readonly number[]): number => masks.reduce((n, mask) => n + size({ base: 0, mask }), 0);

/** Pairs of overlapping blocks, as text (empty when all are disjoint). */
function overlapping(blocks: readonly Cidr[]): string[] {
  const out: string[] = [];
  blocks.forEach((a, i) => blocks.slice(i + 1).forEach((b) => {
    if (overlaps(a, b)) out.push(`${formatCidr(a)} ∩ ${formatCidr(b)}`);
  }));
  return out;
}

describe('allocate', () => {
  test('blocks are inside the VPC, aligned, pairwise disjoint, and in request order', () => {
    fc.assert(fc.property(fc.oneof(fittingArb, requestArb), ({ vpc, masks }) => {
      const blocks = allocate(vpc, masks);
      expect(blocks === undefined).toBe(total(masks) > size(vpc));
      const got = blocks ?? [];
      expect(got.filter((b) => !contains(vpc, b)).map(formatCidr)).toEqual([]);
      expect(got.map((b) => cidrProblem(formatCidr(b))).filter((p) => p !== undefined)).toEqual([]);
      expect(got.filter((b) => b.base % size(b) !== 0).map(formatCidr)).toEqual([]);
      expect(overlapping(got)).toEqual([]);
      expect(got.map((b) => b.mask)).toEqual(blocks ? masks : []);
    }), { numRuns: 500 });
  });

  test('random requests that fit by construction are always allocated', () => {
    fc.assert(fc.property(fittingArb, ({ vpc, masks }) => {
      expect(total(masks)).toBeLessThanOrEqual(size(vpc));
      expect(allocate(vpc, masks)).toHaveLength(masks.length);
    }));
  });

  test('it succeeds exactly when the blocks add up to no more than the VPC (largest first wastes nothing)', () => {
    fc.assert(fc.property(fc.oneof(fittingArb, requestArb), ({ vpc, masks }) => {
      expect(allocate(vpc, masks) !== undefined).toBe(total(masks) <= size(vpc));
    }));
  });

  test('it refuses a block wider than the VPC or a prefix beyond /32', () => {
    fc.assert(fc.property(
      requestArb,
      fc.oneof(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 33, max: 64 })),
      fc.nat(),
      ({ vpc, masks }, bad, at) => {
        const withBad = [...masks];
        withBad.splice(at % (masks.length + 1), 0, bad);
        expect(allocate(vpc, withBad)).toBeUndefined();
      },
    ));
  });

  test('a full VPC is tiled exactly', () => {
    const vpc = parseCidr('10.40.0.0/16');
    const blocks = allocate(vpc, [17, 18, 19, 20, 20]) ?? [];
    expect(blocks.map(formatCidr)).toEqual(['10.40.0.0/17', '10.40.128.0/18', '10.40.192.0/19', '10.40.224.0/20', '10.40.240.0/20']);
    expect(allocate(vpc, [17, 18, 19, 20, 20, 32])).toBeUndefined();
  });
});

/** Checks every invariant of a network plan. */
function expectSoundPlan(plan: NetworkPlan, azs: number, zoneMasks: Readonly<Record<ZoneName, number>>, publicIngress: boolean): void {
  const vpc = parseCidr(plan.vpcCidr);
  const subnets = plan.subnets.map((s) => ({ ...s, block: parseCidr(s.cidr) }));
  const zones = publicIngress ? [...ZONE_NAMES, 'public'] : [...ZONE_NAMES];
  // One subnet per zone × AZ, nothing else.
  expect(plan.subnets.map((s) => `${s.zone}/${s.azIndex}`).sort()).toEqual(zones.flatMap((z) => Array.from({ length: azs }, (_, i) => `${z}/${i}`)).sort());
  expect(subnets.filter((s) => !contains(vpc, s.block)).map((s) => s.cidr)).toEqual([]);
  expect(overlapping(subnets.map((s) => s.block))).toEqual([]);
  expect(subnets.filter((s) => s.block.mask !== (s.zone === 'public' ? PUBLIC_SUBNET_MASK : zoneMasks[s.zone])).map((s) => s.cidr)).toEqual([]);
  for (const zone of ZONE_NAMES) expect(plan.zoneCidrs[zone]).toEqual(plan.subnets.filter((s) => s.zone === zone).map((s) => s.cidr));
  expect(plan.publicCidrs).toHaveLength(publicIngress ? azs : 0);
}

describe('planNetwork of every example', () => {
  test.each(exampleFiles().map((f) => [basename(f), f]))('%s: one subnet per zone × AZ, inside the VPC, none overlapping', (_name, file) => {
    const { spec } = loadSpec(file, { now: TEST_NOW });
    const plan = planNetwork(spec);
    expect(plan.vpcCidr).toBe(spec.network.cidr);
    expect(plan.azCount).toBe(spec.availabilityZones);
    expectSoundPlan(plan, spec.availabilityZones, spec.network.zoneMasks, spec.network.ingress === 'public');
    // On AWS, where the boundary's interface endpoints are; on a customer-run cluster, the declared sink CIDRs.
    expect(plan.awsApiCidrs).toEqual(spec.aws ? plan.zoneCidrs.data : spec.audit.sinkCidrs);
  });
});

describe('validation and planning agree on random networks', () => {
  const networkArb = fc.record({
    vpcMask: fc.integer({ min: 16, max: 24 }),
    azs: fc.integer({ min: 2, max: 6 }),
    gateway: fc.integer({ min: 16, max: 28 }),
    models: fc.integer({ min: 16, max: 28 }),
    data: fc.integer({ min: 16, max: 28 }),
    publicIngress: fc.boolean(),
  });

  function manifestFor(n: { vpcMask: number; azs: number; gateway: number; models: number; data: number; publicIngress: boolean }): Record<string, any> {
    const m = baseManifest();
    m.spec.availabilityZones = n.azs;
    m.spec.network.cidr = `10.40.0.0/${n.vpcMask}`;
    m.spec.network.zones = { gateway: { cidrMask: n.gateway }, models: { cidrMask: n.models }, data: { cidrMask: n.data } };
    if (n.publicIngress) Object.assign(m.spec.network, PUBLIC_INGRESS);
    return m;
  }

  /** Whether the subnets of a random network fit, by allocation alone. */
  function fits(n: { vpcMask: number; azs: number; gateway: number; models: number; data: number; publicIngress: boolean }): boolean {
    const masks = ZONE_NAMES.flatMap((z) => Array<number>(n.azs).fill(n[z]));
    const publicMasks = n.publicIngress ? Array<number>(n.azs).fill(PUBLIC_SUBNET_MASK) : [];
    return allocate(parseCidr(`10.40.0.0/${n.vpcMask}`), [...masks, ...publicMasks]) !== undefined;
  }

  test('a spec is accepted exactly when its subnets fit; a refusal is PAB-NET-003 only', () => {
    fc.assert(fc.property(networkArb, (n) => {
      const errors = validateManifest(manifestFor(n), { now: TEST_NOW }).problems.filter((p) => p.severity === 'error');
      expect(errors.map((p) => p.code).filter((c) => c !== 'PAB-NET-003')).toEqual([]);
      expect(errors.length === 0).toBe(fits(n));
    }), { numRuns: 300 });
  });

  test('the plan of every accepted random network keeps every invariant', () => {
    fc.assert(fc.property(networkArb, (n) => {
      fc.pre(fits(n));
      const { spec } = validateManifest(manifestFor(n), { now: TEST_NOW });
      expect(spec).toBeDefined();
      expectSoundPlan(planNetwork(spec!), n.azs, n, n.publicIngress);
    }), { numRuns: 200 });
  });

  test('"use /N or longer" names the shortest mask that fits the VPC on its own', () => {
    fc.assert(fc.property(networkArb, (n) => {
      const result = validateManifest(manifestFor(n), { now: TEST_NOW });
      const suggestions = result.problems
        .map((p) => ({ path: formatPath(p.path), m: /× (\d) AZs does not fit in \S+ — use \/(\d+) or longer/.exec(p.message) }))
        .filter((s) => s.m !== null)
        .map((s) => ({ path: s.path, azs: Number(s.m![1]), mask: Number(s.m![2]) }));
      const vpcSize = size(parseCidr(`10.40.0.0/${n.vpcMask}`));
      // Every zone too big on its own gets a suggestion, and the suggestion is tight.
      expect(suggestions.map((s) => s.path).sort()).toEqual(
        ZONE_NAMES.filter((z) => size({ base: 0, mask: n[z] }) * n.azs > vpcSize).map((z) => `spec.network.zones.${z}.cidrMask`).sort());
      expect(suggestions.filter((s) => !(size({ base: 0, mask: s.mask }) * s.azs <= vpcSize && size({ base: 0, mask: s.mask - 1 }) * s.azs > vpcSize))).toEqual([]);
    }), { numRuns: 300 });
  });
});
