import type { IamStatement, NetworkPeer, NetworkRule, PortRange } from '../types';
import { allOf, combine, kindOfSets, listText, sameValue, UNCHANGED, type Assessment, type ChangeKind, type Classified, type Proof } from './change';
import { permissionChanges, permissionsWithin } from './iam';
import { peerContains, peersNotIn, peerText, type PeerExcess } from './peers';
import { portsNotIn, portText } from './ports';

/**
 * Network rules. An allow rule's effective set is subject × peers × ports (a product of unions), so
 *   after ⊆ before  ⇔  after is empty, or subject' ⊆ subject and peers' ⊆ ∪ peers and ports' ⊆ ∪ ports,
 * and a peer or port of the after side provably outside the before side is a witness of something new.
 * A VPC endpoint's policy (what may be done through it; none = full access) is compared as IAM (lib/posture/diff/iam.ts).
 * A `default-deny` entry is the opposite: it denies its subject, so a wider subject narrows, and removing it broadens.
 */

const isDeny = (r: NetworkRule): boolean => r.mechanism === 'default-deny';
const isEmpty = (r: NetworkRule): boolean => r.peers.length === 0 || r.ports.length === 0;

/** `ingress to pods x{…}` / `egress from sg/…`. */
function ruleText(r: NetworkRule): string {
  return `${r.direction} ${r.direction === 'ingress' ? 'to' : 'from'} ${peerText(r.subject)}`;
}

/** What the rule allows, in one phrase. */
function allowText(r: NetworkRule): string {
  if (isDeny(r)) return 'default deny';
  if (isEmpty(r)) return 'nothing';
  return `${listText(r.peers.map(peerText))} on ${listText(r.ports.map(portText))}`;
}

const verb = (r: NetworkRule): string => (r.direction === 'ingress' ? 'admits' : 'may reach');

function excessText(r: NetworkRule, e: PeerExcess, others: readonly NetworkPeer[]): string {
  if (e.proof === 'unknown') return `cannot tell whether ${peerText(e.peer)} is within ${listText(others.map(peerText))}`;
  const part = e.parts && e.parts.length > 0 && e.parts[0] !== peerText(e.peer) ? ` (new: ${listText([...e.parts], 4)})` : '';
  return `${verb(r)} ${peerText(e.peer)}${part}`;
}

const proofOfExcess = (excess: readonly PeerExcess[]): Proof => allOf(excess.map((e) => e.proof));
const proofOfPorts = (rest: readonly PortRange[]): Proof => (rest.length === 0 ? 'yes' : 'no');

/** Whether everything `inner` allows is allowed by `outer` (both allow rules). */
function within(inner: NetworkRule, outer: NetworkRule): Proof {
  if (isEmpty(inner)) return 'yes';
  if (isEmpty(outer)) return 'no';
  return allOf([
    peerContains(outer.subject, inner.subject),
    proofOfExcess(peersNotIn(inner.peers, outer.peers)),
    proofOfPorts(portsNotIn(inner.ports, outer.ports)),
  ]);
}

function compareAllows(b: NetworkRule, a: NetworkRule): Assessment {
  const kind = kindOfSets(within(a, b), within(b, a));
  const details: string[] = [];
  if (peerText(a.subject) !== peerText(b.subject)) {
    const wider = peerContains(a.subject, b.subject) === 'yes' ? ' (wider)' : peerContains(b.subject, a.subject) === 'yes' ? ' (narrower)' : '';
    details.push(`applies to ${peerText(a.subject)}${wider}, was ${peerText(b.subject)}`);
  }
  details.push(...peersNotIn(a.peers, b.peers).map((e) => excessText(a, e, b.peers)));
  details.push(...peersNotIn(b.peers, a.peers).filter((e) => e.proof === 'no').map((e) => (e.parts && e.parts.length > 0 && e.parts[0] !== peerText(e.peer)
    ? `${verb(b)} less of ${peerText(e.peer)} (no longer: ${listText([...e.parts], 4)})`
    : `no longer ${verb(b)} ${peerText(e.peer)}`)));
  const newPorts = portsNotIn(a.ports, b.ports);
  if (newPorts.length > 0 && !isEmpty(a)) details.push(`ports widened: ${newPorts.map(portText).join(', ')} newly allowed`);
  const oldPorts = portsNotIn(b.ports, a.ports);
  if (oldPorts.length > 0 && !isEmpty(b)) details.push(`ports narrowed: ${oldPorts.map(portText).join(', ')} no longer allowed`);
  if (isEmpty(a) && !isEmpty(b)) details.push('allows nothing now');
  return { kind, details };
}

/** An endpoint without a policy allows full access (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html). */
const FULL_ACCESS: readonly IamStatement[] = [{ effect: 'Allow', actions: ['*'], resources: ['*'], conditions: [], principals: ['*'] }];

/** What may be done through the path (a VPC endpoint's policy), compared like any IAM policy. */
function comparePolicy(b: NetworkRule, a: NetworkRule): Assessment {
  if (sameValue(b.policy, a.policy)) return UNCHANGED;
  const [bp, ap] = [b.policy ?? FULL_ACCESS, a.policy ?? FULL_ACCESS];
  const details = permissionChanges(bp, ap).map((d) => `endpoint policy: ${d}`);
  return { kind: kindOfSets(permissionsWithin(ap, bp), permissionsWithin(bp, ap)), details: details.length > 0 ? details : ['endpoint policy rewritten'] };
}

function compareDenies(b: NetworkRule, a: NetworkRule): Assessment {
  if (peerText(a.subject) === peerText(b.subject)) return { kind: 'neutral', details: [] };
  // The denied set is the subject: the allowed remainder shrinks when the subject grows.
  const kind = kindOfSets(peerContains(a.subject, b.subject), peerContains(b.subject, a.subject));
  return { kind, details: [`default deny now applies to ${peerText(a.subject)}, was ${peerText(b.subject)}`] };
}

/** Classifies one network entry's change (added, removed or changed). */
export function classifyNetwork(b: NetworkRule | undefined, a: NetworkRule | undefined): Classified {
  if (!b && a) {
    if (isDeny(a)) return { kind: 'narrowing', summary: `new default deny: ${ruleText(a)}`, details: [`${ruleText(a)} denied unless allowed`] };
    if (isEmpty(a)) return { kind: 'neutral', summary: `new rule allowing nothing: ${ruleText(a)}`, details: [] };
    return { kind: 'broadening', summary: `new path: ${ruleText(a)} ${verb(a)} ${allowText(a)}`, details: a.peers.map((p) => `${verb(a)} ${peerText(p)} on ${a.ports.map(portText).join(', ')}`) };
  }
  if (b && !a) {
    if (isDeny(b)) return { kind: 'broadening', summary: `default deny removed: ${ruleText(b)}`, details: [`${ruleText(b)} no longer denied by default`] };
    if (isEmpty(b)) return { kind: 'neutral', summary: `rule allowing nothing removed: ${ruleText(b)}`, details: [] };
    return { kind: 'narrowing', summary: `path removed: ${ruleText(b)} ${verb(b)} ${allowText(b)}`, details: b.peers.map((p) => `no longer ${verb(b)} ${peerText(p)}`) };
  }
  if (!b || !a) throw new Error('classifyNetwork needs at least one side');
  const aspects: Assessment[] = [];
  if (b.direction !== a.direction) {
    aspects.push({ kind: 'undetermined', details: [`direction changed: ${b.direction} → ${a.direction}`] });
  } else if (isDeny(b) && isDeny(a)) {
    aspects.push(compareDenies(b, a));
  } else if (isDeny(b)) {
    aspects.push({ kind: 'broadening', details: [`default deny replaced by a rule that ${verb(a)} ${allowText(a)}`] });
  } else if (isDeny(a)) {
    aspects.push({ kind: 'narrowing', details: [`now a default deny (allowed ${allowText(b)})`] });
  } else {
    aspects.push(compareAllows(b, a), comparePolicy(b, a));
  }
  if (!isDeny(b) && !isDeny(a) && (b.layer !== a.layer || b.mechanism !== a.mechanism)) {
    aspects.push({ kind: 'undetermined', details: [`enforced by ${a.layer} ${a.mechanism}, was ${b.layer} ${b.mechanism}`] });
  }
  if ((b.purpose ?? '') !== (a.purpose ?? '')) aspects.push({ kind: 'neutral', details: [`purpose: ${JSON.stringify(b.purpose ?? '')} → ${JSON.stringify(a.purpose ?? '')}`] });
  const { kind, details } = combine(aspects);
  return { kind, summary: networkSummary(b, a, kind), details };
}

function networkSummary(b: NetworkRule, a: NetworkRule, kind: ChangeKind): string {
  const parts: string[] = [];
  if (peerText(b.subject) !== peerText(a.subject)) parts.push(`subject ${peerText(b.subject)} → ${peerText(a.subject)}`);
  const [bp, ap] = [listText(b.peers.map(peerText)), listText(a.peers.map(peerText))];
  const [bo, ao] = [listText(b.ports.map(portText)), listText(a.ports.map(portText))];
  if (isDeny(a) !== isDeny(b)) parts.push(`${allowText(b)} → ${allowText(a)}`);
  else {
    if (bp !== ap) parts.push(`${bp} → ${ap}`);
    if (bo !== ao) parts.push(`ports ${bo} → ${ao}`);
  }
  if (parts.length === 0) parts.push(kind === 'neutral' ? 'same allowed set' : 'enforcement changed');
  return `${ruleText(a)}: ${parts.join('; ')}`;
}
