import { ordinal } from '../../k8s/k8s-object';
import type { EvidenceRef, NetworkPeer, NetworkRule, PortRange, PostureEntry } from '../types';

/** The label Kubernetes workloads of a boundary are selected by (app.kubernetes.io/name). */
const NAME_LABEL = 'app.kubernetes.io/name';

/** One network peer in words: `the internet`, `10.60.0.0/16`, `gateway (acme-prod-gateway)`, `all pods of research-notebooks`. */
export function describePeer(peer: NetworkPeer): string {
  switch (peer.kind) {
    case 'internet': return 'the internet';
    case 'cidr': return peer.cidr;
    case 'namespace': return `all pods of ${peer.namespace}`;
    case 'pods': {
      const where = peer.namespace === '*' ? 'any namespace' : peer.namespace;
      return `${selectorLabel(peer.selector) ?? 'all pods'} (${where})`;
    }
    case 'security-group': return `security group ${peer.name}`;
    case 'prefix-list': return `prefix list ${peer.id}`;
    case 'aws-service': return peer.service;
    default: return assertNever(peer);
  }
}

/** A pod selector in words: its `app.kubernetes.io/name`, else `k=v, …`; undefined when it selects every pod. */
export function selectorLabel(selector: Readonly<Record<string, string>>): string | undefined {
  const name = selector[NAME_LABEL];
  if (name !== undefined) return name;
  const pairs = Object.keys(selector).sort(ordinal).map((k) => `${k}=${selector[k]}`);
  return pairs.length > 0 ? pairs.join(', ') : undefined;
}

/** A port range in words: `TCP 4000`, `UDP 1000-2000`, `ICMP`, `all traffic`. */
export function describePorts(range: PortRange): string {
  if (range.protocol === 'all') return 'all traffic';
  if (range.protocol === 'icmp') return 'ICMP';
  const proto = range.protocol.toUpperCase();
  if (range.from === 0 && range.to === 65535) return `${proto} all ports`;
  return range.from === range.to ? `${proto} ${range.from}` : `${proto} ${range.from}-${range.to}`;
}

/** Every port range of a rule, joined; `no port` when it lists none. */
export function describeRulePorts(rule: NetworkRule): string {
  return rule.ports.length > 0 ? rule.ports.map(describePorts).join(', ') : 'no port';
}

/** A rule as one path in words: `10.60.0.0/16 → gateway (acme-prod-gateway) on TCP 4000`. */
export function describePath(rule: NetworkRule): string {
  const subject = describePeer(rule.subject);
  const peers = rule.peers.map(describePeer).join(', ');
  const [from, to] = rule.direction === 'ingress' ? [peers, subject] : [subject, peers];
  return `${from} → ${to} on ${describeRulePorts(rule)}`;
}

/** `1 secret` / `3 secrets`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** Sorted, deduplicated strings (ordinal order). */
export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(ordinal);
}

/** The evidence of entries, deduplicated and sorted by source, then ref. */
export function mergeEvidence(entries: Iterable<PostureEntry>): EvidenceRef[] {
  const seen = new Map<string, EvidenceRef>();
  for (const entry of entries) {
    for (const ref of entry.evidence) seen.set(`${ref.source}\u0000${ref.ref}`, { source: ref.source, ref: ref.ref });
  }
  return [...seen.keys()].sort(ordinal).map((k) => seen.get(k)!);
}

/** Whether any evidence of an entry is a CloudFormation resource (the template creates it). */
export function fromTemplate(entry: PostureEntry): boolean {
  return entry.evidence.some((e) => e.source === 'cloudformation');
}

/** Exhaustiveness check for switches over closed unions. */
export function assertNever(value: never): never {
  throw new Error(`internal: unexpected value ${JSON.stringify(value)}`);
}
