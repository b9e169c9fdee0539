/**
 * Parity: the Kubernetes objects the Pulumi target registers are the objects the Kubernetes target writes — read back
 * from its manifests.yaml — for every example and for variants that add kinds the examples lack (public Ingress).
 * The only normalization is key order (`canonicalJson`); the comparison itself is proven able to fail below.
 */
import { parseAllDocuments } from 'yaml';
import type { K8sObject } from '../../lib/k8s/k8s-object';
import type { BoundaryPlan } from '../../lib/plan';
import { renderTarget } from '../../lib/synth/targets';
import { examplePlans, exampleVariant, objectsOf } from '../helpers/examples';
import { pulumiModule, registerPlan, type Registration } from './pulumi-harness';

const CERT = 'arn:aws:acm:eu-central-1:111122223333:certificate/12345678-aaaa-bbbb-cccc-111122223333';
const WAF = 'arn:aws:wafv2:eu-central-1:111122223333:regional/webacl/acme-gw/0f1e2d3c-aaaa-bbbb-cccc-111122223333';
const cases: [string, BoundaryPlan][] = [
  ...examplePlans(),
  ['acme-prod with a public ingress', exampleVariant('acme-prod', (m) => {
    Object.assign(m.spec.network, { ingress: 'public', waf: true, wafAclArn: WAF, tlsCertificateArn: CERT, publicIngressReason: 'ACME-77 partners' });
  })],
];

/** What `pab synth --target kubernetes` writes for a plan, parsed back. */
function kubernetesTarget(plan: BoundaryPlan): K8sObject[] {
  const [file] = renderTarget(plan, 'kubernetes').files;
  return parseAllDocuments(file.content).map((d) => d.toJS() as K8sObject);
}

describe.each(cases)('%s', (_name, plan) => {
  test('the Pulumi target registers exactly the objects of the Kubernetes target (key order aside)', async () => {
    const { parityDifferences } = await pulumiModule();
    const r = await registerPlan(plan);
    const written = kubernetesTarget(plan);
    expect(written.length).toBeGreaterThan(50);
    expect(parityDifferences(written, r.resources)).toEqual([]);
    // One child per object, nothing else but the component.
    expect(r.resources.length).toBe(written.length + 1);
  });
});

test('the public-ingress variant covers the Ingress kind (registered as networking.k8s.io/v1 Ingress)', async () => {
  const r = await registerPlan(cases[cases.length - 1][1]);
  expect(r.resources.filter((x) => x.type === 'kubernetes:networking.k8s.io/v1:Ingress').map((x) => (x.inputs as any).metadata.name)).toEqual(['gateway-public']);
});

describe('the comparison fails on any difference', () => {
  let base: { objects: K8sObject[]; registration: Registration };
  beforeAll(async () => {
    const [, plan] = examplePlans()[0];
    base = { objects: objectsOf(plan), registration: await registerPlan(plan) };
  });
  const mutate = (change: (inputs: any) => void) => base.registration.resources.map((r) => {
    const copy = JSON.parse(JSON.stringify(r));
    if (copy.inputs.kind === 'Deployment' && copy.inputs.metadata.name === 'gateway') change(copy.inputs);
    return copy;
  });

  test('identical sets: no difference; key order alone is no difference', async () => {
    const { parityDifferences } = await pulumiModule();
    const reordered = base.registration.resources.map((r) => ({ ...r, inputs: Object.fromEntries(Object.entries(r.inputs).reverse()) }));
    expect(parityDifferences(base.objects, reordered)).toEqual([]);
  });

  test.each([
    ['a changed value', (i: any) => { i.spec.replicas = 7; }, /Deployment\/.*\/gateway: inputs differ at \.spec\.replicas: Kubernetes target \d+, Pulumi target 7/],
    ['an added field', (i: any) => { i.spec.template.spec.priorityClassName = 'system-node-critical'; }, /inputs differ at \.spec\.template\.spec\.priorityClassName: Kubernetes target \(absent\), Pulumi target "system-node-critical"/],
    ['a dropped field', (i: any) => { delete i.spec.template.spec.securityContext; }, /inputs differ at \.spec\.template\.spec\.securityContext/],
    ['a reordered list', (i: any) => { i.spec.template.spec.containers[0].env.reverse(); }, /inputs differ at \.spec\.template\.spec\.containers\[0\]\.env\[0\]/],
    ['an empty object added', (i: any) => { i.spec.template.spec.dnsConfig = {}; }, /inputs differ at \.spec\.template\.spec\.dnsConfig: Kubernetes target \(absent\), Pulumi target \{\}/],
  ])('%s', async (_what, change, message) => {
    const { parityDifferences } = await pulumiModule();
    expect(parityDifferences(base.objects, mutate(change)).join('\n')).toMatch(message);
  });

  test('a missing object, an extra object, a wrong type token', async () => {
    const { parityDifferences } = await pulumiModule();
    const resources = base.registration.resources;
    const gateway = resources.find((r) => (r.inputs as any).kind === 'Deployment' && (r.inputs as any).metadata.name === 'gateway')!;
    expect(parityDifferences(base.objects, resources.filter((r) => r !== gateway))).toEqual([expect.stringMatching(/gateway: in the Kubernetes target, not registered/)]);
    const extra = { ...gateway, urn: `${gateway.urn}-2`, inputs: { ...gateway.inputs, metadata: { ...(gateway.inputs as any).metadata, name: 'gateway-2' } } };
    expect(parityDifferences(base.objects, [...resources, extra])).toEqual([expect.stringMatching(/gateway-2: registered by the Pulumi target, not in the Kubernetes target/)]);
    const retyped = resources.map((r) => (r === gateway ? { ...r, type: 'kubernetes:apps/v1beta1:Deployment' } : r));
    expect(parityDifferences(base.objects, retyped)).toEqual([expect.stringMatching(/registered as kubernetes:apps\/v1beta1:Deployment, expected kubernetes:apps\/v1:Deployment/)]);
  });
});
