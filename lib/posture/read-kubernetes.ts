import { parse, parseAllDocuments } from 'yaml';
import { ordinal, type K8sObject } from '../k8s/k8s-object';
import {
  ALL_PORTS, INTERNET, cidrPeer, emptyFragment, expiryInstant, groupRuleItems, isPublic, joinPurposes, k8sRef, mergeSecrets,
  sortEvidence, sortPeers, sortPorts, sortStatements, uniqueSorted, type PostureFragment, type RuleItem,
} from './normalize';
import { baselineDeviations, configMapsReadBy, podTemplates, secretsReadBy, serviceAccountUser } from './normalize-workloads';
import type {
  AtRestEncryption, EvidenceRef, IamStatement, IdentityGrant, ModelAccess, NamespaceHardening, NetworkPeer, NetworkRule, PortRange,
  PssLevel, RedactionAction, RedactionEntry, SecretEntry, StoreEncryption,
} from './types';
import { ANNOTATION } from '../plan/names';

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are read as data of many shapes */

/** Annotations the Kubernetes target writes (the one list, lib/plan/names.ts). */
const A = ANNOTATION;

/** Thrown when a manifests file cannot be read as Kubernetes objects. */
export class ManifestReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestReadError';
  }
}

/** Parses a multi-document YAML stream (`kubernetes/manifests.yaml`) into objects; empty documents are skipped. */
export function parseKubernetesManifests(text: string, file: string): K8sObject[] {
  const objects: K8sObject[] = [];
  parseAllDocuments(text).forEach((doc, i) => {
    if (doc.errors.length > 0) throw new ManifestReadError(`${file}: document ${i + 1}: ${doc.errors[0].message}`);
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) return;
    const o = value as Partial<K8sObject>;
    if (typeof o !== 'object' || typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string') {
      throw new ManifestReadError(`${file}: document ${i + 1}: not a Kubernetes object (kind and metadata.name required)`);
    }
    objects.push(o as K8sObject);
  });
  return objects;
}

/**
 * Reads the posture of Kubernetes objects (from the Kubernetes target, or the Pulumi target's resource inputs):
 * NetworkPolicies, exposure (LoadBalancer / NodePort Services, Ingresses), RBAC bindings, ExternalSecrets, the
 * gateway's LiteLLM config and team desired state, Pod Security labels and container hardening, Karpenter node
 * classes' volumes, and the owners the namespaces and secrets record. Evidence cites `<kind>/<namespace>/<name>`.
 */
export function readKubernetesObjects(objects: readonly K8sObject[]): PostureFragment {
  const f = emptyFragment();
  const index = new Map(objects.map((o) => [refOf(o).ref, o]));
  for (const o of objects) {
    if (o.kind === 'NetworkPolicy') f.network.push(...networkPolicyRules(o));
    if (o.kind === 'Service') f.network.push(...serviceRules(o));
    if (o.kind === 'Ingress') f.network.push(...ingressRules(o, index));
    if (o.kind === 'EC2NodeClass') f.encryption.push(...nodeClassEncryption(o));
    if (o.kind === 'Namespace') {
      const annotations = o.metadata.annotations ?? {};
      if (annotations[A.customer]) f.owners.customer.push(annotations[A.customer]);
      if (annotations[A.owner]) f.owners.owner.push(annotations[A.owner]);
    }
  }
  f.identity.push(...bindingGrants(objects, index));
  const secrets = externalSecrets(objects, index);
  f.secrets.push(...mergeSecrets(secrets.entries));
  f.owners.secretOwners.push(...secrets.owners);
  const gateway = gatewayPosture(objects, index);
  f.modelAccess.push(...gateway.modelAccess);
  f.redaction.push(...gateway.redaction);
  f.hardening.push(...hardening(objects));
  return f;
}

/** Parses a manifests file and reads its posture. */
export function readKubernetesManifests(text: string, file: string): PostureFragment {
  return readKubernetesObjects(parseKubernetesManifests(text, file));
}

function refOf(o: K8sObject): EvidenceRef {
  return k8sRef(o.kind, o.metadata.name, o.metadata.namespace);
}

// ---- network ---------------------------------------------------------------------------------------------------

/** A label selector as a flat record: `matchLabels`, then each expression as `<key>: <Operator>(<values>)`. */
function selectorRecord(sel: any): Record<string, string> {
  const out: Record<string, string> = { ...(sel?.matchLabels ?? {}) };
  for (const e of sel?.matchExpressions ?? []) out[e.key] = `${e.operator}(${[...(e.values ?? [])].sort(ordinal).join(',')})`;
  return out;
}

/** The namespace a namespace selector names: one `kubernetes.io/metadata.name`, `*` for every namespace, else the selector. */
function selectedNamespace(sel: any): string {
  const record = selectorRecord(sel);
  const keys = Object.keys(record);
  if (keys.length === 0) return '*';
  if (keys.length === 1 && keys[0] === 'kubernetes.io/metadata.name' && !(sel.matchExpressions?.length)) return record[keys[0]];
  return `{${keys.sort(ordinal).map((k) => `${k}=${record[k]}`).join(',')}}`;
}

function isNamedNamespace(ns: string): boolean {
  return ns !== '*' && !ns.startsWith('{');
}

/** NetworkPolicy peers. An absent or empty list admits everything (the Kubernetes default): recorded as the internet. */
function policyPeers(list: any[] | undefined, namespace: string): NetworkPeer[] {
  if (!list || list.length === 0) return [INTERNET];
  return list.map((p): NetworkPeer => {
    // `except` carve-outs are not represented: the peer is the whole block (never narrower than what is allowed).
    if (p.ipBlock) return cidrPeer(p.ipBlock.cidr);
    const pods = p.podSelector !== undefined ? selectorRecord(p.podSelector) : undefined;
    const ns = p.namespaceSelector !== undefined ? selectedNamespace(p.namespaceSelector) : namespace;
    if (pods === undefined || Object.keys(pods).length === 0) {
      return isNamedNamespace(ns) ? { kind: 'namespace', namespace: ns } : { kind: 'pods', namespace: ns, selector: {} };
    }
    return { kind: 'pods', namespace: ns, selector: pods };
  });
}

function protocolOf(p: string | undefined): PortRange['protocol'] {
  switch ((p ?? 'TCP').toUpperCase()) {
    case 'TCP': return 'tcp';
    case 'UDP': return 'udp';
    default: return 'all'; // SCTP and anything else: never narrower than allowed
  }
}

/** NetworkPolicy ports; none = every port. A named port cannot be resolved from the policy: every port of its protocol. */
function policyPorts(ports: any[] | undefined): PortRange[] {
  if (!ports || ports.length === 0) return [ALL_PORTS];
  return ports.map((p): PortRange => {
    const protocol = protocolOf(p.protocol);
    if (typeof p.port !== 'number' || protocol === 'all') return { protocol, from: 0, to: 65535 };
    return { protocol, from: p.port, to: typeof p.endPort === 'number' ? p.endPort : p.port };
  });
}

function podsSubject(namespace: string, selector: any): NetworkPeer {
  const record = selectorRecord(selector);
  return Object.keys(record).length === 0 ? { kind: 'namespace', namespace } : { kind: 'pods', namespace, selector: record };
}

/** One rule per policy side (ingress, egress); a side with no rule is a default-deny of the pods it selects. */
function networkPolicyRules(o: K8sObject): NetworkRule[] {
  const spec = (o.spec ?? {}) as any;
  const ns = o.metadata.namespace ?? 'default';
  const types: string[] = spec.policyTypes ?? ['Ingress', ...(spec.egress ? ['Egress'] : [])];
  const subject = podsSubject(ns, spec.podSelector);
  const purpose = o.metadata.annotations?.[A.purpose];
  const base = `network/kubernetes/${ns}/NetworkPolicy/${o.metadata.name}`;
  const rules: NetworkRule[] = [];
  for (const type of types) {
    const direction = type === 'Egress' ? 'egress' : 'ingress';
    const items: any[] = spec[direction] ?? [];
    if (items.length === 0) {
      rules.push({
        key: `${base}/${direction}`, evidence: [refOf(o)], layer: 'kubernetes', mechanism: 'default-deny', direction, subject,
        peers: [], ports: [], public: false, ...(purpose ? { purpose } : {}),
      });
      continue;
    }
    const ruleItems: RuleItem[] = items.map((item) => ({
      peers: policyPeers(direction === 'ingress' ? item.from : item.to, ns), ports: policyPorts(item.ports),
      evidence: [refOf(o)], purposes: purpose ? [purpose] : [],
    }));
    for (const g of groupRuleItems(ruleItems)) {
      rules.push(rule(`${base}/${direction}${g.discriminator ? `/${g.discriminator}` : ''}`, 'NetworkPolicy', direction, subject, g.item));
    }
  }
  return rules;
}

function rule(key: string, mechanism: NetworkRule['mechanism'], direction: NetworkRule['direction'], subject: NetworkPeer, item: RuleItem, forcePublic = false): NetworkRule {
  const peers = sortPeers(item.peers);
  const purpose = joinPurposes(item.purposes);
  return {
    key, evidence: sortEvidence(item.evidence), layer: 'kubernetes', mechanism, direction, subject, peers, ports: sortPorts(item.ports),
    public: forcePublic || isPublic(peers), ...(purpose ? { purpose } : {}),
  };
}

/**
 * Exposure through Services: a LoadBalancer (its source ranges; none = anyone who can route to it, recorded as the
 * internet), NodePorts (every node's address) and externalIPs. An internet-facing load balancer is public whatever
 * its source ranges. Scheme per the AWS Load Balancer Controller (`aws-load-balancer-type: external`: default
 * internal) or the in-tree provider (default internet-facing).
 */
function serviceRules(o: K8sObject): NetworkRule[] {
  const spec = (o.spec ?? {}) as any;
  const ns = o.metadata.namespace ?? 'default';
  const annotations = o.metadata.annotations ?? {};
  const subject = podsSubject(ns, spec.selector ? { matchLabels: spec.selector } : undefined);
  const base = `network/kubernetes/${ns}/Service/${o.metadata.name}`;
  const servicePorts: PortRange[] = (spec.ports ?? []).map((p: any) => ({ protocol: protocolOf(p.protocol), from: p.port, to: p.port }));
  const rules: NetworkRule[] = [];
  if (spec.type === 'LoadBalancer') {
    const scheme = annotations['service.beta.kubernetes.io/aws-load-balancer-scheme']
      ?? (annotations['service.beta.kubernetes.io/aws-load-balancer-internal'] === 'true' ? 'internal' : undefined)
      ?? (annotations['service.beta.kubernetes.io/aws-load-balancer-type'] === 'external' ? 'internal' : 'internet-facing');
    const annotated = annotations['service.beta.kubernetes.io/load-balancer-source-ranges'];
    const ranges: string[] = spec.loadBalancerSourceRanges?.length ? spec.loadBalancerSourceRanges
      : annotated ? annotated.split(',').map((r: string) => r.trim()).filter(Boolean) : [];
    const tlsPorts = annotations['service.beta.kubernetes.io/aws-load-balancer-ssl-ports'];
    const purpose = `${scheme} load balancer${annotations['service.beta.kubernetes.io/aws-load-balancer-ssl-cert'] ? `, TLS on ${tlsPorts ?? 'every port'}` : ', no TLS listener'}`;
    rules.push(rule(base, 'LoadBalancer', 'ingress', subject, {
      peers: ranges.length > 0 ? ranges.map(cidrPeer) : [INTERNET], ports: servicePorts.length > 0 ? servicePorts : [ALL_PORTS],
      evidence: [refOf(o)], purposes: [purpose],
    }, scheme === 'internet-facing'));
  }
  if (spec.type === 'NodePort') {
    // Whoever reaches a node reaches the port; the artifact does not say who that is (node security groups do).
    const nodePorts: PortRange[] = (spec.ports ?? []).filter((p: any) => typeof p.nodePort === 'number')
      .map((p: any) => ({ protocol: protocolOf(p.protocol), from: p.nodePort, to: p.nodePort }));
    rules.push(rule(`${base}/node-port`, 'LoadBalancer', 'ingress', subject, {
      peers: [INTERNET], ports: nodePorts.length > 0 ? nodePorts : [{ protocol: 'tcp', from: 30000, to: 32767 }],
      evidence: [refOf(o)], purposes: ['NodePort: reachable on every node address'],
    }));
  }
  if ((spec.externalIPs ?? []).length > 0) {
    rules.push(rule(`${base}/external-ips`, 'LoadBalancer', 'ingress', subject, {
      peers: [INTERNET], ports: servicePorts.length > 0 ? servicePorts : [ALL_PORTS], evidence: [refOf(o)],
      purposes: [`externalIPs ${spec.externalIPs.join(', ')}`],
    }));
  }
  return rules;
}

/** Exposure through an Ingress (AWS Load Balancer Controller ALB annotations; another class is taken as internet-facing). */
function ingressRules(o: K8sObject, index: ReadonlyMap<string, K8sObject>): NetworkRule[] {
  const spec = (o.spec ?? {}) as any;
  const ns = o.metadata.namespace ?? 'default';
  const annotations = o.metadata.annotations ?? {};
  const scheme = annotations['alb.ingress.kubernetes.io/scheme'] ?? (spec.ingressClassName === 'alb' ? 'internal' : 'internet-facing');
  const cidrs = (annotations['alb.ingress.kubernetes.io/inbound-cidrs'] ?? '').split(',').map((c: string) => c.trim()).filter(Boolean);
  let ports: PortRange[] = [];
  try {
    const listen = JSON.parse(annotations['alb.ingress.kubernetes.io/listen-ports'] ?? '[]') as Record<string, number>[];
    ports = listen.flatMap((l) => Object.values(l)).map((p) => ({ protocol: 'tcp' as const, from: p, to: p }));
  } catch {
    ports = [];
  }
  if (ports.length === 0) {
    const tls = (spec.tls ?? []).length > 0 || annotations['alb.ingress.kubernetes.io/certificate-arn'] !== undefined;
    ports = tls ? [{ protocol: 'tcp', from: 443, to: 443 }] : [{ protocol: 'tcp', from: 80, to: 80 }];
  }
  const waf = annotations['alb.ingress.kubernetes.io/wafv2-acl-name'] ?? annotations['alb.ingress.kubernetes.io/wafv2-acl-arn'];
  const purposes = [annotations[A.reason] ?? '', `${scheme} ${spec.ingressClassName ?? ''} ingress`.replace(/\s+/g, ' '), waf ? `WAF web ACL ${waf}` : 'no WAF web ACL'];
  const backends = new Set<string>();
  if (spec.defaultBackend?.service?.name) backends.add(spec.defaultBackend.service.name);
  for (const r of spec.rules ?? []) for (const p of r.http?.paths ?? []) if (p.backend?.service?.name) backends.add(p.backend.service.name);
  const services = [...backends].sort(ordinal);
  const base = `network/kubernetes/${ns}/Ingress/${o.metadata.name}`;
  return (services.length > 0 ? services : ['']).map((svc) => {
    const target = svc ? index.get(`Service/${ns}/${svc}`) : undefined;
    const selector = (target?.spec as any)?.selector;
    const subject = selector ? podsSubject(ns, { matchLabels: selector }) : { kind: 'namespace' as const, namespace: ns };
    return rule(services.length > 1 ? `${base}/${svc}` : base, 'Ingress', 'ingress', subject, {
      peers: cidrs.length > 0 ? cidrs.map(cidrPeer) : [INTERNET], ports,
      evidence: [refOf(o), ...(target ? [refOf(target)] : [])], purposes,
    }, scheme === 'internet-facing');
  });
}

// ---- identity --------------------------------------------------------------------------------------------------

/** RBAC rules of a role as statements: verbs as actions, `<group>/<resource>[/<name>]` (core group: `core`) as resources. */
function rbacStatements(role: K8sObject | undefined): IamStatement[] | undefined {
  if (!role) return undefined;
  return sortStatements(((role as any).rules ?? []).map((r: any): IamStatement => ({
    effect: 'Allow',
    actions: r.verbs ?? [],
    resources: [
      ...(r.resources ?? []).flatMap((res: string) => (r.apiGroups ?? ['']).flatMap((g: string) => {
        const base = `${g === '' ? 'core' : g}/${res}`;
        return r.resourceNames?.length ? r.resourceNames.map((n: string) => `${base}/${n}`) : [base];
      })),
      ...(r.nonResourceURLs ?? []),
    ],
    conditions: [],
  })));
}

/**
 * Every (Cluster)RoleBinding subject as a grant. Bindings of one subject that share a name and a role (a grant bound
 * in each boundary namespace) are one grant whose scope lists the namespaces. Kubernetes cannot expire a binding or
 * check MFA: expiry and MFA come from the binding's annotations (enforced by the IAM side, README "Known limits").
 */
function bindingGrants(objects: readonly K8sObject[], index: ReadonlyMap<string, K8sObject>): IdentityGrant[] {
  interface Group { principal: IdentityGrant['principal']; bindingKind: string; binding: string; roleKind: string; role: string; bindings: K8sObject[] }
  const groups = new Map<string, Group>();
  for (const b of objects) {
    if (b.kind !== 'RoleBinding' && b.kind !== 'ClusterRoleBinding') continue;
    const roleRef = (b as any).roleRef ?? {};
    for (const s of (b as any).subjects ?? []) {
      const kind: IdentityGrant['principal']['kind'] = s.kind === 'Group' ? 'group' : s.kind === 'User' ? 'user' : 'service-account';
      const name = kind === 'service-account' ? `${s.namespace ?? b.metadata.namespace ?? 'default'}/${s.name}` : s.name;
      const id = [kind, name, b.kind, b.metadata.name, roleRef.kind, roleRef.name].join('\u0000');
      const g: Group = groups.get(id) ?? { principal: { kind, name }, bindingKind: b.kind, binding: b.metadata.name, roleKind: roleRef.kind, role: roleRef.name, bindings: [] };
      g.bindings.push(b);
      groups.set(id, g);
    }
  }
  const keyOf = (g: Group): string => `identity/kubernetes/${g.principal.kind}/${g.principal.name}/${g.binding}`;
  const keyCount = new Map<string, number>();
  for (const g of groups.values()) keyCount.set(keyOf(g), (keyCount.get(keyOf(g)) ?? 0) + 1);
  return [...groups.values()].map((g): IdentityGrant => {
    const roles = g.bindings.map((b) => (g.roleKind === 'ClusterRole' ? index.get(`ClusterRole/${g.role}`) : index.get(`Role/${b.metadata.namespace}/${g.role}`)));
    const statements = roles.flatMap((r) => rbacStatements(r) ?? []);
    const expiries = g.bindings.map((b) => b.metadata.annotations?.[A.expires]).filter((e): e is string => e !== undefined).map(expiryInstant).sort(ordinal);
    const mfa = g.bindings.map((b) => b.metadata.annotations?.[A.requiresMfa]).filter((m): m is string => m !== undefined);
    const key = keyOf(g);
    return {
      key: (keyCount.get(key) ?? 0) > 1 ? `${key}/${g.bindingKind}/${g.roleKind}:${g.role}` : key,
      evidence: sortEvidence([...g.bindings.map(refOf), ...roles.filter((r): r is K8sObject => r !== undefined).map(refOf)]),
      layer: 'kubernetes',
      principal: g.principal,
      level: g.role,
      scope: g.bindingKind === 'ClusterRoleBinding' ? 'cluster' : uniqueSorted(g.bindings.map((b) => b.metadata.namespace ?? 'default')),
      ...(mfa.length > 0 ? { mfa: mfa.every((m) => m === 'true') } : {}),
      ...(expiries.length > 0 ? { expires: expiries[0] } : {}),
      ...(statements.length > 0 ? { permissions: sortStatements(statements) } : {}),
    };
  });
}

// ---- secrets ---------------------------------------------------------------------------------------------------

/** The store kind a (Cluster)SecretStore provides, as the spec names stores. */
function storeKind(store: K8sObject | undefined, refKind: string): string {
  if (!store) return refKind === 'ClusterSecretStore' ? 'existing-cluster-store' : 'unknown-store';
  const provider = (store.spec as any)?.provider ?? {};
  if (provider.aws) return provider.aws.service === 'ParameterStore' ? 'aws-parameter-store' : 'aws-secrets-manager';
  if (store.kind === 'ClusterSecretStore' && !provider.vault) return 'existing-cluster-store';
  return Object.keys(provider).sort(ordinal)[0] ?? 'unknown-store';
}

/** The service account a store authenticates as (AWS web identity or Vault Kubernetes auth), as a Kubernetes user name. */
function storeIdentity(store: K8sObject | undefined): string | undefined {
  const provider = (store?.spec as any)?.provider ?? {};
  const ref = provider.aws?.auth?.jwt?.serviceAccountRef ?? provider.vault?.auth?.kubernetes?.serviceAccountRef;
  if (!store || !ref?.name) return undefined;
  return `system:serviceaccount:${ref.namespace ?? store.metadata.namespace ?? 'default'}:${ref.name}`;
}

/**
 * One entry per remote secret an ExternalSecret syncs: the store, and who reads the value — the service accounts of
 * the pods that read the synced Secret (env, envFrom, volumes) and the identity the store fetches it with.
 */
function externalSecrets(objects: readonly K8sObject[], index: ReadonlyMap<string, K8sObject>) {
  const readersBySecret = new Map<string, { users: Set<string>; refs: EvidenceRef[] }>();
  for (const t of podTemplates(objects)) {
    const ns = t.owner.metadata.namespace ?? 'default';
    for (const secret of secretsReadBy(t.pod)) {
      const entry = readersBySecret.get(`${ns}/${secret}`) ?? { users: new Set<string>(), refs: [] };
      entry.users.add(serviceAccountUser(ns, t.pod));
      entry.refs.push(refOf(t.owner));
      readersBySecret.set(`${ns}/${secret}`, entry);
    }
  }
  const entries: SecretEntry[] = [];
  const owners: { secret: string; owner: string }[] = [];
  for (const es of objects) {
    if (es.kind !== 'ExternalSecret') continue;
    const spec = (es.spec ?? {}) as any;
    const ns = es.metadata.namespace ?? 'default';
    const refKind = spec.secretStoreRef?.kind ?? 'SecretStore';
    const store = refKind === 'ClusterSecretStore' ? index.get(`ClusterSecretStore/${spec.secretStoreRef?.name}`) : index.get(`SecretStore/${ns}/${spec.secretStoreRef?.name}`);
    const kind = storeKind(store, refKind);
    const target = spec.target?.name ?? es.metadata.name;
    const readers = readersBySecret.get(`${ns}/${target}`);
    const identity = storeIdentity(store);
    const remoteKeys = uniqueSorted([
      ...(spec.data ?? []).map((d: any) => d.remoteRef?.key).filter(Boolean),
      ...(spec.dataFrom ?? []).map((d: any) => d.extract?.key ?? (d.find ? `find:${JSON.stringify(d.find)}` : undefined)).filter(Boolean),
    ]);
    const owner = es.metadata.annotations?.[A.owner];
    for (const remoteKey of remoteKeys) {
      entries.push({
        key: `secret/${kind}/${remoteKey}`, store: kind, name: remoteKey,
        readers: uniqueSorted([...(readers?.users ?? []), ...(identity ? [identity] : [])]),
        evidence: sortEvidence([refOf(es), ...(store ? [refOf(store)] : []), ...(readers?.refs ?? [])]),
      });
      if (owner && owner !== 'generated') owners.push({ secret: remoteKey, owner });
    }
  }
  return { entries, owners };
}

// ---- gateway: model access and redaction -----------------------------------------------------------------------

function parseData(o: K8sObject, key: string, json: boolean): any {
  const text = (o as any).data?.[key];
  if (typeof text !== 'string') return undefined;
  try {
    return json ? JSON.parse(text) : parse(text);
  } catch {
    return undefined;
  }
}

/** Objects whose pods mount or read ConfigMap `<ns>/<name>`. */
function consumersOf(objects: readonly K8sObject[], ns: string, name: string): K8sObject[] {
  return podTemplates(objects).filter((t) => (t.owner.metadata.namespace ?? 'default') === ns && configMapsReadBy(t.pod).includes(name)).map((t) => t.owner);
}

const REDACTION: Record<string, RedactionAction> = { MASK: 'mask', BLOCK: 'block', ALLOW: 'allow' };
const STRENGTH: readonly RedactionAction[] = ['allow', 'mask', 'block'];

/**
 * Model access from the gateway's team desired state (`desired-state.json`, applied by the reconcile Job through the
 * admin API) and redaction from the LiteLLM `config.yaml` guardrails, both in ConfigMaps of the gateway namespace.
 */
function gatewayPosture(objects: readonly K8sObject[], index: ReadonlyMap<string, K8sObject>) {
  const modelAccess: ModelAccess[] = [];
  const redaction = new Map<string, RedactionEntry>();
  const configs = objects.filter((o) => o.kind === 'ConfigMap').map((o) => ({ o, config: parseData(o, 'config.yaml', false) }))
    .filter((c) => c.config && Array.isArray(c.config.model_list));
  for (const o of objects) {
    if (o.kind !== 'ConfigMap') continue;
    const desired = parseData(o, 'desired-state.json', true);
    if (!desired || !Array.isArray(desired.teams)) continue;
    const ns = o.metadata.namespace ?? 'default';
    const appliers = consumersOf(objects, ns, o.metadata.name);
    for (const team of desired.teams) {
      for (const model of uniqueSorted(team.models ?? [])) {
        const serving = configs.filter((c) => c.config.model_list.some((m: any) => m.model_name === model));
        modelAccess.push({
          key: `model-access/${team.team_id}/${model}`,
          evidence: sortEvidence([refOf(o), ...appliers.map(refOf), ...serving.map((c) => refOf(c.o))]),
          team: team.team_id,
          model,
          groups: uniqueSorted(team.metadata?.groups ?? []),
          rateLimits: {
            ...(typeof team.rpm_limit === 'number' ? { requestsPerMinute: team.rpm_limit } : {}),
            ...(typeof team.tpm_limit === 'number' ? { tokensPerMinute: team.tpm_limit } : {}),
          },
        });
      }
    }
  }
  for (const { o, config } of configs) {
    const ns = o.metadata.namespace ?? 'default';
    for (const g of config.guardrails ?? []) {
      const p = g.litellm_params ?? {};
      if (p.guardrail !== 'presidio') continue;
      const modes = Array.isArray(p.mode) ? p.mode : [p.mode].filter(Boolean);
      const enforcedBy = `gateway (presidio guardrail ${g.guardrail_name}, ${modes.join(' + ') || 'no mode'}${p.default_on === true ? '' : ', opt-in per request'})`;
      const services = [p.presidio_analyzer_api_base, p.presidio_anonymizer_api_base].map((u: unknown) => serviceOfUrl(u, ns))
        .flatMap((s) => (s ? [index.get(`Service/${s.ns}/${s.name}`), index.get(`Deployment/${s.ns}/${s.name}`)] : []))
        .filter((x): x is K8sObject => x !== undefined);
      for (const [entity, raw] of Object.entries(p.pii_entities_config ?? {})) {
        const action = REDACTION[String(raw).toUpperCase()];
        if (!action) continue;
        const prev = redaction.get(entity);
        const evidence = sortEvidence([refOf(o), ...services.map(refOf), ...(prev?.evidence ?? [])]);
        const stronger = !prev || STRENGTH.indexOf(action) > STRENGTH.indexOf(prev.action);
        redaction.set(entity, { key: `redaction/${entity}`, entity, action: stronger ? action : prev.action, enforcedBy: stronger ? enforcedBy : prev.enforcedBy, evidence });
      }
    }
  }
  // Entities the spec lets through unredacted (no LiteLLM setting exists for them), recorded on the gateway ConfigMap.
  for (const { o } of configs) {
    const allowed = o.metadata.annotations?.[A.redactionAllowed];
    for (const entity of (allowed ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
      if (redaction.has(entity)) continue;
      redaction.set(entity, { key: `redaction/${entity}`, entity, action: 'allow', enforcedBy: 'gateway (declared pass-through: not redacted)', evidence: [refOf(o)] });
    }
  }
  return { modelAccess, redaction: [...redaction.values()] };
}

/** `http://<service>.<namespace>.svc[.cluster.local]:<port>` → the Service it names. */
function serviceOfUrl(url: unknown, defaultNs: string): { ns: string; name: string } | undefined {
  if (typeof url !== 'string') return undefined;
  const m = /^https?:\/\/([a-z0-9-]+)(?:\.([a-z0-9-]+))?(?:\.svc(?:\.cluster\.local)?)?(?::\d+)?(?:\/|$)/.exec(url);
  return m ? { name: m[1], ns: m[2] ?? defaultNs } : undefined;
}

// ---- hardening and node volumes --------------------------------------------------------------------------------

function pssLevel(value: string | undefined): PssLevel {
  return value === 'restricted' || value === 'baseline' ? value : 'privileged';
}

/** Pod Security labels of every Namespace object, and the containers of that namespace that deviate from the baseline. */
function hardening(objects: readonly K8sObject[]): NamespaceHardening[] {
  const templates = podTemplates(objects);
  return objects.filter((o) => o.kind === 'Namespace').map((n) => {
    const labels = n.metadata.labels ?? {};
    const mine = templates.filter((t) => t.owner.metadata.namespace === n.metadata.name);
    const deviating = mine.map((t) => ({ t, d: baselineDeviations(t) })).filter((x) => x.d.length > 0);
    return {
      key: `hardening/${n.metadata.name}`,
      evidence: sortEvidence([refOf(n), ...deviating.map((x) => refOf(x.t.owner))]),
      namespace: n.metadata.name,
      pss: {
        enforce: pssLevel(labels['pod-security.kubernetes.io/enforce']),
        audit: pssLevel(labels['pod-security.kubernetes.io/audit']),
        warn: pssLevel(labels['pod-security.kubernetes.io/warn']),
      },
      deviations: uniqueSorted(deviating.flatMap((x) => x.d)),
    };
  });
}

/** EBS volumes of a Karpenter EC2NodeClass: encrypted with a named key (`cmk`), the default key, or not at all. */
function nodeClassEncryption(o: K8sObject): StoreEncryption[] {
  return (((o.spec as any)?.blockDeviceMappings ?? []) as any[]).map((m) => {
    const ebs = m.ebs ?? {};
    const atRest: AtRestEncryption = ebs.encrypted !== true ? 'none' : ebs.kmsKeyID && !/alias\/aws\/ebs$/.test(ebs.kmsKeyID) ? 'cmk' : 'aws-managed';
    return { key: `encryption/ebs/${o.metadata.name}${m.deviceName}`, evidence: [refOf(o)], kind: 'ebs' as const, name: `${o.metadata.name}${m.deviceName}`, atRest };
  });
}
