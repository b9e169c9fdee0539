import { examplePlans, objectsOf, ofKind, podTemplates } from '../helpers/examples';
import { validateK8sObjects } from '../helpers/k8s-schema';

/**
 * Invariants every synthesized boundary keeps, whatever the spec: the security baseline of STYLE.md
 * ("Secure by default") checked on the objects, for every example.
 */
describe.each(examplePlans())('%s', (_name, plan) => {
  const objects = objectsOf(plan);
  const pods = podTemplates(objects);
  const containers = pods.flatMap(({ owner, pod }) =>
    [...(pod.initContainers ?? []), ...pod.containers].map((c: any) => ({ where: `${owner.kind} ${owner.metadata.namespace}/${owner.metadata.name} ${c.name}`, c, pod })));

  test('every object is valid against the Kubernetes / CRD schemas (no unknown fields, no missing required fields)', () => {
    expect(validateK8sObjects(objects)).toEqual([]);
  });

  test('no Secret object is ever synthesized (secrets come from ExternalSecrets only)', () => {
    expect(ofKind(objects, 'Secret')).toEqual([]);
  });

  test('every container meets Pod Security "restricted" and has requests and limits', () => {
    const bad = containers.filter(({ c, pod }) => {
      const sc = c.securityContext ?? {};
      const psc = pod.securityContext ?? {};
      const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
      return !(sc.allowPrivilegeEscalation === false
        && (sc.runAsNonRoot ?? psc.runAsNonRoot) === true
        && (sc.runAsUser ?? psc.runAsUser) > 0
        && sc.readOnlyRootFilesystem === true
        && sc.privileged !== true
        && (sc.capabilities?.drop ?? []).includes('ALL')
        && (sc.capabilities?.add ?? []).every((cap: string) => cap === 'NET_BIND_SERVICE')
        && (seccomp === 'RuntimeDefault' || seccomp === 'Localhost')
        && c.resources?.requests?.cpu && c.resources?.requests?.memory && c.resources?.limits?.cpu && c.resources?.limits?.memory);
    }).map((x) => x.where);
    expect(containers.length).toBeGreaterThan(0);
    expect(bad).toEqual([]);
  });

  test('no pod uses host namespaces, host paths or service-account tokens', () => {
    const bad = pods.filter(({ pod }) => pod.hostNetwork || pod.hostPID || pod.hostIPC || pod.automountServiceAccountToken !== false
      || (pod.volumes ?? []).some((v: any) => v.hostPath)).map(({ owner }) => owner.metadata.name);
    expect(bad).toEqual([]);
    expect(ofKind(objects, 'ServiceAccount').filter((sa: any) => sa.automountServiceAccountToken !== false)).toEqual([]);
  });

  test('every image is pinned by digest', () => {
    const images = containers.map(({ c }) => c.image as string);
    expect(images.filter((i) => !/@sha256:[a-f0-9]{64}$/.test(i))).toEqual([]);
  });

  test('every boundary namespace enforces Pod Security restricted and has default-deny in both directions', () => {
    const namespaces = ofKind(objects, 'Namespace');
    expect(namespaces.map((n) => n.metadata.name).sort()).toEqual(plan.namespaces.map((n) => n.name).sort());
    for (const ns of namespaces) {
      expect(ns.metadata.labels).toEqual(expect.objectContaining({
        'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted',
      }));
    }
    const denies = ofKind(objects, 'NetworkPolicy').filter((p: any) => Object.keys(p.spec.podSelector ?? {}).length === 0
      && !p.spec.ingress && !p.spec.egress && p.spec.policyTypes.includes('Ingress') && p.spec.policyTypes.includes('Egress'));
    expect(denies.map((p) => p.metadata.namespace).sort()).toEqual(plan.namespaces.map((n) => n.name).sort());
  });

  test('every namespaced object lives in a boundary namespace (but strict-mode NetworkPolicies of CoreDNS and the controllers) and carries the boundary label', () => {
    const mine = new Set(plan.namespaces.map((n) => n.name));
    const controllers = new Set(plan.controllers.map((c) => c.namespace));
    const outside = objects.filter((o) => o.metadata.namespace !== undefined && !mine.has(o.metadata.namespace));
    expect(outside.filter((o) => o.kind !== 'NetworkPolicy' || !(o.metadata.namespace === 'kube-system' || controllers.has(o.metadata.namespace!)))
      .map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([]);
    expect(outside.some((o) => o.metadata.name === `${plan.name}-coredns`)).toBe(plan.spec.aws !== undefined);
    expect(outside.length > 0).toBe(plan.spec.aws !== undefined);
    expect(objects.filter((o) => o.metadata.labels?.['private-ai-boundary.io/boundary'] !== plan.name).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
  });

  test('names are unique per kind and namespace', () => {
    const keys = objects.map((o) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(keys.length).toBe(new Set(keys).size);
  });
});

describe.each(examplePlans())('%s pod templates', (_name, plan) => {
  test('carry no construct-path hash label (a refactor must not restart workloads)', () => {
    const labels = podTemplates(objectsOf(plan)).flatMap(({ owner }) => Object.keys((owner as any).spec.template.metadata?.labels ?? {}));
    expect(labels.filter((l) => l.startsWith('cdk8s.io/'))).toEqual([]);
  });
});
