import { App, Chart } from 'cdk8s';
import { ExposurePolicy } from '../../lib/k8s/exposure-policy';
import type { BoundaryPlan } from '../../lib/plan';
import { examplePlans, exampleVariant, objectsOf, ofKind } from '../helpers/examples';
import { validateK8sObjects } from '../helpers/k8s-schema';

function synth(plan: BoundaryPlan): any[] {
  const chart = new Chart(new App(), 'x', { disableResourceNameHashes: true });
  new ExposurePolicy(chart, 'p', { plan });
  return chart.toJson();
}

function expressions(objs: any[], name: string): string[] {
  return objs.find((o) => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name === name).spec.validations.map((v: any) => v.expression);
}

describe.each(examplePlans())('%s', (_name, plan) => {
  const objs = synth(plan);

  test('a Deny binding per policy, selecting exactly the boundary namespaces by label', () => {
    const bindings = objs.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding');
    expect(bindings.map((b) => b.spec.policyName).sort()).toEqual([`${plan.name}-ingress-exposure`, `${plan.name}-service-exposure`]);
    for (const b of bindings) {
      expect(b.spec.validationActions).toEqual(['Deny']);
      expect(b.spec.matchResources.namespaceSelector.matchLabels).toEqual({ 'private-ai-boundary.io/boundary': plan.name });
    }
    const labelled = ofKind(objectsOf(plan), 'Namespace').filter((n) => n.metadata.labels?.['private-ai-boundary.io/boundary'] === plan.name);
    expect(labelled.map((n) => n.metadata.name).sort()).toEqual(plan.namespaces.map((n) => n.name).sort());
  });

  test('externalIPs are always denied; only the planned load balancer may leave ClusterIP', () => {
    const exprs = expressions(objs, `${plan.name}-service-exposure`);
    expect(exprs).toContain('!has(object.spec.externalIPs) || size(object.spec.externalIPs) == 0');
    const typeRule = exprs.find((e) => e.includes('object.spec.type'))!;
    expect(typeRule.includes('gateway-internal')).toBe(plan.gateway.internalLoadBalancer !== undefined);
    expect(typeRule).not.toMatch(/NodePort|ExternalName/);
  });

  test('every Service the chart itself renders passes its own policy', () => {
    const services = ofKind(objectsOf(plan), 'Service') as any[];
    const bad = services.filter((s) => (s.spec.externalIPs ?? []).length > 0
      || !((s.spec.type ?? 'ClusterIP') === 'ClusterIP' || (s.spec.type === 'LoadBalancer' && s.metadata.name === 'gateway-internal' && plan.gateway.internalLoadBalancer)));
    expect(bad).toEqual([]);
  });

  test('no Ingress is allowed for a private boundary', () => {
    expect(expressions(objs, `${plan.name}-ingress-exposure`)).toEqual(['false']);
  });

  test('objects are schema-valid', () => {
    expect(validateK8sObjects(objs)).toEqual([]);
  });
});

test('public ingress: only the gateway-public Ingress in the gateway namespace is admitted', () => {
  const acme = examplePlans().find(([n]) => n === 'acme-prod')![1];
  const plan = exampleVariant('acme-prod', (m) => Object.assign(m.spec.network, {
    ingress: 'public', waf: true, publicIngressReason: 'ACME-77 partner integrations',
    wafAclArn: 'arn:aws:wafv2:eu-central-1:111122223333:regional/webacl/acme-gw/0f1e2d3c-aaaa-bbbb-cccc-111122223333',
  }));
  expect(expressions(synth(plan), `${plan.name}-ingress-exposure`)).toEqual([`object.metadata.namespace == '${acme.gateway.namespace}' && object.metadata.name == 'gateway-public'`]);
});
