import fc from 'fast-check';
import { toYamlStream } from '../../charts/synth';
import { grantEndIso } from '../../lib/aws/time-bound-grant';
import { buildPosture, serializePosture } from '../../lib/posture/build';
import { expiryInstant, groupRuleItems, peerId, portId, type RuleItem } from '../../lib/posture/normalize';
import type { NetworkPeer, PortRange } from '../../lib/posture/types';
import { examplePlans, objectsOf } from '../helpers/examples';

/** Property tests of the normalization every reader relies on. */

const peers: NetworkPeer[] = [
  { kind: 'internet' }, { kind: 'cidr', cidr: '10.0.0.0/16' }, { kind: 'cidr', cidr: '10.1.0.0/16' }, { kind: 'namespace', namespace: 'a' },
  { kind: 'pods', namespace: 'b', selector: { app: 'x' } }, { kind: 'security-group', name: 'Sg1' }, { kind: 'security-group', name: 'Sg2' },
];
const ports: PortRange[] = [
  { protocol: 'tcp', from: 443, to: 443 }, { protocol: 'udp', from: 53, to: 53 }, { protocol: 'tcp', from: 53, to: 53 }, { protocol: 'all', from: 0, to: 65535 },
];
const item = fc.record({
  peers: fc.subarray(peers, { minLength: 1 }),
  ports: fc.subarray(ports, { minLength: 1 }),
}).map((i): RuleItem => ({ ...i, evidence: [], purposes: [] }));

/** Every (peer, port) pair the items allow. */
function allowed(items: readonly RuleItem[]): string[] {
  return [...new Set(items.flatMap((i) => i.peers.flatMap((p) => i.ports.map((r) => `${peerId(p)} ${portId(r)}`))))].sort();
}

test('grouping rule items never widens or narrows what a side allows, and names each group uniquely', () => {
  fc.assert(fc.property(fc.array(item, { minLength: 1, maxLength: 6 }), (items) => {
    const groups = groupRuleItems(items);
    expect(allowed(groups.map((g) => g.item))).toEqual(allowed(items));
    const names = groups.map((g) => g.discriminator ?? '');
    expect(new Set(names).size).toBe(names.length);
    // A single group keeps the side's own key; several each get a discriminator.
    expect(groups.every((g) => (g.discriminator === undefined) === (groups.length === 1))).toBe(true);
  }), { numRuns: 1000 });
});

test('a grant\'s annotated last day ends at the same instant as its trust policy (lib/aws/time-bound-grant.ts)', () => {
  fc.assert(fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-30T00:00:00Z'), noInvalidDate: true }), (d) => {
    const day = d.toISOString().slice(0, 10);
    expect(expiryInstant(day)).toBe(grantEndIso(day));
  }), { numRuns: 200 });
});

test('the posture does not depend on the order of the objects in the manifests', () => {
  const [name, plan] = examplePlans()[0];
  const objects = objectsOf(plan);
  // The manifests' bytes (so the source's SHA-256) change with the order; nothing else may.
  const read = (list: typeof objects): string => serializePosture({
    ...buildPosture({ boundary: name, artifacts: [{ target: 'kubernetes', path: 'kubernetes/manifests.yaml', content: toYamlStream(list) }] }), sources: [],
  });
  const reference = read(objects);
  fc.assert(fc.property(fc.shuffledSubarray(objects, { minLength: objects.length, maxLength: objects.length }), (shuffled) => {
    expect(read(shuffled)).toBe(reference);
  }), { numRuns: 8 });
});
