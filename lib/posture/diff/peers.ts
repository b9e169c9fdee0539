import type { NetworkPeer } from '../types';
import type { Proof } from './change';
import { blockContains, formatBlock, isWholeSpace, parseBlock, uncoveredBlocks, type IpBlock } from './cidr';

/**
 * Containment of network peers (sets of possible sources or destinations):
 * - `internet` (and a CIDR of a whole address space, 0.0.0.0/0 or ::/0) contains every peer;
 * - a CIDR contains a CIDR it covers — against a union of CIDRs, exactly (IPv4 and IPv6);
 * - a namespace contains the pods of any selector in it; `pods` with fewer labels contain `pods` with more
 *   (equality selectors: {app: a} ⊇ {app: a, tier: b}); namespace `*` spans every namespace;
 * - CIDRs and in-cluster peers (namespace, pods) are disjoint: NetworkPolicy `ipBlock` is meant for cluster-external
 *   addresses (https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource);
 * - security groups and prefix lists are sets the posture does not enumerate: equal names are equal, anything else is
 *   undecidable; AWS services reached through endpoints are distinct from each other.
 */

/** A peer with a whole-space CIDR read as the internet. */
export function normalizePeer(p: NetworkPeer): NetworkPeer {
  if (p.kind === 'cidr') {
    const b = parseBlock(p.cidr);
    if (b && isWholeSpace(b)) return { kind: 'internet' };
  }
  return p;
}

/**
 * Renders a peer for a one-line summary: `internet`, `10.60.0.0/16`, `ns/x`, `pods x{app=y}`, `sg/…`, `pl/…`, the
 * service. Labels under `app.kubernetes.io/` (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/)
 * are shown without that prefix.
 */
export function peerText(p: NetworkPeer): string {
  switch (p.kind) {
    case 'internet': return 'internet';
    case 'cidr': return p.cidr;
    case 'namespace': return `ns/${p.namespace}`;
    // Recommended labels read without their common prefix: {app.kubernetes.io/name=gateway} → {name=gateway}.
    case 'pods': return `pods ${p.namespace}{${Object.keys(p.selector).sort().map((k) => `${k.replace(/^app\.kubernetes\.io\//, '')}=${p.selector[k]}`).join(',')}}`;
    case 'security-group': return `sg/${p.name}`;
    case 'prefix-list': return `pl/${p.id}`;
    case 'aws-service': return p.service;
    default: {
      const never: never = p;
      throw new Error(`unknown peer ${JSON.stringify(never)}`);
    }
  }
}

const inCluster = (p: NetworkPeer): boolean => p.kind === 'namespace' || p.kind === 'pods';

/** Whether the `pods` selector `outer` selects every pod `inner` selects (fewer labels ⊇ more labels). */
function selectorContains(outer: Readonly<Record<string, string>>, inner: Readonly<Record<string, string>>): boolean {
  return Object.keys(outer).every((k) => Object.prototype.hasOwnProperty.call(inner, k) && inner[k] === outer[k]);
}

/** Whether every address/pod of `inner` is in `outer`. */
export function peerContains(outerRaw: NetworkPeer, innerRaw: NetworkPeer): Proof {
  const outer = normalizePeer(outerRaw);
  const inner = normalizePeer(innerRaw);
  if (outer.kind === 'internet') return 'yes';
  if (inner.kind === 'internet') return 'no';
  if (outer.kind === 'cidr' && inner.kind === 'cidr') {
    const [o, i] = [parseBlock(outer.cidr), parseBlock(inner.cidr)];
    if (!o || !i) return outer.cidr === inner.cidr ? 'yes' : 'unknown';
    return blockContains(o, i) ? 'yes' : 'no';
  }
  if ((outer.kind === 'cidr' && inCluster(inner)) || (inner.kind === 'cidr' && inCluster(outer))) return 'no';
  if (inCluster(outer) && inCluster(inner)) {
    const oNs = outer.kind === 'namespace' ? outer.namespace : outer.kind === 'pods' ? outer.namespace : '';
    const iNs = inner.kind === 'namespace' ? inner.namespace : inner.kind === 'pods' ? inner.namespace : '';
    const oSel = outer.kind === 'pods' ? outer.selector : {};
    const iSel = inner.kind === 'pods' ? inner.selector : {};
    return (oNs === '*' || oNs === iNs) && selectorContains(oSel, iSel) ? 'yes' : 'no';
  }
  if (outer.kind === 'aws-service' && inner.kind === 'aws-service') return outer.service === inner.service ? 'yes' : 'no';
  if (outer.kind === 'security-group' && inner.kind === 'security-group' && outer.name === inner.name) return 'yes';
  if (outer.kind === 'prefix-list' && inner.kind === 'prefix-list' && outer.id === inner.id) return 'yes';
  return 'unknown';
}

/** A peer of `inner` that `outers` do not provably contain, with what is new about it. */
export interface PeerExcess {
  readonly peer: NetworkPeer;
  /** `no`: the `parts` are provably new; `unknown`: containment could not be decided. */
  readonly proof: 'no' | 'unknown';
  /** For a CIDR: the sub-blocks no CIDR of `outers` covers. */
  readonly parts?: readonly string[];
}

/** Whether `peer` is within the union of `outers`, with the part that is not. */
export function peerCovered(peer: NetworkPeer, outers: readonly NetworkPeer[]): 'yes' | PeerExcess {
  const proofs = outers.map((o) => peerContains(o, peer));
  if (proofs.includes('yes')) return 'yes';
  const p = normalizePeer(peer);
  if (p.kind === 'cidr') {
    const block = parseBlock(p.cidr);
    const blocks = outers.map(normalizePeer).flatMap((o) => (o.kind === 'cidr' ? [parseBlock(o.cidr)] : [])).filter((b): b is IpBlock => b !== undefined);
    if (block) {
      const rest = uncoveredBlocks(block, blocks);
      if (rest.length === 0) return 'yes';
      return { peer, proof: proofs.includes('unknown') ? 'unknown' : 'no', parts: rest.map(formatBlock) };
    }
  }
  return { peer, proof: proofs.includes('unknown') ? 'unknown' : 'no' };
}

/** Peers of `inner` not within the union of `outers` (empty = every peer is contained). */
export function peersNotIn(inner: readonly NetworkPeer[], outers: readonly NetworkPeer[]): PeerExcess[] {
  return inner.flatMap((p) => {
    const r = peerCovered(p, outers);
    return r === 'yes' ? [] : [r];
  });
}
