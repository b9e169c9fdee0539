/**
 * The Pulumi component under Pulumi's mock runtime (mocks first, then a dynamic import: pulumi-harness.ts), for every
 * example: the security properties are asserted on the inputs the program registers with the engine.
 */
import { GPU_TAINT } from '../../lib/plan';
import { SpecError } from '../../lib/spec';
import { examplePlans, exampleFiles, TEST_NOW } from '../helpers/examples';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { inputsOfKind, kubernetesChildren, pulumiModule, registerPlan } from './pulumi-harness';

const plans = examplePlans();

describe.each(plans)('%s', (_name, plan) => {
  const pss = { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' };

  test('one component of type private-ai-boundary:index:Boundary; every other resource is its child, named after it', async () => {
    const r = await registerPlan(plan);
    const components = r.resources.filter((x) => !x.custom);
    expect(components.map((c) => [c.type, c.name, c.parent])).toEqual([['private-ai-boundary:index:Boundary', plan.name, undefined]]);
    const children = r.resources.filter((x) => x.custom);
    expect(children.length).toBeGreaterThan(50);
    expect(children.filter((c) => c.parent !== components[0].urn).map((c) => c.name)).toEqual([]);
    expect(children.filter((c) => !c.name.startsWith(`${plan.name}-`)).map((c) => c.name)).toEqual([]);
    expect(new Set(children.map((c) => c.urn)).size).toBe(children.length);
  });

  test('every boundary namespace: Pod Security restricted (enforce, audit, warn) and a default-deny policy for both directions', async () => {
    const r = await registerPlan(plan);
    const namespaces = inputsOfKind(r, 'Namespace');
    expect(namespaces.map((n) => n.metadata.name).sort()).toEqual(plan.namespaces.map((n) => n.name).sort());
    for (const ns of namespaces) expect(ns.metadata.labels).toEqual(expect.objectContaining(pss));
    const denies = inputsOfKind(r, 'NetworkPolicy').filter((p) => Object.keys(p.spec.podSelector ?? {}).length === 0
      && !p.spec.ingress && !p.spec.egress && p.spec.policyTypes.includes('Ingress') && p.spec.policyTypes.includes('Egress'));
    expect(denies.map((p) => p.metadata.namespace).sort()).toEqual(plan.namespaces.map((n) => n.name).sort());
  });

  test('no Secret is registered, so no secret value reaches the Pulumi state; an ExternalSecret for every secret of the plan', async () => {
    const r = await registerPlan(plan);
    expect(kubernetesChildren(r).filter((x) => x.type === 'kubernetes:core/v1:Secret' || (x.inputs as any).data !== undefined || (x.inputs as any).stringData !== undefined)
      .filter((x) => (x.inputs as any).kind !== 'ConfigMap').map((x) => x.name)).toEqual([]);
    const externalSecrets = inputsOfKind(r, 'ExternalSecret');
    expect(externalSecrets.map((e) => `${e.metadata.namespace}/${e.spec.target.name}`).sort())
      .toEqual(plan.secrets.secrets.map((s) => `${s.namespace}/${s.name}`).sort());
    expect(kubernetesChildren(r).filter((x) => (x.inputs as any).kind === 'ExternalSecret').map((x) => x.type))
      .toEqual(externalSecrets.map(() => 'kubernetes:external-secrets.io/v1:ExternalSecret'));
  });

  test('every vLLM pod tolerates the GPU taint, selects its pool and limits GPUs', async () => {
    const r = await registerPlan(plan);
    const runtimes = inputsOfKind(r, 'Deployment').filter((d) => d.metadata.name.startsWith('vllm-'));
    expect(runtimes.map((d) => d.metadata.name).sort()).toEqual(plan.models.map((m) => `vllm-${m.name}`).sort());
    for (const d of runtimes) {
      const pod = d.spec.template.spec;
      expect(pod.tolerations).toEqual(expect.arrayContaining([expect.objectContaining({ key: GPU_TAINT.key, effect: GPU_TAINT.effect })]));
      expect(Object.keys(pod.nodeSelector ?? {})).toContain('private-ai-boundary.io/gpu-pool');
      expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBeDefined();
    }
  });

  test('every container runs non-root, read-only, without privilege escalation, all capabilities dropped', async () => {
    const r = await registerPlan(plan);
    const containers = [...inputsOfKind(r, 'Deployment'), ...inputsOfKind(r, 'Job')].flatMap((w) => {
      const pod = w.spec.template.spec;
      return [...(pod.initContainers ?? []), ...pod.containers].map((c: any) => ({ c, pod, where: `${w.metadata.name}/${c.name}` }));
    });
    expect(containers.length).toBeGreaterThan(0);
    expect(containers.filter(({ c, pod }) => !(c.securityContext?.allowPrivilegeEscalation === false && c.securityContext?.readOnlyRootFilesystem === true
      && (c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) === true && c.securityContext?.capabilities?.drop?.includes('ALL')))
      .map((x) => x.where)).toEqual([]);
  });

  test('namespaces come before what lives in them; CRD-backed and referenced objects before what uses them; policies before pods', async () => {
    const r = await registerPlan(plan);
    const byUrn = new Map(r.resources.map((x) => [x.urn, x.inputs as any]));
    const key = (i: any) => `${i.kind}/${i.metadata.namespace ?? ''}/${i.metadata.name}`;
    const deps = new Map(kubernetesChildren(r).map((x) => [key(x.inputs), x.dependsOn.map((u) => key(byUrn.get(u)))]));
    const mine = new Set(plan.namespaces.map((n) => n.name));
    const inMine = kubernetesChildren(r).map((x) => x.inputs as any).filter((i) => mine.has(i.metadata.namespace));
    expect(inMine.length).toBeGreaterThan(30);
    expect(inMine.filter((i) => !deps.get(key(i))!.includes(`Namespace//${i.metadata.namespace}`)).map(key)).toEqual([]);
    expect(inputsOfKind(r, 'Namespace').map((n) => deps.get(key(n)))).toEqual(plan.namespaces.map(() => []));
    for (const es of inputsOfKind(r, 'ExternalSecret').filter((e) => e.spec.secretStoreRef.kind === 'SecretStore')) {
      expect(deps.get(key(es))).toContain(`SecretStore/${es.metadata.namespace}/${es.spec.secretStoreRef.name}`);
    }
    for (const np of inputsOfKind(r, 'NodePool')) expect(deps.get(key(np))).toContain(`EC2NodeClass//${np.spec.template.spec.nodeClassRef.name}`);
    for (const b of inputsOfKind(r, 'ValidatingAdmissionPolicyBinding')) expect(deps.get(key(b))).toContain(`ValidatingAdmissionPolicy//${b.spec.policyName}`);
    for (const w of [...inputsOfKind(r, 'Deployment'), ...inputsOfKind(r, 'Job')]) {
      const d = deps.get(key(w))!;
      expect(d).toContain(`NetworkPolicy/${w.metadata.namespace}/default-deny`);
      expect(d).toContain(`ServiceAccount/${w.metadata.namespace}/${w.spec.template.spec.serviceAccountName}`);
      const secrets = w.spec.template.spec.containers.flatMap((c: any) => (c.env ?? []).map((e: any) => e.valueFrom?.secretKeyRef?.name)).filter(Boolean);
      for (const s of secrets) expect(d).toContain(`ExternalSecret/${w.metadata.namespace}/${s}`);
    }
  });

  test('outputs: gateway in-cluster URL, namespaces by role, service names — registered with the component', async () => {
    const r = await registerPlan(plan);
    const component = r.resources.find((x) => !x.custom)!;
    expect(component.outputs).toEqual({
      boundaryName: plan.name,
      gatewayUrl: plan.names.gatewayUrl(),
      namespaces: {
        gateway: `${plan.name}-gateway`, models: `${plan.name}-models`, data: `${plan.name}-data`,
        teams: Object.fromEntries(plan.spec.teams.map((t) => [t.name, `${plan.name}-team-${t.name}`])),
      },
      services: inputsOfKind(r, 'Service').map((s) => `${s.metadata.namespace}/${s.metadata.name}`).sort(),
    });
    expect(component.outputs!.services).toContain(`${plan.name}-gateway/gateway`);
  });
});

describe('arguments', () => {
  const acme = exampleFiles().find((f) => f.endsWith('acme-prod.yaml'))!;
  const manifest = () => parse(readFileSync(acme, 'utf8'));

  test('a manifest is validated with Boundary.fromManifest: `now` decides grant expiry', async () => {
    const m = await pulumiModule();
    const resources = await m.registerWithMocks(() => {
      new m.PrivateAiBoundary('acme-prod', { spec: manifest(), now: TEST_NOW });
    }, { project: 'test', stack: 'manifest' });
    expect(resources.filter((r) => r.custom).length).toBeGreaterThan(50);
    let error: unknown;
    await m.registerWithMocks(() => {
      try {
        new m.PrivateAiBoundary('acme-prod', { spec: manifest(), now: new Date('2027-07-01T00:00:00Z') });
      } catch (e) {
        error = e;
      }
    }, { project: 'test', stack: 'expired' });
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).message).toMatch(/spec\.access\.grants\[0\]\.expires/);
  });

  test('an invalid manifest: SpecError listing every problem, and nothing is registered', async () => {
    const m = await pulumiModule();
    const bad = manifest();
    bad.spec.network.cidr = '10.40.0.0/33';
    bad.spec.models[0].image = 'vllm/vllm-openai:v0.8.5';
    let error: unknown;
    const resources = await m.registerWithMocks(() => {
      try {
        new m.PrivateAiBoundary('acme-prod', { spec: bad, now: TEST_NOW });
      } catch (e) {
        error = e;
      }
    }, { project: 'test', stack: 'invalid' });
    expect(resources).toEqual([]);
    expect((error as SpecError).problems.map((p) => p.code)).toEqual(expect.arrayContaining(['PAB-NET-001', 'PAB-IMG-001']));
  });

  test('children are named from the component name, not the boundary name', async () => {
    const m = await pulumiModule();
    const { Boundary } = await import('../../lib/spec');
    const resources = await m.registerWithMocks(() => {
      new m.PrivateAiBoundary('prod', { spec: Boundary.fromManifest(manifest(), { now: TEST_NOW }) });
    }, { project: 'test', stack: 'renamed' });
    expect(resources.filter((r) => r.custom && !r.name.startsWith('prod-')).map((r) => r.name)).toEqual([]);
    expect(resources.map((r) => r.name)).toEqual(expect.arrayContaining(['prod', 'prod-acme-prod-gateway', 'prod-acme-prod-gateway/gateway']));
  });
});
