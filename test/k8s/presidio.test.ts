import { App, Chart } from 'cdk8s';
import { Presidio } from '../../lib/k8s/presidio';
import type { K8sObject } from '../../lib/k8s/k8s-object';
import { selectorFor, type BoundaryPlan, type PresidioPlan } from '../../lib/plan';
import { examplePlans, ofKind } from '../helpers/examples';
import { validateK8sObjects } from '../helpers/k8s-schema';

/** Only this construct, in its own chart: the test does not depend on the rest of the boundary chart. */
function synth(plan: BoundaryPlan, presidio: PresidioPlan): K8sObject[] {
  const chart = new Chart(new App(), plan.name, { disableResourceNameHashes: true });
  new Presidio(chart, 'presidio', { plan, presidio });
  return chart.toJson() as K8sObject[];
}

const WORKLOADS = ['presidio-analyzer', 'presidio-anonymizer'] as const;
const withPresidio = examplePlans().filter(([, p]) => p.gateway.presidio !== undefined);

test('the examples exercise Presidio', () => {
  expect(withPresidio.length).toBeGreaterThan(0);
});

describe.each(withPresidio)('Presidio — %s', (_name, plan) => {
  const presidio = plan.gateway.presidio!;
  const objs = synth(plan, presidio);
  const ns = plan.gateway.namespace;
  const deployment = (name: string): any => objs.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
  const replicas = plan.spec.gateway.replicas > 1 ? 2 : 1;

  test('valid objects in the gateway namespace with the common labels; no Secret', () => {
    expect(validateK8sObjects(objs)).toEqual([]);
    expect(objs.map((o) => o.metadata.namespace)).toEqual(objs.map(() => ns));
    for (const o of objs) expect(o.metadata.labels).toEqual(expect.objectContaining(plan.commonLabels));
    expect(ofKind(objs, 'Secret')).toEqual([]);
    expect(ofKind(objs, 'Deployment').map((d) => d.metadata.name).sort()).toEqual([...WORKLOADS]);
  });

  test('images are exactly the digest-pinned ones from the spec', () => {
    const images = (name: string): string[] => deployment(name).spec.template.spec.containers.map((c: any) => c.image);
    expect(images('presidio-analyzer')).toEqual([plan.spec.gateway.presidio!.analyzerImage]);
    expect(images('presidio-anonymizer')).toEqual([plan.spec.gateway.presidio!.anonymizerImage]);
    for (const w of WORKLOADS) expect(images(w)[0]).toMatch(/@sha256:[0-9a-f]{64}$/);
  });

  test.each(WORKLOADS)('%s: port 3000, PORT env, /health probes, restricted, no token, writable /tmp', (w) => {
    const pod = deployment(w).spec.template.spec;
    const c = pod.containers[0];
    expect(c.ports).toEqual([{ name: 'http', containerPort: 3000 }]);
    expect(c.env).toEqual(expect.arrayContaining([{ name: 'PORT', value: '3000' }]));
    for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
      expect(probe.httpGet).toEqual(expect.objectContaining({ path: '/health', port: 3000 }));
    }
    for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
      expect(container.securityContext).toEqual(expect.objectContaining({
        runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
      }));
      expect(container.securityContext.runAsUser).toBeGreaterThan(0);
      expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
      expect(container.env.filter((e: any) => e.value === undefined)).toEqual([]);
    }
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([expect.objectContaining({ name: 'tmp', emptyDir: expect.anything() })]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('presidio');
  });

  test('analyzer sized for spaCy models; anonymizer small', () => {
    const res = (w: string): any => deployment(w).spec.template.spec.containers[0].resources;
    expect(res('presidio-analyzer')).toEqual({ requests: { cpu: '500m', memory: '2048Mi' }, limits: { cpu: '2', memory: '3072Mi' } });
    expect(res('presidio-anonymizer').limits.memory).toBe('512Mi');
  });

  test.each(WORKLOADS)('%s: replicas follow the gateway, stable selector, ClusterIP Service on 3000, PDB only with replicas', (w) => {
    const d = deployment(w);
    const selector = selectorFor(plan.spec, w);
    expect(d.spec.replicas).toBe(replicas);
    expect(d.spec.selector).toEqual({ matchLabels: selector });
    expect(d.spec.template.metadata.labels).toEqual(expect.objectContaining(selector));
    const svc: any = objs.find((o) => o.kind === 'Service' && o.metadata.name === w);
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 3000, targetPort: 3000 }]);
    expect(svc.spec.selector).toEqual(selector);
    const pdbs = ofKind(objs, 'PodDisruptionBudget').filter((p) => p.metadata.name === w).map((p: any) => p.spec);
    expect(pdbs).toEqual(replicas > 1 ? [{ maxUnavailable: 1, selector: { matchLabels: selector } }] : []);
  });

  test('Service names match the URLs the gateway is configured with', () => {
    const urls = ofKind(objs, 'Service').map((s) => `http://${s.metadata.name}.${ns}.svc.cluster.local:3000`).sort();
    expect(urls).toEqual([presidio.analyzerUrl, presidio.anonymizerUrl].sort());
  });

  test('ServiceAccount without token; no LoadBalancer', () => {
    const sa: any = objs.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'presidio');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(ofKind(objs, 'Service').filter((s: any) => s.spec.type !== 'ClusterIP')).toEqual([]);
  });

  test('deterministic', () => {
    expect(JSON.stringify(synth(plan, presidio))).toBe(JSON.stringify(objs));
  });
});
