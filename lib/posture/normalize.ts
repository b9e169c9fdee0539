import { ordinal } from '../k8s/k8s-object';
import type {
  EvidenceRef, IamCondition, IamStatement, IdentityGrant, ModelAccess, NamespaceHardening, NetworkPeer, NetworkRule, PortRange,
  RedactionEntry, RetentionEntry, SecretEntry, StoreEncryption,
} from './types';

/**
 * What one reader found in one artifact: the entries of every posture section (unsorted, possibly partial — a secret
 * seen from the Kubernetes side only has no encryption at rest) and the owners the artifact records. `buildPosture`
 * merges fragments, sorts them and checks that keys are unique.
 */
export interface PostureFragment {
  readonly network: NetworkRule[];
  readonly modelAccess: ModelAccess[];
  readonly identity: IdentityGrant[];
  readonly secrets: SecretEntry[];
  readonly encryption: StoreEncryption[];
  readonly retention: RetentionEntry[];
  readonly redaction: RedactionEntry[];
  readonly hardening: NamespaceHardening[];
  /** Owner records as found (several objects may repeat one); `buildPosture` reduces them. */
  readonly owners: { readonly customer: string[]; readonly owner: string[]; readonly secretOwners: { secret: string; owner: string }[] };
}

/** A fragment with nothing in it. */
export function emptyFragment(): PostureFragment {
  return {
    network: [], modelAccess: [], identity: [], secrets: [], encryption: [], retention: [], redaction: [], hardening: [],
    owners: { customer: [], owner: [], secretOwners: [] },
  };
}

/** Sorted copy without duplicates (ordinal). */
export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(ordinal);
}

/** Sorts by a derived string key (ordinal) and drops items whose key repeats. */
export function uniqueBy<T>(items: Iterable<T>, keyOf: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(keyOf(item))) seen.set(keyOf(item), item);
  return [...seen.entries()].sort(([a], [b]) => ordinal(a, b)).map(([, item]) => item);
}

/** JSON with object keys sorted at every level: equal values give equal strings, whatever the construction order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

/** A deep copy with object keys sorted and `undefined` members dropped. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => ordinal(a, b));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)])) as T;
}

// ---- evidence --------------------------------------------------------------------------------------------------

/** Evidence of a Kubernetes object: `<kind>/<namespace>/<name>`, or `<kind>/<name>` when cluster-scoped. */
export function k8sRef(kind: string, name: string, namespace?: string): EvidenceRef {
  return { source: 'kubernetes', ref: namespace === undefined ? `${kind}/${name}` : `${kind}/${namespace}/${name}` };
}

/** Evidence of a CloudFormation resource: `<stack>:<logicalId>`. */
export function cfnRef(stack: string, logicalId: string): EvidenceRef {
  return { source: 'cloudformation', ref: `${stack}:${logicalId}` };
}

/** Evidence references sorted and without duplicates. */
export function sortEvidence(refs: Iterable<EvidenceRef>): EvidenceRef[] {
  return uniqueBy(refs, (r) => `${r.source} ${r.ref}`);
}

// ---- network ---------------------------------------------------------------------------------------------------

/** Every protocol and port. */
export const ALL_PORTS: PortRange = { protocol: 'all', from: 0, to: 65535 };

/** The internet. */
export const INTERNET: NetworkPeer = { kind: 'internet' };

/** A CIDR as a peer: the whole IPv4 or IPv6 space is the internet. */
export function cidrPeer(cidr: string): NetworkPeer {
  return cidr === '0.0.0.0/0' || cidr === '::/0' ? INTERNET : { kind: 'cidr', cidr };
}

/** Stable identity of a peer, for sorting, de-duplication and key discriminators. */
export function peerId(peer: NetworkPeer): string {
  switch (peer.kind) {
    case 'internet': return 'internet';
    case 'cidr': return `cidr:${peer.cidr}`;
    case 'namespace': return `namespace:${peer.namespace}`;
    case 'pods': return `pods:${peer.namespace}:${Object.entries(peer.selector).sort(([a], [b]) => ordinal(a, b)).map(([k, v]) => `${k}=${v}`).join(',')}`;
    case 'security-group': return `security-group:${peer.name}`;
    case 'prefix-list': return `prefix-list:${peer.id}`;
    case 'aws-service': return `aws-service:${peer.service}`;
    default: {
      const never: never = peer;
      throw new Error(`internal: unknown peer ${JSON.stringify(never)}`);
    }
  }
}

/** Peers sorted and without duplicates; a selector's keys sorted. */
export function sortPeers(peers: Iterable<NetworkPeer>): NetworkPeer[] {
  return uniqueBy([...peers].map((p) => (p.kind === 'pods' ? { ...p, selector: sortKeys(p.selector) } : p)), peerId);
}

/** Stable identity of a port range. */
export function portId(p: PortRange): string {
  return `${p.protocol}:${String(p.from).padStart(5, '0')}-${String(p.to).padStart(5, '0')}`;
}

/** Port ranges sorted and without duplicates. */
export function sortPorts(ports: Iterable<PortRange>): PortRange[] {
  return uniqueBy(ports, portId);
}

/** One allow item of a rule side before sides are keyed: peers × ports, with the evidence and purpose it came from. */
export interface RuleItem {
  readonly peers: readonly NetworkPeer[];
  readonly ports: readonly PortRange[];
  readonly evidence: readonly EvidenceRef[];
  readonly purposes: readonly string[];
}

/** Short, readable identity of a peer for a key discriminator (CIDR-like peers collapse into `ip`: their value may change). */
function peerDiscriminator(peer: NetworkPeer): string {
  switch (peer.kind) {
    case 'internet': case 'cidr': return 'ip';
    case 'namespace': return peer.namespace;
    case 'pods': return `${peer.namespace}/${peer.selector['app.kubernetes.io/name'] ?? (Object.values(peer.selector).join('.') || '*')}`;
    case 'security-group': return peer.name;
    case 'prefix-list': return peer.id;
    case 'aws-service': return peer.service;
    default: {
      const never: never = peer;
      throw new Error(`internal: unknown peer ${JSON.stringify(never)}`);
    }
  }
}

/**
 * The allow items of one rule side (a policy's ingress, a security group's egress, …) as keyed groups. A
 * `NetworkRule` means `peers × ports`, so items are merged only where that stays exact: items with the same ports
 * share one rule (peers united), items with the same peers too (ports united), until nothing changes. One group keeps the side's key;
 * several get a discriminator that names what is governed — the peer (a security group, a namespace), or for
 * address peers (whose values may change) the ports — never an index.
 */
export function groupRuleItems(items: readonly RuleItem[]): { discriminator?: string; item: RuleItem }[] {
  const merge = (groups: RuleItem[], by: (i: RuleItem) => string): RuleItem[] => {
    const out = new Map<string, RuleItem>();
    for (const i of groups) {
      const k = by(i);
      const prev = out.get(k);
      out.set(k, prev === undefined ? i : {
        peers: sortPeers([...prev.peers, ...i.peers]), ports: sortPorts([...prev.ports, ...i.ports]),
        evidence: [...prev.evidence, ...i.evidence], purposes: [...prev.purposes, ...i.purposes],
      });
    }
    return [...out.values()];
  };
  // Merge until nothing changes: uniting peers can make two groups' ports equal again, and the reverse.
  let merged: RuleItem[] = items.map((i) => ({ ...i, peers: sortPeers(i.peers), ports: sortPorts(i.ports) }));
  for (let size = -1; size !== merged.length;) {
    size = merged.length;
    merged = merge(merge(merged, (i) => i.ports.map(portId).join(' ')), (i) => i.peers.map(peerId).join(' '));
  }
  if (merged.length <= 1) return merged.map((item) => ({ item }));
  const named = merged.map((item) => ({ item, discriminator: uniqueSorted(item.peers.map(peerDiscriminator)).join('+') || 'none' }));
  const counts = new Map<string, number>();
  for (const n of named) counts.set(n.discriminator, (counts.get(n.discriminator) ?? 0) + 1);
  return named.map((n) => ((counts.get(n.discriminator) ?? 0) > 1
    ? { item: n.item, discriminator: `${n.discriminator}:${n.item.ports.map((p) => (p.protocol === 'all' ? 'all' : `${p.protocol}${p.from === p.to ? p.from : `${p.from}-${p.to}`}`)).join(',')}` }
    : n));
}

/** Whether any peer is the internet. */
export function isPublic(peers: readonly NetworkPeer[]): boolean {
  return peers.some((p) => p.kind === 'internet');
}

/** Joins distinct purposes in their order of appearance. */
export function joinPurposes(purposes: readonly string[]): string | undefined {
  const distinct = [...new Set(purposes.map((p) => p.trim()).filter((p) => p.length > 0))];
  return distinct.length > 0 ? distinct.join('; ') : undefined;
}

// ---- identity and IAM ------------------------------------------------------------------------------------------

/** Conditions sorted by operator, key; values sorted. */
export function sortConditions(conditions: Iterable<IamCondition>): IamCondition[] {
  return uniqueBy([...conditions].map((c) => ({ operator: c.operator, key: c.key, values: uniqueSorted(c.values) })),
    (c) => `${c.operator}\u0000${c.key}\u0000${c.values.join('\u0000')}`);
}

/** A statement with every set sorted. */
export function normalizeStatement(s: IamStatement): IamStatement {
  return {
    effect: s.effect,
    actions: uniqueSorted(s.actions),
    resources: uniqueSorted(s.resources),
    conditions: sortConditions(s.conditions),
    ...(s.principals !== undefined ? { principals: uniqueSorted(s.principals) } : {}),
  };
}

/** Statements normalized, sorted and without duplicates. */
export function sortStatements(statements: Iterable<IamStatement>): IamStatement[] {
  return uniqueBy([...statements].map(normalizeStatement), canonicalJson);
}

/**
 * The instant a grant stops working. A trust policy states it (`DateLessThan aws:CurrentTime`); an expiry annotation
 * carries the grant's last valid day (`YYYY-MM-DD`, inclusive — lib/aws/time-bound-grant.ts ends the grant at 00:00
 * UTC the next day), normalized to that same instant so both layers read alike.
 */
export function expiryInstant(value: string): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (day) {
    const end = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]) + 1));
    if (!Number.isNaN(end.getTime())) return end.toISOString().replace(/\.000Z$/, 'Z');
  }
  const parsed = new Date(value.trim());
  return Number.isNaN(parsed.getTime()) ? value.trim() : parsed.toISOString().replace(/\.000Z$/, 'Z');
}

/** The earliest of ISO instants, when every one is given; `undefined` as soon as one is missing (that path never expires). */
export function earliestInstant(values: readonly (string | undefined)[]): string | undefined {
  if (values.length === 0 || values.some((v) => v === undefined)) return undefined;
  const time = (v: string): number => (Number.isNaN(new Date(v).getTime()) ? Number.POSITIVE_INFINITY : new Date(v).getTime());
  return [...(values as string[])].sort((a, b) => time(a) - time(b) || ordinal(a, b))[0];
}

// ---- merging ---------------------------------------------------------------------------------------------------

/**
 * Secrets seen from several artifacts under one key (the Kubernetes side syncs `pab/x`, the CloudFormation side
 * stores it) become one entry: readers and evidence united; encryption and rotation from the side that states them.
 * Two sides stating different values is an internal error: the targets disagree about one secret.
 */
export function mergeSecrets(entries: readonly SecretEntry[]): SecretEntry[] {
  const byKey = new Map<string, SecretEntry>();
  for (const e of entries) {
    const prev = byKey.get(e.key);
    if (!prev) {
      byKey.set(e.key, e);
      continue;
    }
    const pick = <K extends 'atRest' | 'kmsKey' | 'rotation'>(field: K): SecretEntry[K] => {
      if (prev[field] === undefined) return e[field];
      if (e[field] !== undefined && canonicalJson(e[field]) !== canonicalJson(prev[field])) {
        throw new Error(`internal: ${e.key}: the artifacts disagree on ${field} (${canonicalJson(prev[field])} vs ${canonicalJson(e[field])})`);
      }
      return prev[field];
    };
    const atRest = pick('atRest');
    const kmsKey = pick('kmsKey');
    const rotation = pick('rotation');
    byKey.set(e.key, {
      key: e.key, store: prev.store, name: prev.name,
      ...(atRest !== undefined ? { atRest } : {}), ...(kmsKey !== undefined ? { kmsKey } : {}), ...(rotation !== undefined ? { rotation } : {}),
      readers: uniqueSorted([...prev.readers, ...e.readers]),
      evidence: sortEvidence([...prev.evidence, ...e.evidence]),
    });
  }
  return [...byKey.values()];
}
