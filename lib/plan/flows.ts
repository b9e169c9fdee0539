import type { ResolvedSpec } from '../spec/resolve';
import type { ControllerPlan } from './controllers-plan';
import type { GatewayPlan } from './gateway-plan';
import { LABEL, PORTS, POD_IDENTITY_AGENT_CIDR } from './names';
import type { NetworkPlan } from './network-plan';
import type { ModelPlan } from './workloads-plan';

/** One end of an allowed path. */
export type FlowPeer =
  | { readonly kind: 'workload'; readonly namespace: string; readonly workload: string; readonly selector: Readonly<Record<string, string>> }
  | { readonly kind: 'namespace'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'cidr'; readonly cidrs: readonly string[]; readonly name: string }
  | { readonly kind: 'cluster-dns' };

/** A port an allowed path uses. */
export interface FlowPort {
  readonly protocol: 'TCP' | 'UDP';
  readonly port: number;
}

/**
 * An allowed network path. Everything not listed is denied: the Kubernetes target renders each flow as an
 * egress rule at the source and an ingress rule at the destination; the posture reads them back.
 */
export interface FlowPlan {
  /** Stable id, e.g. `gateway-to-vllm-llama`. */
  readonly id: string;
  readonly from: FlowPeer;
  readonly to: FlowPeer;
  readonly ports: readonly FlowPort[];
  /** Why the path exists. */
  readonly purpose: string;
}

/** Pod selector labels of a workload of this boundary. */
export function selectorFor(spec: ResolvedSpec, workload: string): Record<string, string> {
  return { [LABEL.name]: workload, [LABEL.instance]: spec.name };
}

/** Derives every allowed path from the spec: consumers, gateway dependencies, model runtimes' AWS access, controllers. */
export function planFlows(spec: ResolvedSpec, net: NetworkPlan, gateway: GatewayPlan, models: readonly ModelPlan[], controllers: readonly ControllerPlan[] = []): FlowPlan[] {
  const gwNs = gateway.namespace;
  const wl = (namespace: string, workload: string): FlowPeer => ({ kind: 'workload', namespace, workload, selector: selectorFor(spec, workload) });
  const gw = wl(gwNs, 'gateway');
  const tcp = (port: number): FlowPort[] => [{ protocol: 'TCP', port }];
  const flows: FlowPlan[] = [];

  for (const c of spec.network.consumers) {
    const from: FlowPeer = c.cidr !== undefined ? { kind: 'cidr', cidrs: [c.cidr], name: c.name } : { kind: 'namespace', namespace: c.namespace!, name: c.name };
    flows.push({ id: `consumer-${c.name}-to-gateway`, from, to: gw, ports: tcp(PORTS.gateway), purpose: `consumer ${c.name} calls the gateway` });
  }
  if (spec.network.ingress === 'public') {
    flows.push({ id: 'public-ingress-to-gateway', from: { kind: 'cidr', cidrs: net.publicCidrs, name: 'public-load-balancer' }, to: gw,
      ports: tcp(PORTS.gateway), purpose: 'internet-facing ALB (WAF, TLS) forwards to the gateway' });
  }
  const nlb = gateway.internalLoadBalancer;
  if (nlb) {
    flows.push({ id: 'internal-load-balancer-to-gateway', from: { kind: 'cidr', cidrs: nlb.subnetCidrs, name: 'internal-load-balancer' }, to: gw,
      ports: tcp(PORTS.gateway), purpose: 'health checks of the internal NLB (data-zone subnets, where no pod runs)' });
  }
  flows.push({ id: 'reconcile-to-gateway', from: wl(gwNs, 'gateway-reconcile'), to: gw, ports: tcp(PORTS.gateway), purpose: 'team reconcile Job calls the admin API' });
  for (const m of models) {
    flows.push({ id: `gateway-to-${m.workload}`, from: gw, to: wl(m.namespace, m.workload), ports: tcp(PORTS.vllm), purpose: `gateway routes ${m.name} requests` });
  }
  if (gateway.presidio) {
    for (const p of ['presidio-analyzer', 'presidio-anonymizer']) {
      flows.push({ id: `gateway-to-${p}`, from: gw, to: wl(gwNs, p), ports: tcp(PORTS.presidio), purpose: 'PII redaction' });
    }
  }
  const data = { kind: 'cidr' as const, cidrs: spec.gateway.stateCidrs ?? net.zoneCidrs.data, name: 'gateway-state' };
  flows.push({ id: 'gateway-to-database', from: gw, to: data, ports: tcp(PORTS.postgres), purpose: 'gateway state (PostgreSQL)' });
  if (gateway.sharedCounters) {
    flows.push({ id: 'gateway-to-redis', from: gw, to: data, ports: tcp(PORTS.redis), purpose: 'shared rate-limit counters (Redis)' });
  }
  const api = { kind: 'cidr' as const, cidrs: net.awsApiCidrs, name: 'aws-api-endpoints' };
  flows.push({ id: 'gateway-to-audit-sink', from: gw, to: api, ports: tcp(PORTS.https), purpose: `request audit to s3://${gateway.audit.bucket}/${gateway.audit.prefix}` });
  const podIdentity = { kind: 'cidr' as const, cidrs: [POD_IDENTITY_AGENT_CIDR], name: 'eks-pod-identity-agent' };
  if (spec.aws) flows.push({ id: 'gateway-to-pod-identity', from: gw, to: podIdentity, ports: tcp(80), purpose: 'AWS credentials for the audit sink' });
  for (const m of models.filter((x) => x.weights.kind === 's3')) {
    flows.push({ id: `${m.workload}-to-model-store`, from: wl(m.namespace, m.workload), to: api, ports: tcp(PORTS.https), purpose: `stream weights from ${m.weights.kind === 's3' ? m.weights.uri : ''}` });
    if (spec.aws) flows.push({ id: `${m.workload}-to-pod-identity`, from: wl(m.namespace, m.workload), to: podIdentity, ports: tcp(80), purpose: 'AWS credentials for the model store' });
  }
  if (controllers.length > 0) {
    // Controllers exist on AWS only, where the API server's network interfaces sit in the cluster subnets.
    const apiServer: FlowPeer = { kind: 'cidr', cidrs: net.strictModeDns!.apiServerCidrs, name: 'kubernetes-api-server' };
    for (const c of controllers) {
      const self: FlowPeer = { kind: 'workload', namespace: c.namespace, workload: c.name, selector: c.selector };
      flows.push({ id: `${c.name}-to-cluster-dns`, from: self, to: { kind: 'cluster-dns' }, ports: DNS_PORTS, purpose: `${c.name} resolves names` });
      flows.push({ id: `${c.name}-to-api-server`, from: self, to: apiServer, ports: tcp(PORTS.https), purpose: `${c.name} watches and updates its objects` });
      if (c.awsApis) flows.push({ id: `${c.name}-to-aws-apis`, from: self, to: api, ports: tcp(PORTS.https), purpose: `${c.name} calls AWS through the VPC endpoints` });
      if (c.role) flows.push({ id: `${c.name}-to-pod-identity`, from: self, to: podIdentity, ports: tcp(80), purpose: `AWS credentials of ${c.name}` });
      if (c.webhookPort !== undefined) flows.push({ id: `api-server-to-${c.name}`, from: apiServer, to: self, ports: tcp(c.webhookPort), purpose: `the API server calls the ${c.name} webhook` });
    }
  }
  return flows;
}

/** DNS is the one path every pod has: to the cluster DNS on 53/UDP and 53/TCP. */
export const DNS_PORTS: readonly FlowPort[] = [{ protocol: 'UDP', port: PORTS.dns }, { protocol: 'TCP', port: PORTS.dns }];

/**
 * Where the cluster DNS runs (the `cluster-dns` peer): CoreDNS pods labelled `k8s-app=kube-dns` in `kube-system`,
 * the label EKS's coredns add-on and kubeadm both set (https://kubernetes.io/docs/tasks/administer-cluster/dns-custom-nameservers/).
 */
export const CLUSTER_DNS = { namespace: 'kube-system', podSelector: { 'k8s-app': 'kube-dns' } } as const;
