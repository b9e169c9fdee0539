import { createHash } from 'crypto';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { BoundaryPlan } from '../plan/boundary-plan';
import { CLUSTER_DNS, DNS_PORTS, type FlowPeer, type FlowPort } from '../plan/flows';
import { ANNOTATION } from '../plan/names';
import { objectMeta } from './labels';

/** Props of {@link BoundaryNetworkPolicies}. */
export interface BoundaryNetworkPoliciesProps {
  /** The plan of the boundary. */
  readonly plan: BoundaryPlan;
}

/** Name of the policy that selects every pod of a namespace and allows nothing. */
export const DEFAULT_DENY_POLICY = 'default-deny';
/** Name of the policy that lets every pod of a namespace resolve names through the cluster DNS. */
export const ALLOW_DNS_POLICY = 'allow-dns';
/** Label Kubernetes sets on every namespace (immutable, ≥ 1.21): selects a namespace by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Longest policy name we emit: a DNS label, so it also fits every tool that treats names as labels. */
const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 8;

/** Which side of a flow a policy enforces. */
export type FlowDirection = 'ingress' | 'egress';

/**
 * Name of the policy of one side of a flow: `allow-<flow id>-<direction>`; past 63 characters it is cut and ends
 * with 8 hex characters of the SHA-256 of the full name, so it stays unique and deterministic.
 */
export function flowPolicyName(flowId: string, direction: FlowDirection): string {
  const full = `allow-${flowId}-${direction}`;
  if (full.length <= MAX_NAME_LENGTH) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, HASH_LENGTH);
  return `${full.slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1).replace(/-+$/, '')}-${hash}`;
}

/**
 * Zero-trust networking of the boundary: every namespace denies all ingress and egress, every pod may reach the
 * cluster DNS, and each planned flow opens exactly its ports: an egress policy at a source workload of the boundary
 * and an ingress policy at a destination workload. Nothing else is allowed (the VPC CNI enforces these only with
 * its network-policy agent enabled: the CloudFormation target turns it on).
 */
export class BoundaryNetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: BoundaryNetworkPoliciesProps) {
    super(scope, id);
    const { plan } = props;
    // Flows are rendered where their workloads run: the boundary's namespaces and, on AWS, the controllers' (strict mode).
    const ours = new Set([...plan.namespaces.map((n) => n.name), ...plan.controllers.map((c) => c.namespace)]);

    for (const ns of plan.namespaces) {
      this.policy(plan, DEFAULT_DENY_POLICY, ns.name, 'deny all ingress and egress unless a flow allows it', {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
      });
      this.policy(plan, ALLOW_DNS_POLICY, ns.name, 'every pod resolves names through the cluster DNS', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: peers({ kind: 'cluster-dns' }), ports: ports(DNS_PORTS) }],
      });
    }

    // Each controller is isolated like a boundary namespace (its namespace holds more than the boundary's pods, so the
    // policy selects the controller's pods, not the namespace); its flows below open exactly what it needs.
    for (const c of plan.controllers) {
      this.policy(plan, `deny-${c.name}`, c.namespace, `isolate ${c.name}: deny all ingress and egress unless a flow allows it`, {
        podSelector: { matchLabels: { ...c.selector } },
        policyTypes: ['Ingress', 'Egress'],
      });
    }

    for (const flow of plan.flows) {
      if (flow.from.kind === 'workload' && ours.has(flow.from.namespace)) {
        this.policy(plan, flowPolicyName(flow.id, 'egress'), flow.from.namespace, flow.purpose, {
          podSelector: { matchLabels: { ...flow.from.selector } },
          policyTypes: ['Egress'],
          egress: [{ to: peers(flow.to), ports: ports(flow.ports) }],
        });
      }
      if (flow.to.kind === 'workload' && ours.has(flow.to.namespace)) {
        this.policy(plan, flowPolicyName(flow.id, 'ingress'), flow.to.namespace, flow.purpose, {
          podSelector: { matchLabels: { ...flow.to.selector } },
          policyTypes: ['Ingress'],
          ingress: [{ from: peers(flow.from), ports: ports(flow.ports) }],
        });
      }
    }

    const dns = plan.network.strictModeDns;
    if (dns) {
      this.policy(plan, `${plan.name}-coredns`, dns.namespace, 'CoreDNS under strict network-policy enforcement: answers every pod, forwards to the VPC resolver, watches the API', {
        podSelector: { matchLabels: { ...dns.podSelector } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ namespaceSelector: {} }], ports: ports(DNS_PORTS) }],
        egress: [
          { to: dns.upstreamCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: ports(DNS_PORTS) },
          { to: dns.apiServerCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: ports([{ protocol: 'TCP', port: 443 }]) },
        ],
      });
    }
  }

  private policy(plan: BoundaryPlan, name: string, namespace: string, purpose: string, spec: k8s.NetworkPolicySpec): void {
    new k8s.KubeNetworkPolicy(this, `${namespace}-${name}`, {
      metadata: { ...objectMeta(plan, name, namespace), annotations: { [ANNOTATION.purpose]: purpose } },
      spec,
    });
  }
}

/** The NetworkPolicy peers of one end of a flow. Never empty: an empty peer list would mean "everyone". */
function peers(peer: FlowPeer): k8s.NetworkPolicyPeer[] {
  const byName = (namespace: string) => ({ matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } });
  let out: k8s.NetworkPolicyPeer[];
  switch (peer.kind) {
    case 'workload':
      out = [{ namespaceSelector: byName(peer.namespace), podSelector: { matchLabels: { ...peer.selector } } }];
      break;
    case 'namespace':
      out = [{ namespaceSelector: byName(peer.namespace) }];
      break;
    case 'cidr':
      out = peer.cidrs.map((cidr) => ({ ipBlock: { cidr } }));
      break;
    case 'cluster-dns':
      out = [{ namespaceSelector: byName(CLUSTER_DNS.namespace), podSelector: { matchLabels: { ...CLUSTER_DNS.podSelector } } }];
      break;
    default: {
      const never: never = peer;
      throw new Error(`internal: unknown flow peer ${JSON.stringify(never)}`);
    }
  }
  if (out.length === 0) throw new Error(`internal: flow peer ${JSON.stringify(peer)} has no address`);
  return out;
}

/** Ports exactly as the flow declares them. */
function ports(list: readonly FlowPort[]): k8s.NetworkPolicyPort[] {
  if (list.length === 0) throw new Error('internal: a flow without ports would allow every port');
  return list.map((p) => ({ protocol: p.protocol, port: k8s.IntOrString.fromNumber(p.port) }));
}
