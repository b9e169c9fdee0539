import { ordinal } from '../../k8s/k8s-object';
import type { NetworkPeer, NetworkRule, Posture } from '../types';
import { boundaryNamespaces, defaultDenyOf } from './boundary-namespaces';
import { assertNever, describePorts, selectorLabel, uniqueSorted } from './describe';
import type { DiagramCluster, DiagramEdge, DiagramNode, NetworkDiagram } from './types';

/** Most address ranges a CIDR node lists before it says `+N more`. */
const MAX_CIDRS_SHOWN = 4;

interface Draft {
  readonly key: string;
  readonly label: string;
  readonly cluster?: string;
  readonly kind: DiagramNode['kind'];
}

/**
 * The zones and allowed paths of a posture: a cluster per namespace (boundary namespaces first, marked with their
 * default-deny), the AWS layer's security groups and services, address ranges and — only when a rule admits or
 * reaches it — the internet; one edge per pair of ends, labelled with the union of its rules' ports.
 */
export function networkDiagram(posture: Posture): NetworkDiagram {
  const namespaces = boundaryNamespaces(posture);
  const drafts = new Map<string, Draft>();
  const edges = new Map<string, EdgeDraft>();
  const add = (d: Draft): string => {
    if (!drafts.has(d.key)) drafts.set(d.key, d);
    return d.key;
  };

  for (const rule of posture.network.filter((r) => r.peers.length > 0 && r.mechanism !== 'default-deny')) {
    const subject = add(draftOf(rule.subject));
    const ports = rule.ports.map(describePorts);
    for (const peer of peerDrafts(rule)) {
      const other = add(peer);
      const [from, to] = rule.direction === 'ingress' ? [other, subject] : [subject, other];
      const id = `${from}\u0000${to}`;
      const edge = edges.get(id) ?? { from, to, ports: new Set<string>(), public: false };
      ports.forEach((p) => edge.ports.add(p));
      edge.public = edge.public || peer.kind === 'internet';
      edges.set(id, edge);
    }
  }
  mergeAwsServices(drafts, edges);
  for (const ns of namespaces) {
    if (![...drafts.values()].some((d) => d.cluster === ns)) add({ key: `ns:${ns}`, label: 'all pods', cluster: ns, kind: 'namespace' });
  }

  const clusterNames = uniqueSorted([...drafts.values()].map((d) => d.cluster).filter((c): c is string => c !== undefined))
    .sort((a, b) => rank(a, namespaces) - rank(b, namespaces) || ordinal(a, b));
  const clusterIds = new Map(clusterNames.map((c, i) => [c, `cluster_${i}`]));
  const clusters: DiagramCluster[] = clusterNames.map((c) => {
    const isBoundary = namespaces.includes(c);
    const deny = isBoundary && !!defaultDenyOf(posture, c, 'ingress') && !!defaultDenyOf(posture, c, 'egress');
    return { id: clusterIds.get(c)!, label: clusterLabel(c, isBoundary, deny), ...(isBoundary ? { defaultDeny: deny } : {}) };
  });
  const keys = [...drafts.keys()].sort(ordinal);
  const nodeIds = new Map(keys.map((k, i) => [k, `n${i}`]));
  const nodes: DiagramNode[] = keys.map((k) => {
    const d = drafts.get(k)!;
    return { id: nodeIds.get(k)!, label: d.label, kind: d.kind, ...(d.cluster !== undefined ? { cluster: clusterIds.get(d.cluster)! } : {}) };
  });
  const edgeList: DiagramEdge[] = [...edges.values()]
    .map((e) => ({ from: nodeIds.get(e.from)!, to: nodeIds.get(e.to)!, ports: [...e.ports].sort(ordinal), public: e.public }))
    .sort((a, b) => ordinal(a.from, b.from) || ordinal(a.to, b.to));
  return { clusters, nodes, edges: edgeList };
}

type EdgeDraft = { from: string; to: string; ports: Set<string>; public: boolean };

/**
 * AWS services reached the same way (same other ends, same ports — typically every VPC endpoint admitting the VPC)
 * become one node listing them, so a boundary's dozen endpoints read as one box instead of a dozen parallel edges.
 */
function mergeAwsServices(drafts: Map<string, Draft>, edges: Map<string, EdgeDraft>): void {
  const signature = (key: string): string => [...edges.values()]
    .filter((e) => e.from === key || e.to === key)
    .map((e) => `${e.from === key ? 'out' : 'in'}\u0000${e.from === key ? e.to : e.from}\u0000${[...e.ports].sort(ordinal).join(',')}`)
    .sort(ordinal).join('\u0001');
  const groups = new Map<string, string[]>();
  for (const d of drafts.values()) {
    if (d.kind !== 'aws') continue;
    const id = `${d.cluster ?? ''}\u0002${signature(d.key)}`;
    groups.set(id, [...(groups.get(id) ?? []), d.key]);
  }
  for (const keys of groups.values()) {
    if (keys.length < 2) continue;
    const members = keys.map((k) => drafts.get(k)!);
    const merged: Draft = { key: `aws:${keys.sort(ordinal).join(',')}`, label: members.map((m) => m.label).sort(ordinal).join('\n'), cluster: members[0].cluster, kind: 'aws' };
    keys.forEach((k) => drafts.delete(k));
    drafts.set(merged.key, merged);
    for (const [id, e] of [...edges]) {
      if (!keys.includes(e.from) && !keys.includes(e.to)) continue;
      edges.delete(id);
      const from = keys.includes(e.from) ? merged.key : e.from;
      const to = keys.includes(e.to) ? merged.key : e.to;
      const next = edges.get(`${from}\u0000${to}`) ?? { from, to, ports: new Set<string>(), public: false };
      e.ports.forEach((x) => next.ports.add(x));
      next.public = next.public || e.public;
      edges.set(`${from}\u0000${to}`, next);
    }
  }
}

/** The other ends of a rule: its CIDR peers as one node (one rule's address ranges belong together), every other peer alone. */
function peerDrafts(rule: NetworkRule): Draft[] {
  const cidrs = uniqueSorted(rule.peers.flatMap((p) => (p.kind === 'cidr' ? [p.cidr] : [])));
  const others = rule.peers.filter((p) => p.kind !== 'cidr').map(draftOf);
  if (cidrs.length === 0) return others;
  const shown = cidrs.slice(0, MAX_CIDRS_SHOWN);
  const more = cidrs.length - shown.length;
  const label = [...shown, ...(more > 0 ? [`+${more} more`] : [])].join('\n');
  return [{ key: `cidr:${cidrs.join(',')}`, label, kind: 'cidr' }, ...others];
}

function draftOf(peer: NetworkPeer): Draft {
  switch (peer.kind) {
    case 'internet': return { key: 'internet', label: 'internet', kind: 'internet' };
    case 'cidr': return { key: `cidr:${peer.cidr}`, label: peer.cidr, kind: 'cidr' };
    case 'namespace': return { key: `ns:${peer.namespace}`, label: 'all pods', cluster: peer.namespace, kind: 'namespace' };
    case 'pods': {
      const cluster = peer.namespace === '*' ? 'any namespace' : peer.namespace;
      const label = selectorLabel(peer.selector);
      if (label === undefined) return { key: `ns:${cluster}`, label: 'all pods', cluster, kind: 'namespace' };
      const pairs = Object.keys(peer.selector).sort(ordinal).map((k) => `${k}=${peer.selector[k]}`).join(',');
      return { key: `pods:${cluster}:${pairs}`, label, cluster, kind: 'pods' };
    }
    case 'security-group': return { key: `sg:${peer.name}`, label: peer.name, cluster: 'AWS security groups', kind: 'security-group' };
    case 'prefix-list': return { key: `pl:${peer.id}`, label: peer.id, cluster: 'AWS services', kind: 'aws' };
    case 'aws-service': return { key: `svc:${peer.service}`, label: peer.service, cluster: 'AWS services', kind: 'aws' };
    default: return assertNever(peer);
  }
}

/** Boundary namespaces first, then other namespaces, then the AWS layer. */
function rank(cluster: string, namespaces: readonly string[]): number {
  if (namespaces.includes(cluster)) return 0;
  if (cluster.startsWith('AWS ')) return 2;
  return 1;
}

function clusterLabel(name: string, isBoundary: boolean, deny: boolean): string {
  if (isBoundary) return `${name}\n${deny ? 'default-deny in and out' : 'NO default-deny'}`;
  if (name.startsWith('AWS ') || name === 'any namespace') return name;
  return `${name}\n(outside the boundary)`;
}
