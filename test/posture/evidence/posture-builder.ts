import {
  POSTURE_SCHEMA, type EvidenceRef, type IdentityGrant, type ModelAccess, type NamespaceHardening, type NetworkPeer, type NetworkRule, type PortRange,
  type Posture, type PostureSource, type RedactionEntry, type RetentionEntry, type SecretEntry, type StoreEncryption,
} from '../../../lib/posture/types';

/**
 * Builds realistic Posture documents for the evidence tests, shaped like the readers' output (keys, evidence refs,
 * default-deny rules, merged secrets) so the report is tested before and independently of the readers.
 */

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };
/** A posture whose sections can be edited in a test. */
export type DraftPosture = Mutable<Omit<Posture, 'owners'>> & { owners: { customer?: string; owner?: string; secretOwners: { secret: string; owner: string }[] } };

/** Evidence of a Kubernetes object. */
export const k8s = (kind: string, namespace: string | undefined, name: string): EvidenceRef => ({ source: 'kubernetes', ref: namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}` });
/** Evidence of a CloudFormation resource. */
export const cfn = (stack: string, logicalId: string): EvidenceRef => ({ source: 'cloudformation', ref: `${stack}:${logicalId}` });

export const tcp = (port: number): PortRange => ({ protocol: 'tcp', from: port, to: port });
export const udp = (port: number): PortRange => ({ protocol: 'udp', from: port, to: port });
export const ns = (namespace: string): NetworkPeer => ({ kind: 'namespace', namespace });
export const pods = (namespace: string, name: string): Extract<NetworkPeer, { kind: 'pods' }> => ({ kind: 'pods', namespace, selector: { 'app.kubernetes.io/name': name } });
export const cidr = (c: string): NetworkPeer => ({ kind: 'cidr', cidr: c });
export const INTERNET: NetworkPeer = { kind: 'internet' };

/** An empty posture of a boundary. */
export function emptyPosture(boundary: string, owners: { customer?: string; owner?: string } = {}): DraftPosture {
  return {
    schema: POSTURE_SCHEMA, boundary, owners: { ...owners, secretOwners: [] }, sources: [],
    network: [], modelAccess: [], identity: [], secrets: [], encryption: [], retention: [], redaction: [], hardening: [],
  };
}

/** A boundary namespace as the Kubernetes target renders it: PSS restricted, default-deny both ways, DNS egress. */
export function addNamespace(p: DraftPosture, namespace: string, deny: readonly ('ingress' | 'egress')[] = ['ingress', 'egress']): void {
  const ref = k8s('Namespace', undefined, namespace);
  p.hardening.push({ key: `hardening/${namespace}`, evidence: [ref], namespace, pss: { enforce: 'restricted', audit: 'restricted', warn: 'restricted' }, deviations: [] } satisfies NamespaceHardening);
  for (const direction of deny) {
    p.network.push({
      key: `network/kubernetes/${namespace}/NetworkPolicy/default-deny/${direction}`, evidence: [k8s('NetworkPolicy', namespace, 'default-deny')], layer: 'kubernetes',
      mechanism: 'default-deny', direction, subject: ns(namespace), peers: [], ports: [], public: false, purpose: 'deny all ingress and egress unless a flow allows it',
    });
  }
  addRule(p, namespace, 'allow-dns', 'egress', ns(namespace), [{ kind: 'pods', namespace: 'kube-system', selector: { 'k8s-app': 'kube-dns' } }], [tcp(53), udp(53)],
    'every pod resolves names through the cluster DNS');
}

/** One NetworkPolicy side (Kubernetes layer). */
export function addRule(p: DraftPosture, namespace: string, policy: string, direction: 'ingress' | 'egress', subject: NetworkPeer, peers: NetworkPeer[], ports: PortRange[], purpose?: string): NetworkRule {
  const rule: NetworkRule = {
    key: `network/kubernetes/${namespace}/NetworkPolicy/${policy}/${direction}`, evidence: [k8s('NetworkPolicy', namespace, policy)], layer: 'kubernetes',
    mechanism: 'NetworkPolicy', direction, subject, peers, ports, public: peers.some((x) => x.kind === 'internet'), ...(purpose ? { purpose } : {}),
  };
  p.network.push(rule);
  return rule;
}

/** A flow rendered both ways, as the Kubernetes target renders flows inside the cluster. */
export function addFlow(p: DraftPosture, id: string, from: NetworkPeer & { namespace: string }, to: NetworkPeer & { namespace: string }, ports: PortRange[], purpose: string): void {
  addRule(p, from.namespace, `allow-${id}-egress`, 'egress', from, [to], ports, purpose);
  addRule(p, to.namespace, `allow-${id}-ingress`, 'ingress', to, [from], ports, purpose);
}

export function addModelAccess(p: DraftPosture, team: string, model: string, groups: string[], limits: { requestsPerMinute?: number; tokensPerMinute?: number }, gatewayNs: string): void {
  p.modelAccess.push({
    key: `model-access/${team}/${model}`, evidence: [k8s('ConfigMap', gatewayNs, 'gateway-teams'), k8s('Job', gatewayNs, 'gateway-reconcile')],
    team, model, groups, rateLimits: limits,
  } satisfies ModelAccess);
}

export function addIdentity(p: DraftPosture, g: Omit<IdentityGrant, 'key' | 'evidence'> & { evidence?: EvidenceRef[]; key?: string }): void {
  const key = g.key ?? `identity/${g.layer}/${g.principal.kind}/${g.principal.name}${g.scope === 'cluster' ? '' : `/${g.level}`}`;
  p.identity.push({ ...g, key, evidence: g.evidence ?? [k8s('RoleBinding', undefined, g.principal.name)] });
}

export function addSecret(p: DraftPosture, s: Omit<SecretEntry, 'key' | 'evidence'> & { evidence?: EvidenceRef[] }): void {
  p.secrets.push({ ...s, key: `secret/${s.store}/${s.name}`, evidence: s.evidence ?? [k8s('ExternalSecret', undefined, s.name.split('/').pop()!)] });
}

export function addEncryption(p: DraftPosture, e: Omit<StoreEncryption, 'key'>): void {
  p.encryption.push({ ...e, key: `encryption/${e.kind}/${e.name}` });
}

export function addRetention(p: DraftPosture, r: Omit<RetentionEntry, 'key'>): void {
  p.retention.push({ ...r, key: `retention/${r.kind}/${r.name}` });
}

export function addRedaction(p: DraftPosture, entity: string, action: RedactionEntry['action'], gatewayNs: string): void {
  p.redaction.push({ key: `redaction/${entity}`, entity, action, enforcedBy: 'gateway (presidio guardrail presidio-pii, pre_call)', evidence: [k8s('ConfigMap', gatewayNs, 'gateway-config')] });
}

export function addSource(p: DraftPosture, target: PostureSource['target'], artifact: string, sha256: string): void {
  p.sources.push({ target, artifact, sha256 });
}

/** Sorts like the readers do (public rules first, then by key), so the draft is a valid Posture. */
export function finish(p: DraftPosture): Posture {
  const byKey = <T extends { key: string }>(xs: T[]): T[] => [...xs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    ...p,
    owners: { ...p.owners, secretOwners: [...p.owners.secretOwners] },
    sources: [...p.sources].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0)),
    network: [...byKey(p.network.filter((r) => r.public)), ...byKey(p.network.filter((r) => !r.public))],
    modelAccess: byKey(p.modelAccess), identity: byKey(p.identity), secrets: byKey(p.secrets), encryption: byKey(p.encryption),
    retention: byKey(p.retention), redaction: byKey(p.redaction), hardening: byKey(p.hardening),
  };
}

/** A deep, editable copy of a posture. */
export function edit(p: Posture, change: (draft: DraftPosture) => void): Posture {
  const draft = structuredClone(p) as unknown as DraftPosture;
  change(draft);
  return finish(draft);
}
