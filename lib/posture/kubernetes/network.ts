/** Reads network rules from NetworkPolicies and exposure from LoadBalancer / NodePort Services and Ingresses. */
import { ordinal, type K8sObject } from '../../k8s/k8s-object';
import {
  ALL_PORTS, INTERNET, cidrPeer, groupRuleItems, isPublic, joinPurposes, sortEvidence, sortPeers, sortPorts, type RuleItem,
} from '../normalize';
import type { NetworkPeer, NetworkRule, PortRange } from '../types';
import { refOf } from './manifests';
import { ANNOTATION as A } from '../../plan/names';

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are read as data of many shapes */

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
export function networkPolicyRules(o: K8sObject): NetworkRule[] {
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
export function serviceRules(o: K8sObject): NetworkRule[] {
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
export function ingressRules(o: K8sObject, index: ReadonlyMap<string, K8sObject>): NetworkRule[] {
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
