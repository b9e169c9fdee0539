import { App, Chart } from 'cdk8s';
import fc from 'fast-check';
import { workloadLabels } from '../../lib/k8s/labels';
import {
  ALLOW_DNS_POLICY, BoundaryNetworkPolicies, DEFAULT_DENY_POLICY, NAMESPACE_NAME_LABEL, flowPolicyName,
} from '../../lib/k8s/network-policies';
import type { K8sObject } from '../../lib/k8s/k8s-object';
import { CLUSTER_DNS, DNS_PORTS, LABEL, PORTS, planBoundary, type BoundaryPlan, type FlowPort } from '../../lib/plan';
import { Boundary } from '../../lib/spec';
import type { BoundaryManifest, ConsumerSpec, ModelSpec } from '../../lib/spec/types';
import { examplePlans, objectsOf, ofKind, podTemplates, TEST_NOW } from '../helpers/examples';
import { validateK8sObjects } from '../helpers/k8s-schema';

interface Selector { matchLabels?: Record<string, string>; matchExpressions?: unknown[] }
interface Peer { ipBlock?: { cidr: string; except?: string[] }; namespaceSelector?: Selector; podSelector?: Selector }
interface Port { protocol?: string; port?: number | string; endPort?: number }
interface Rule { from?: Peer[]; to?: Peer[]; ports?: Port[] }
interface PolicySpec { podSelector: Selector; policyTypes?: string[]; ingress?: Rule[]; egress?: Rule[] }

/** Every network policy of a plan, in a chart of its own (no dependency on the other constructs). */
function synthAllPolicies(plan: BoundaryPlan): K8sObject[] {
  const chart = new Chart(new App({ recordConstructMetadata: false }), 'test', { disableResourceNameHashes: true });
  new BoundaryNetworkPolicies(chart, 'network-policies', { plan });
  return ofKind(chart.toJson() as K8sObject[], 'NetworkPolicy');
}

/**
 * The policies of the boundary's own namespaces. The strict-mode policies of CoreDNS and of the cluster controllers
 * live in their namespaces (kube-system, external-secrets) and have their own tests below.
 */
function synthPolicies(plan: BoundaryPlan): K8sObject[] {
  const ours = new Set(plan.namespaces.map((n) => n.name));
  return synthAllPolicies(plan).filter((p) => ours.has(p.metadata.namespace!));
}

const specOf = (o: K8sObject): PolicySpec => (o as unknown as { spec: PolicySpec }).spec;
const portText = (p: Port | FlowPort): string => `${p.protocol}/${p.port}`;
const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** Whether a pod selector selects a pod with these labels (we emit matchLabels only; asserted below). */
function selects(sel: Selector, labels: Record<string, string>): boolean {
  return Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

/** A peer as text: `cidr:<cidr>`, `namespace:<ns>`, `pod:<ns>/<app name>@<instance>` (pods of the policy's namespace when no namespaceSelector). */
function peerText(p: Peer, policyNamespace: string): string {
  if (p.ipBlock) return `cidr:${p.ipBlock.cidr}${p.ipBlock.except ? ` except ${p.ipBlock.except.join(',')}` : ''}`;
  const ns = p.namespaceSelector ? p.namespaceSelector.matchLabels?.[NAMESPACE_NAME_LABEL] ?? '<any>' : policyNamespace;
  if (!p.podSelector) return `namespace:${ns}`;
  const l = p.podSelector.matchLabels ?? {};
  return `pod:${ns}/${l[LABEL.name] ?? l['k8s-app'] ?? '<any>'}@${l[LABEL.instance] ?? '-'}`;
}

/** Every `<peer> <proto>/<port>` a pod with these labels in this namespace admits. */
function admittedIngress(policies: readonly K8sObject[], namespace: string, podLabels: Record<string, string>): string[] {
  return sorted(policies
    .filter((o) => o.metadata.namespace === namespace && (specOf(o).policyTypes ?? []).includes('Ingress') && selects(specOf(o).podSelector, podLabels))
    .flatMap((o) => (specOf(o).ingress ?? []).flatMap((r) => (r.from ?? []).flatMap((p) => (r.ports ?? []).map((port) => `${peerText(p, namespace)} ${portText(port)}`)))));
}

/** What the gateway pods must admit, derived from the spec (not from the flows the policies are built from). */
function expectedGatewayIngress(plan: BoundaryPlan): string[] {
  const gwNs = plan.gateway.namespace;
  const sources = [
    ...plan.spec.network.consumers.map((c) => (c.cidr !== undefined ? `cidr:${c.cidr}` : `namespace:${c.namespace}`)),
    `pod:${gwNs}/gateway-reconcile@${plan.name}`,
    ...(plan.spec.network.ingress === 'public' ? plan.network.publicCidrs.map((c) => `cidr:${c}`) : []),
    // Health checks of the internal NLB, placed in the data-zone subnets where no pod runs.
    ...(plan.gateway.internalLoadBalancer?.subnetCidrs ?? []).map((c) => `cidr:${c}`),
  ];
  return sorted(sources.map((s) => `${s} TCP/${PORTS.gateway}`));
}

function allRules(o: K8sObject): { dir: 'ingress' | 'egress'; peers: Peer[] | undefined; ports: Port[] | undefined }[] {
  const s = specOf(o);
  return [
    ...(s.ingress ?? []).map((r) => ({ dir: 'ingress' as const, peers: r.from, ports: r.ports })),
    ...(s.egress ?? []).map((r) => ({ dir: 'egress' as const, peers: r.to, ports: r.ports })),
  ];
}

/** Namespaces lacking a default-deny of both directions. */
function namespacesWithoutDefaultDeny(plan: BoundaryPlan, policies: readonly K8sObject[]): string[] {
  return plan.namespaces.map((n) => n.name).filter((ns) => !policies.some((o) => o.metadata.namespace === ns
    && o.metadata.name === DEFAULT_DENY_POLICY
    && Object.keys(specOf(o).podSelector).length === 0
    && sorted(specOf(o).policyTypes ?? []).join() === 'Egress,Ingress'
    && specOf(o).ingress === undefined && specOf(o).egress === undefined));
}

const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);

/** Rules that allow too much: missing/empty peer or port lists, open ipBlocks, unscoped selectors. */
function openRules(policies: readonly K8sObject[]): string[] {
  return policies.flatMap((o) => allRules(o).flatMap((r) => {
    const where = `${o.metadata.namespace}/${o.metadata.name} ${r.dir}`;
    const bad: string[] = [];
    if (!r.peers || r.peers.length === 0) bad.push(`${where}: no peer list (= everyone)`);
    if (!r.ports || r.ports.length === 0) bad.push(`${where}: no port list (= every port)`);
    for (const p of r.peers ?? []) {
      if (p.ipBlock && OPEN_CIDRS.has(p.ipBlock.cidr)) bad.push(`${where}: ipBlock ${p.ipBlock.cidr}`);
      if (p.namespaceSelector && !p.namespaceSelector.matchLabels?.[NAMESPACE_NAME_LABEL]) bad.push(`${where}: namespaceSelector not scoped to one namespace`);
      if (p.podSelector && Object.keys(p.podSelector.matchLabels ?? {}).length === 0) bad.push(`${where}: empty podSelector`);
      if (!p.ipBlock && !p.namespaceSelector && !p.podSelector) bad.push(`${where}: empty peer`);
    }
    return bad;
  }));
}

describe.each(examplePlans())('network policies of %s', (_name, plan) => {
  const policies = synthPolicies(plan);
  const byNs = (ns: string) => policies.filter((o) => o.metadata.namespace === ns);
  const gwNs = plan.gateway.namespace;
  const modelsNs = plan.names.zoneNamespace('models');

  test('objects are valid against the Kubernetes schema', () => {
    expect(validateK8sObjects(policies)).toEqual([]);
  });

  test('(a) every boundary namespace has default-deny covering ingress and egress', () => {
    expect(plan.namespaces.length).toBeGreaterThanOrEqual(3);
    expect(namespacesWithoutDefaultDeny(plan, policies)).toEqual([]);
  });

  test('every namespace allows DNS egress to the cluster DNS only, on 53/UDP and 53/TCP', () => {
    const dns = policies.filter((o) => o.metadata.name === ALLOW_DNS_POLICY);
    expect(sorted(dns.map((o) => o.metadata.namespace!))).toEqual(sorted(plan.namespaces.map((n) => n.name)));
    for (const o of dns) {
      expect(specOf(o)).toEqual({
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: CLUSTER_DNS.namespace } }, podSelector: { matchLabels: CLUSTER_DNS.podSelector } }],
          ports: DNS_PORTS.map((p) => ({ protocol: p.protocol, port: p.port })),
        }],
      });
    }
  });

  test('(b) gateway pods admit exactly the declared consumers, the reconcile Job (and public LB subnets when declared) on the gateway port', () => {
    const admitted = admittedIngress(policies, gwNs, workloadLabels(plan, 'gateway', 'gateway'));
    expect(admitted).toEqual(expectedGatewayIngress(plan));
  });

  test('(c) the models namespace admits only the gateway, on 8000/TCP', () => {
    const everyIngress = byNs(modelsNs).flatMap((o) => (specOf(o).ingress ?? [])
      .flatMap((r) => (r.from ?? []).flatMap((p) => (r.ports ?? []).map((port) => `${peerText(p, modelsNs)} ${portText(port)}`))));
    const gateway = `pod:${gwNs}/gateway@${plan.name} TCP/${PORTS.vllm}`;
    expect(sorted(everyIngress)).toEqual(plan.models.length > 0 ? [gateway] : []);
    for (const m of plan.models) {
      expect(admittedIngress(policies, modelsNs, workloadLabels(plan, m.workload, 'model'))).toEqual([gateway]);
    }
  });

  test('(d) no rule has an empty peer or port list, an open ipBlock or an unscoped selector', () => {
    expect(policies.flatMap(allRules).length).toBeGreaterThan(0);
    expect(openRules(policies)).toEqual([]);
    expect(policies.filter((o) => JSON.stringify(specOf(o)).includes('matchExpressions'))).toEqual([]);
  });

  test('(e) every flow policy opens exactly the flow\'s ports, and nothing but flows and DNS is allowed', () => {
    const ours = new Set(plan.namespaces.map((n) => n.name));
    const expected = plan.flows.flatMap((f) => [
      ...(f.from.kind === 'workload' && ours.has(f.from.namespace) ? [`${f.from.namespace}/${flowPolicyName(f.id, 'egress')} ${f.ports.map(portText).join(',')}`] : []),
      ...(f.to.kind === 'workload' && ours.has(f.to.namespace) ? [`${f.to.namespace}/${flowPolicyName(f.id, 'ingress')} ${f.ports.map(portText).join(',')}`] : []),
    ]);
    const actual = policies
      .filter((o) => o.metadata.name !== DEFAULT_DENY_POLICY && o.metadata.name !== ALLOW_DNS_POLICY)
      .map((o) => `${o.metadata.namespace}/${o.metadata.name} ${allRules(o).flatMap((r) => r.ports ?? []).map(portText).join(',')}`);
    expect(sorted(actual)).toEqual(sorted(expected));
    expect(actual).toHaveLength(expected.length);
  });

  test('each flow policy carries the flow purpose and a valid, unique name', () => {
    const purposes = new Map(plan.flows.flatMap((f) => [[flowPolicyName(f.id, 'egress'), f.purpose], [flowPolicyName(f.id, 'ingress'), f.purpose]]));
    const flowPolicies = policies.filter((o) => o.metadata.name.startsWith('allow-') && o.metadata.name !== ALLOW_DNS_POLICY);
    expect(flowPolicies.map((o) => o.metadata.annotations?.['private-ai-boundary.io/purpose'])).toEqual(flowPolicies.map((o) => purposes.get(o.metadata.name)));
    expect(policies.filter((o) => !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(o.metadata.name))).toEqual([]);
    const keys = policies.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('in the whole chart, the real gateway and model pods admit exactly what (b) and (c) require', () => {
    const pods = podTemplates(objectsOf(plan)).map(({ owner }) => ({
      owner, labels: (owner as unknown as { spec: { template: { metadata: { labels: Record<string, string> } } } }).spec.template.metadata.labels,
    }));
    const gateway = pods.filter((p) => p.owner.kind === 'Deployment' && p.owner.metadata.namespace === gwNs && p.labels[LABEL.name] === 'gateway');
    expect(gateway).toHaveLength(1);
    expect(admittedIngress(policies, gwNs, gateway[0].labels)).toEqual(expectedGatewayIngress(plan));
    const models = pods.filter((p) => p.owner.metadata.namespace === modelsNs);
    expect(models).toHaveLength(plan.models.length);
    expect(models.map((p) => admittedIngress(policies, modelsNs, p.labels)))
      .toEqual(models.map(() => [`pod:${gwNs}/gateway@${plan.name} TCP/${PORTS.vllm}`]));
  });

  test('in the whole chart, every workload a flow names has pods its selector selects', () => {
    const pods = podTemplates(objectsOf(plan)).map(({ owner }) => ({
      ns: owner.metadata.namespace, labels: (owner as unknown as { spec: { template: { metadata: { labels: Record<string, string> } } } }).spec.template.metadata.labels,
    }));
    // Controllers are installed by the platform team (Helm), not by the boundary: their selectors are tested below.
    const controllerNamespaces = new Set(plan.controllers.map((c) => c.namespace));
    const workloads = plan.flows.flatMap((f) => [f.from, f.to]).flatMap((p) => (p.kind === 'workload' && !controllerNamespaces.has(p.namespace) ? [p] : []));
    expect(workloads.length).toBeGreaterThan(0);
    expect(workloads.filter((w) => !pods.some((p) => p.ns === w.namespace && selects({ matchLabels: { ...w.selector } }, p.labels)))
      .map((w) => `${w.namespace}/${w.workload}`)).toEqual([]);
  });

  test('pods reach S3 only at the ipBlocks where the plan puts the S3 interface endpoint (private DNS for all resolvers)', () => {
    const s3Flows = plan.flows.filter((f) => f.to.kind === 'cidr' && f.to.name === 'aws-api-endpoints' && f.from.kind === 'workload'
      && plan.namespaces.some((n) => f.from.kind === 'workload' && n.name === f.from.namespace));
    expect(s3Flows.map((f) => f.id)).toEqual(expect.arrayContaining(['gateway-to-audit-sink']));
    const egressCidrs = sorted(s3Flows.flatMap((f) => {
      const policy = policies.find((o) => f.from.kind === 'workload' && o.metadata.namespace === f.from.namespace && o.metadata.name === flowPolicyName(f.id, 'egress'))!;
      return (specOf(policy).egress ?? []).flatMap((r) => (r.to ?? []).map((p) => p.ipBlock?.cidr ?? '(not an ipBlock)'));
    }));
    expect(egressCidrs).toEqual(sorted(plan.network.awsApiCidrs));
    // On AWS: the data-zone subnets, where the S3 interface endpoint answers for every resolver in the VPC (with a
    // gateway endpoint alone S3 resolves to public prefix-list addresses, which these ipBlocks do not admit).
    // On a customer-run cluster: the customer's audit.sinkCidrs, and the boundary creates no endpoint.
    const aws = plan.spec.aws !== undefined;
    const s3 = plan.network.vpcEndpoints.filter((e) => e.service === 's3' && e.type === 'Interface');
    expect(s3.map((e) => (e.type === 'Interface' ? e.privateDns : undefined))).toEqual(aws ? [{ enabled: true, onlyForInboundResolverEndpoint: false }] : []);
    expect(sorted(s3.flatMap((e) => (e.type === 'Interface' ? e.subnets.map((x) => x.cidr) : [])))).toEqual(aws ? egressCidrs : []);
    expect(plan.network.awsApiCidrs).toEqual(aws ? plan.network.zoneCidrs.data : plan.spec.audit.sinkCidrs);
  });

  test('every policy carries the common labels', () => {
    expect(policies.filter((o) => !selects({ matchLabels: { ...plan.commonLabels } }, o.metadata.labels ?? {}))).toEqual([]);
  });
});

describe('flowPolicyName', () => {
  test('keeps short names and shortens long ones deterministically with a hash suffix', () => {
    expect(flowPolicyName('gateway-to-database', 'egress')).toBe('allow-gateway-to-database-egress');
    const long = `consumer-${'a'.repeat(63)}-to-gateway`;
    const name = flowPolicyName(long, 'ingress');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?-[0-9a-f]{8}$/);
    expect(flowPolicyName(long, 'ingress')).toBe(name);
    expect(flowPolicyName(long, 'egress')).not.toBe(name);
    expect(flowPolicyName(`consumer-${'a'.repeat(63)}-to-gateway2`, 'ingress')).not.toBe(name);
  });
});

// ---- property-based: any valid spec keeps the invariants -------------------------------------------------------

const IMAGE = 'vllm/vllm-openai:v0.8.5@sha256:3cf83b274876d8469070b145eb2b86f8d43f6da1181c3eb1368d440ca8738e79';

/** A valid base spec the generator mutates (VPC 10.80.0.0/20, so consumers in 10.100+.x.x never overlap it). */
const BASE: BoundaryManifest = {
  apiVersion: 'private-ai-boundary/v1',
  kind: 'Boundary',
  metadata: { name: 'prop-test', customer: 'Property', owner: 'sec@prop.example' },
  spec: {
    aws: { account: '444455556666', region: 'us-east-2' },
    availabilityZones: 2,
    network: { cidr: '10.80.0.0/20', zones: { gateway: { cidrMask: 24 }, models: { cidrMask: 23 }, data: { cidrMask: 26 } }, consumers: [] },
    kubernetes: { version: '1.33' },
    gpuNodePools: [{ name: 'a10g', instanceTypes: ['g5.xlarge'], gpusPerNode: 1, maxNodes: 2 }],
    models: [],
    gateway: {
      engine: 'litellm',
      image: 'ghcr.io/berriai/litellm-database:v1.74.3-stable@sha256:e07dcbbc489d364b2975428ae1a6860b05fd82b889c428663d7ee3cd90e6ae00',
      replicas: 2,
      rateLimits: { requestsPerMinute: 60, tokensPerMinute: 100000 },
    },
    secrets: { store: 'aws-secrets-manager' },
  },
};

const PUBLIC = {
  ingress: 'public' as const,
  waf: true,
  wafAclArn: 'arn:aws:wafv2:us-east-2:444455556666:regional/webacl/prop/0123abcd-0123-4567-89ab-0123456789ab',
  tlsCertificateArn: 'arn:aws:acm:us-east-2:444455556666:certificate/0123abcd-0123-4567-89ab-0123456789ab',
  publicIngressReason: 'partner portal PRP-1 needs internet access',
};

const dnsLabel = (max: number) => fc.stringMatching(new RegExp(`^[a-z]([-a-z0-9]{0,${max - 2}}[a-z0-9])?$`));

const consumersArb: fc.Arbitrary<ConsumerSpec[]> = fc
  .uniqueArray(fc.record({ name: dnsLabel(63), viaCidr: fc.boolean(), ns: dnsLabel(40), mask: fc.integer({ min: 16, max: 28 }) }),
    { minLength: 1, maxLength: 6, selector: (c) => c.name })
  // Consumer i gets 10.(100+i).0.0/mask: disjoint from each other and from the VPC.
  .map((cs) => cs.map((c, i) => (c.viaCidr ? { name: c.name, cidr: `10.${100 + i}.0.0/${c.mask}` } : { name: c.name, namespace: `ns-${c.ns}` })));

const modelsArb: fc.Arbitrary<ModelSpec[]> = fc
  .array(fc.boolean(), { minLength: 0, maxLength: 4 })
  .map((s3) => s3.map((fromS3, i) => ({ name: `m${i}`, image: IMAGE, weights: fromS3 ? `s3://prop-models/m${i}/` : `pvc:m${i}-weights`, nodePool: 'a10g' })));

const manifestArb: fc.Arbitrary<BoundaryManifest> = fc
  .record({ consumers: consumersArb, models: modelsArb, replicas: fc.integer({ min: 1, max: 3 }), isPublic: fc.boolean(), redact: fc.boolean() })
  .map(({ consumers, models, replicas, isPublic, redact }) => ({
    ...BASE,
    spec: {
      ...BASE.spec,
      network: { ...BASE.spec.network, consumers, ...(isPublic ? PUBLIC : {}) },
      models,
      gateway: {
        ...BASE.spec.gateway,
        replicas,
        ...(redact ? {
          redaction: [{ entities: ['EMAIL_ADDRESS'], action: 'mask' as const }],
          presidio: { analyzerImage: `mcr.microsoft.com/presidio-analyzer:2.2.358@sha256:${'a'.repeat(64)}`, anonymizerImage: `mcr.microsoft.com/presidio-anonymizer:2.2.358@sha256:${'b'.repeat(64)}` },
        } : {}),
      },
    },
  }));

describe('any valid spec', () => {
  test('keeps default-deny everywhere, no open CIDR, and gateway ingress == declared consumers', () => {
    fc.assert(fc.property(manifestArb, (manifest) => {
      const plan = planBoundary(Boundary.fromManifest(manifest, { now: TEST_NOW }));
      const policies = synthPolicies(plan);
      expect(namespacesWithoutDefaultDeny(plan, policies)).toEqual([]);
      expect(openRules(policies)).toEqual([]);
      expect(admittedIngress(policies, plan.gateway.namespace, workloadLabels(plan, 'gateway', 'gateway'))).toEqual(expectedGatewayIngress(plan));
      expect(policies.filter((o) => o.metadata.name.length > 63)).toEqual([]);
    }), { numRuns: 30 });
  });
});

describe.each(examplePlans())('%s under strict network-policy enforcement', (_name, plan) => {
  const dnsPolicies = ofKind(objectsOf(plan), 'NetworkPolicy').filter((p) => p.metadata.namespace === 'kube-system'
    && (p as any).spec.podSelector.matchLabels?.['k8s-app'] === 'kube-dns') as any[];

  test('CoreDNS gets its own policy exactly when the CloudFormation target turns strict mode on (spec.aws)', () => {
    expect(dnsPolicies.map((p) => p.metadata.name)).toEqual(plan.spec.aws ? [`${plan.name}-coredns`] : []);
  });

  const controllerNamespaces = new Set(plan.controllers.map((c) => c.namespace));
  const controllerPolicies = synthAllPolicies(plan).filter((p) => controllerNamespaces.has(p.metadata.namespace!) && !dnsPolicies.some((d) => d.metadata.name === p.metadata.name));

  test('the controllers the boundary relies on are planned exactly when it uses them (AWS only)', () => {
    const expected = !plan.spec.aws ? [] : [
      ...(plan.gateway.internalLoadBalancer || plan.gateway.publicIngress ? ['aws-load-balancer-controller'] : []),
      ...(plan.pools.some((p) => p.provisioner === 'karpenter') ? ['karpenter'] : []),
      ...(plan.secrets.store === 'aws-secrets-manager' ? ['external-secrets', 'external-secrets-webhook', 'external-secrets-cert-controller'] : []),
    ];
    expect(plan.controllers.map((c) => c.name)).toEqual(expected);
  });

  test('each controller is isolated in both directions and admits exactly its own paths', () => {
    const apiServer = [...plan.network.zoneCidrs.gateway, ...plan.network.zoneCidrs.models].map((c) => `cidr:${c}`);
    const dns = `pod:${CLUSTER_DNS.namespace}/kube-dns@-`;
    for (const c of plan.controllers) {
      const mine = controllerPolicies.filter((p) => p.metadata.namespace === c.namespace && selects(specOf(p).podSelector, c.selector));
      // Never a namespace-wide policy in a namespace the boundary does not own.
      expect(mine.every((p) => Object.keys(specOf(p).podSelector.matchLabels ?? {}).length > 0)).toBe(true);
      expect(mine.filter((p) => specOf(p).ingress === undefined && specOf(p).egress === undefined).map((p) => sorted(specOf(p).policyTypes ?? [])))
        .toEqual([['Egress', 'Ingress']]);
      const rules = (dir: 'ingress' | 'egress') => sorted(mine.flatMap((p) => allRules(p).filter((r) => r.dir === dir)
        .flatMap((r) => (r.peers ?? []).flatMap((peer) => (r.ports ?? []).map((port) => `${peerText(peer, c.namespace)} ${portText(port)}`)))));
      expect(rules('egress')).toEqual(sorted([
        `${dns} UDP/53`, `${dns} TCP/53`, ...apiServer.map((a) => `${a} TCP/443`),
        ...(c.awsApis ? plan.network.awsApiCidrs.map((a) => `cidr:${a} TCP/443`) : []),
        ...(c.role ? ['cidr:169.254.170.23/32 TCP/80'] : []),
      ]));
      expect(rules('ingress')).toEqual(c.webhookPort === undefined ? [] : sorted(apiServer.map((a) => `${a} TCP/${c.webhookPort}`)));
    }
    expect(openRules(controllerPolicies)).toEqual([]);
  });

  test('CoreDNS answers on 53 only, forwards only to the VPC resolver, and reaches only the API endpoint subnets on 443', () => {
    const vpcBase = plan.network.vpcCidr.split('/')[0].split('.').map(Number);
    const resolver = `${vpcBase[0]}.${vpcBase[1]}.${vpcBase[2]}.${vpcBase[3] + 2}/32`;
    for (const p of dnsPolicies) {
      expect(p.spec.podSelector).toEqual({ matchLabels: { 'k8s-app': 'kube-dns' } });
      expect(p.spec.ingress).toEqual([{ from: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }]);
      expect(p.spec.egress[0].to.map((t: any) => t.ipBlock.cidr)).toEqual([resolver, '169.254.169.253/32']);
      expect(p.spec.egress[1].ports).toEqual([{ protocol: 'TCP', port: 443 }]);
      expect(p.spec.egress[1].to.map((t: any) => t.ipBlock.cidr)).toEqual([...plan.network.zoneCidrs.gateway, ...plan.network.zoneCidrs.models]);
    }
  });
});
