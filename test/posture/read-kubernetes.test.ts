import type { K8sObject } from '../../lib/k8s/k8s-object';
import { parseKubernetesManifests, readKubernetesObjects } from '../../lib/posture/read-kubernetes';
import { examplePlans, objectsOf } from '../helpers/examples';

/** Reading hand-written objects: each rule of the reader, with the case that must be flagged and the one that must not. */

const policy = (name: string, spec: Record<string, unknown>, namespace = 'ns'): K8sObject =>
  ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec }) as K8sObject;

describe('NetworkPolicies', () => {
  test('a side without rules is a default-deny of the pods the policy selects; the other side is untouched', () => {
    const [rule, ...rest] = readKubernetesObjects([policy('deny-in', { podSelector: { matchLabels: { app: 'x' } }, policyTypes: ['Ingress'] })]).network;
    expect(rest).toEqual([]);
    expect(rule).toEqual(expect.objectContaining({
      key: 'network/kubernetes/ns/NetworkPolicy/deny-in/ingress', mechanism: 'default-deny', direction: 'ingress', peers: [], ports: [], public: false,
      subject: { kind: 'pods', namespace: 'ns', selector: { app: 'x' } },
    }));
  });

  test('an absent `from` admits everyone (recorded as the internet, public); 0.0.0.0/0 is the internet too', () => {
    const rules = readKubernetesObjects([
      policy('open', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 80 }] }] }),
      policy('world', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }] }),
      policy('lan', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }),
    ]).network;
    expect(rules.map((r) => [r.key, r.public, r.peers, r.ports])).toEqual([
      ['network/kubernetes/ns/NetworkPolicy/open/ingress', true, [{ kind: 'internet' }], [{ protocol: 'tcp', from: 80, to: 80 }]],
      ['network/kubernetes/ns/NetworkPolicy/world/egress', true, [{ kind: 'internet' }], [{ protocol: 'all', from: 0, to: 65535 }]],
      ['network/kubernetes/ns/NetworkPolicy/lan/egress', false, [{ kind: 'cidr', cidr: '10.0.0.0/8' }], [{ protocol: 'all', from: 0, to: 65535 }]],
    ]);
  });

  test('namespace and pod selectors become namespace / pods peers; an empty namespace selector is every namespace', () => {
    const [rule] = readKubernetesObjects([policy('peers', {
      podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'],
      ingress: [{ from: [
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } } },
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } }, podSelector: { matchLabels: { role: 'probe' } } },
        { podSelector: { matchLabels: { app: 'web' } } },
        { namespaceSelector: {} },
      ], ports: [{ port: 8080, endPort: 8090, protocol: 'TCP' }, { port: 'http' }] }],
    })]).network;
    expect(rule.peers).toEqual([
      { kind: 'namespace', namespace: 'apps' },
      { kind: 'pods', namespace: '*', selector: {} },
      { kind: 'pods', namespace: 'ns', selector: { app: 'web' } },
      { kind: 'pods', namespace: 'ops', selector: { role: 'probe' } },
    ]);
    // A named port cannot be resolved from the policy: every TCP port (never narrower than allowed).
    expect(rule.ports).toEqual([{ protocol: 'tcp', from: 0, to: 65535 }, { protocol: 'tcp', from: 8080, to: 8090 }]);
  });

  test('rule items are merged only where peers × ports stays exact; otherwise each keeps a key naming what it governs', () => {
    const rules = readKubernetesObjects([policy('dns', {
      podSelector: {}, policyTypes: ['Egress'],
      egress: [
        { to: [{ ipBlock: { cidr: '10.0.0.2/32' } }], ports: [{ port: 53, protocol: 'UDP' }] },
        { to: [{ ipBlock: { cidr: '10.0.0.3/32' } }], ports: [{ port: 53, protocol: 'UDP' }] },
        { to: [{ ipBlock: { cidr: '10.1.0.0/16' } }], ports: [{ port: 443 }] },
      ],
    })]).network;
    expect(rules.map((r) => [r.key, r.peers.length, r.ports])).toEqual([
      ['network/kubernetes/ns/NetworkPolicy/dns/egress/ip:udp53', 2, [{ protocol: 'udp', from: 53, to: 53 }]],
      ['network/kubernetes/ns/NetworkPolicy/dns/egress/ip:tcp443', 1, [{ protocol: 'tcp', from: 443, to: 443 }]],
    ]);
  });
});

describe('exposure', () => {
  const service = (name: string, spec: Record<string, unknown>, annotations: Record<string, string> = {}): K8sObject =>
    ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'gw', annotations }, spec: { selector: { app: 'gw' }, ports: [{ port: 443 }], ...spec } }) as K8sObject;

  test('an internal load balancer with source ranges admits those ranges; without them, anyone (public)', () => {
    const lbc = { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external', 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' };
    const rules = readKubernetesObjects([
      service('ranged', { type: 'LoadBalancer', loadBalancerSourceRanges: ['10.60.0.0/16'] }, lbc),
      service('open', { type: 'LoadBalancer' }, lbc),
      service('cluster', { type: 'ClusterIP', externalIPs: [] }),
    ]).network;
    expect(rules.map((r) => [r.key, r.public, r.peers])).toEqual([
      ['network/kubernetes/gw/Service/ranged', false, [{ kind: 'cidr', cidr: '10.60.0.0/16' }]],
      ['network/kubernetes/gw/Service/open', true, [{ kind: 'internet' }]],
    ]);
  });

  test('an internet-facing load balancer is public whatever its ranges; NodePorts and externalIPs are exposure too', () => {
    const rules = readKubernetesObjects([
      service('legacy', { type: 'LoadBalancer', loadBalancerSourceRanges: ['203.0.113.0/24'] }),
      service('nodes', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
      service('ext', { type: 'ClusterIP', externalIPs: ['198.51.100.7'] }),
    ]).network;
    expect(rules.map((r) => [r.key, r.public, r.ports])).toEqual([
      ['network/kubernetes/gw/Service/legacy', true, [{ protocol: 'tcp', from: 443, to: 443 }]],
      ['network/kubernetes/gw/Service/nodes/node-port', true, [{ protocol: 'tcp', from: 30080, to: 30080 }]],
      ['network/kubernetes/gw/Service/ext/external-ips', true, [{ protocol: 'tcp', from: 443, to: 443 }]],
    ]);
  });
});

describe('container baseline', () => {
  const [, acme] = examplePlans()[0];
  const objects = objectsOf(acme);

  test('a compliant namespace has no deviation; weakening one container is reported precisely', () => {
    expect(readKubernetesObjects(objects).hardening.flatMap((h) => h.deviations)).toEqual([]);
    const weakened = JSON.parse(JSON.stringify(objects)) as any[];
    const gateway = weakened.find((o) => o.kind === 'Deployment' && o.metadata.name === 'gateway');
    const c = gateway.spec.template.spec.containers[0];
    c.securityContext.readOnlyRootFilesystem = false;
    c.securityContext.capabilities = { add: ['NET_ADMIN'], drop: [] };
    c.image = 'ghcr.io/berriai/litellm:latest';
    gateway.spec.template.spec.hostNetwork = true;
    const ns = gateway.metadata.namespace;
    const hardening = readKubernetesObjects(weakened).hardening.find((h) => h.namespace === ns)!;
    expect(hardening.deviations).toEqual([
      'Deployment/gateway/litellm: adds capability NET_ADMIN',
      'Deployment/gateway/litellm: capabilities not dropped (drop ALL)',
      'Deployment/gateway/litellm: image not pinned by digest',
      'Deployment/gateway/litellm: root filesystem writable',
      'Deployment/gateway: hostNetwork',
    ]);
    expect(hardening.evidence.map((e) => e.ref)).toEqual([`Deployment/${ns}/gateway`, `Namespace/${ns}`]);
  });

  test('a namespace without Pod Security labels is privileged', () => {
    const [h] = readKubernetesObjects([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'plain' } }]).hardening;
    expect(h.pss).toEqual({ enforce: 'privileged', audit: 'privileged', warn: 'privileged' });
  });
});

describe('RBAC and secrets', () => {
  test('bindings of one subject with one name and role are one grant scoped to their namespaces; annotations give expiry and MFA', () => {
    const binding = (namespace: string): K8sObject => ({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding',
      metadata: { name: 'grant-x', namespace, annotations: { 'private-ai-boundary.io/expires': '2027-02-28', 'private-ai-boundary.io/requires-mfa': 'true' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'g' }],
    }) as K8sObject;
    expect(readKubernetesObjects([binding('b'), binding('a')]).identity).toEqual([expect.objectContaining({
      key: 'identity/kubernetes/group/g/grant-x', level: 'edit', scope: ['a', 'b'], mfa: true, expires: '2027-03-01T00:00:00Z',
    })]);
  });

  test('an ExternalSecret whose target no workload reads has only the store identity as reader', () => {
    const [, acme] = examplePlans()[0];
    const objects = objectsOf(acme).filter((o) => o.kind !== 'Deployment' && o.kind !== 'Job');
    const secrets = readKubernetesObjects(objects).secrets;
    expect(secrets.length).toBeGreaterThan(0);
    for (const s of secrets) expect(s.readers.every((r) => r.endsWith(':secrets-reader'))).toBe(true);
  });

  test('parseKubernetesManifests skips empty documents and names the file on a broken one', () => {
    expect(parseKubernetesManifests('---\napiVersion: v1\nkind: Namespace\nmetadata: { name: a }\n---\n', 'm.yaml').map((o) => o.metadata.name)).toEqual(['a']);
    expect(() => parseKubernetesManifests('kind: [', 'm.yaml')).toThrow(/^m\.yaml: document 1: /);
  });
});
