import type { NetworkPeer, NetworkRule, Posture } from '../types';
import { uniqueSorted } from './describe';

/**
 * The namespaces the boundary creates: those with a hardening entry (the posture records one per boundary
 * namespace), plus any rule subject named `<boundary>-…`. Namespaces of consumers and of cluster controllers
 * (kube-system, external-secrets) are peers or controller subjects, not boundary namespaces.
 */
export function boundaryNamespaces(posture: Posture): string[] {
  const prefix = `${posture.boundary}-`;
  const fromRules = posture.network.map((r) => namespaceOf(r.subject)).filter((ns): ns is string => ns !== undefined && ns.startsWith(prefix));
  return uniqueSorted([...posture.hardening.map((h) => h.namespace), ...fromRules]);
}

/** The namespace a peer lies in, when it is a namespace or its pods (not `*`). */
export function namespaceOf(peer: NetworkPeer): string | undefined {
  if (peer.kind === 'namespace') return peer.namespace;
  if (peer.kind === 'pods' && peer.namespace !== '*') return peer.namespace;
  return undefined;
}

/** Whether a peer is every pod of a namespace (a namespace peer, or pods with an empty selector). */
export function isWholeNamespace(peer: NetworkPeer, namespace: string): boolean {
  if (peer.kind === 'namespace') return peer.namespace === namespace;
  return peer.kind === 'pods' && peer.namespace === namespace && Object.keys(peer.selector).length === 0;
}

/** The default-deny rule of a namespace and direction, if the posture records one (mechanism `default-deny`, no peer). */
export function defaultDenyOf(posture: Posture, namespace: string, direction: NetworkRule['direction']): NetworkRule | undefined {
  return posture.network.find((r) => r.mechanism === 'default-deny' && r.direction === direction && r.peers.length === 0 && isWholeNamespace(r.subject, namespace));
}
