import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { GatewayReconcile } from '../../lib/k8s/gateway-reconcile';
import type { K8sObject } from '../../lib/k8s/k8s-object';
import { selectorFor, type BoundaryPlan } from '../../lib/plan';
import { examplePlans, exampleVariant, ofKind } from '../helpers/examples';
import { validateK8sObjects } from '../helpers/k8s-schema';

/** Only this construct, in its own chart: the test does not depend on the rest of the boundary chart. */
function synth(plan: BoundaryPlan): K8sObject[] {
  const chart = new Chart(new App(), plan.name, { disableResourceNameHashes: true });
  new GatewayReconcile(chart, 'gateway-reconcile', { plan });
  return chart.toJson() as K8sObject[];
}

const variant = exampleVariant;

const jobOf = (objs: K8sObject[]): any => ofKind(objs, 'Job')[0];
const SCRIPT = readFileSync(path.resolve(__dirname, '../../assets/gateway-reconcile.py'), 'utf8');

describe.each(examplePlans())('GatewayReconcile — %s', (_name, plan) => {
  const objs = synth(plan);
  const ns = plan.gateway.namespace;
  const cm: any = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'gateway-reconcile');
  const job = jobOf(objs);
  const pod = job.spec.template.spec;
  const container = pod.containers[0];
  const env = new Map<string, any>(container.env.map((e: any) => [e.name, e]));

  test('valid objects in the gateway namespace with the common labels; no Secret', () => {
    expect(validateK8sObjects(objs)).toEqual([]);
    expect(objs.map((o) => o.metadata.namespace)).toEqual(objs.map(() => ns));
    for (const o of objs) expect(o.metadata.labels).toEqual(expect.objectContaining(plan.commonLabels));
    expect(ofKind(objs, 'Secret')).toEqual([]);
  });

  test('desired state = the spec teams (models, rpm/tpm, groups), sorted-key JSON with a trailing newline', () => {
    const text: string = cm.data['desired-state.json'];
    expect(text.endsWith('}\n')).toBe(true);
    const state = JSON.parse(text);
    expect(state).toEqual({
      boundary: plan.name,
      managedBy: 'private-ai-boundary',
      teams: plan.spec.teams.map((t) => ({
        team_id: t.name, team_alias: t.name, models: [...t.models].sort(),
        rpm_limit: t.rateLimits.requestsPerMinute, tpm_limit: t.rateLimits.tokensPerMinute, metadata: { groups: [...t.groups].sort() },
      })),
    });
    expect(Object.keys(state.teams[0])).toEqual([...Object.keys(state.teams[0])].sort());
    expect(text).toBe(`${JSON.stringify(state, null, 2)}\n`);
  });

  test('the script asset is embedded verbatim and run by python3 from the mount', () => {
    expect(cm.data['reconcile.py']).toBe(SCRIPT);
    expect(container.command).toEqual(['python3', '/etc/pab/reconcile.py']);
    expect(container.args).toBeUndefined();
    expect(container.volumeMounts).toEqual(expect.arrayContaining([{ name: 'reconcile', mountPath: '/etc/pab', readOnly: true }]));
    expect(pod.volumes).toEqual(expect.arrayContaining([{ name: 'reconcile', configMap: { name: 'gateway-reconcile' } }]));
  });

  test('env the script expects; master key from the master-key secret, never literal', () => {
    expect(env.get('LITELLM_URL').value).toBe(`http://gateway.${ns}.svc.cluster.local:4000`);
    expect(env.get('DESIRED_STATE_PATH').value).toBe('/etc/pab/desired-state.json');
    const master = plan.secrets.secrets.find((s) => s.id === 'gateway/master-key')!;
    expect(env.get('LITELLM_MASTER_KEY')).toEqual({ name: 'LITELLM_MASTER_KEY', valueFrom: { secretKeyRef: { name: master.name, key: 'LITELLM_MASTER_KEY' } } });
    expect(master.readers).toContain('gateway-reconcile');
    // Every variable the script reads that the Job sets is documented in the script's header.
    for (const name of env.keys()) expect(SCRIPT.includes(name) || ['PYTHONDONTWRITEBYTECODE', 'HOME'].includes(name)).toBe(true);
    const literal = container.env.filter((e: any) => /(_KEY|PASSWORD|_TOKEN|DATABASE_URL)$/.test(e.name) && e.value !== undefined);
    expect(literal).toEqual([]);
  });

  test('exactly one Job; the script accepts the rendered desired state', () => {
    expect(ofKind(objs, 'Job')).toHaveLength(1);
    const dir = mkdtempSync(path.join(tmpdir(), 'pab-desired-'));
    try {
      const file = path.join(dir, 'desired-state.json');
      writeFileSync(file, cm.data['desired-state.json']);
      // load_desired() is the script's own validation (unknown fields, types, reserved metadata keys).
      const loader = [
        'import importlib.util, json, sys',
        'spec = importlib.util.spec_from_file_location("reconcile", sys.argv[1])',
        'mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)',
        'boundary, desired = mod.load_desired(sys.argv[2])',
        'print(json.dumps({"boundary": boundary, "teams": sorted(desired)}))',
      ].join('\n');
      const out = execFileSync('python3', ['-c', loader, path.resolve(__dirname, '../../assets/gateway-reconcile.py'), file], { encoding: 'utf8' });
      expect(JSON.parse(out)).toEqual({ boundary: plan.name, teams: plan.spec.teams.map((t) => t.name).sort() });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('Job: gateway image, bounded retries and deadline, no restarts in place, pods selectable by network policy', () => {
    expect(job.metadata.name).toMatch(/^gateway-reconcile-[0-9a-f]{10}$/);
    expect(container.image).toBe(plan.spec.gateway.image);
    expect(container.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(job.spec.backoffLimit).toBe(6);
    expect(job.spec.activeDeadlineSeconds).toBeGreaterThanOrEqual(900);
    expect(job.spec.activeDeadlineSeconds).toBeLessThanOrEqual(3600);
    expect(['Never', 'OnFailure']).toContain(pod.restartPolicy);
    expect(job.spec.selector).toBeUndefined();
    expect(job.spec.template.metadata.labels).toEqual(expect.objectContaining({ ...selectorFor(plan.spec, 'gateway-reconcile'), ...plan.commonLabels }));
  });

  test('Pod Security restricted, no token, small requests and limits', () => {
    const sa: any = objs.find((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'gateway-reconcile');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('gateway-reconcile');
    expect(pod.automountServiceAccountToken).toBe(false);
    for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
      expect(c.securityContext).toEqual(expect.objectContaining({
        runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
      }));
      expect(c.securityContext.runAsUser).toBeGreaterThan(0);
      expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
    }
    expect(container.livenessProbe).toBeUndefined();
    expect(container.startupProbe).toBeUndefined();
  });

  test('deterministic', () => {
    expect(JSON.stringify(synth(plan))).toBe(JSON.stringify(objs));
  });
});

describe('GatewayReconcile job name', () => {
  const nameOf = (plan: BoundaryPlan): string => jobOf(synth(plan)).metadata.name;

  test('stable for the same spec, and unchanged by gateway settings that are not team state', () => {
    const base = nameOf(variant('acme-prod', () => undefined));
    expect(nameOf(variant('acme-prod', () => undefined))).toBe(base);
    expect(nameOf(variant('acme-prod', (m) => { m.spec.gateway.replicas = 3; }))).toBe(base);
  });

  test.each<[string, string, (m: any) => void]>([
    ['rpm limit', 'acme-prod', (m) => { m.spec.teams[0].rateLimits.requestsPerMinute = 121; }],
    ['tpm limit', 'acme-prod', (m) => { m.spec.teams[0].rateLimits.tokensPerMinute = 200001; }],
    ['groups', 'acme-prod', (m) => { m.spec.teams[0].groups = ['acme-research', 'acme-ml']; }],
    ['added team', 'acme-prod', (m) => { m.spec.teams.push({ name: 'ops', groups: ['acme-ops'], models: ['llama-3-1-8b'] }); }],
    ['removed team', 'initech-onprem', (m) => { m.spec.teams.pop(); }],
    ['models', 'initech-onprem', (m) => { m.spec.teams[1].models = ['qwen-2-5-7b']; }],
  ])('changes when a team changes: %s', (_what, boundary, change) => {
    const base = nameOf(variant(boundary, () => undefined));
    const changed = variant(boundary, change);
    expect(nameOf(changed)).not.toBe(base);
    expect(nameOf(changed)).toMatch(/^gateway-reconcile-[0-9a-f]{10}$/);
  });
});
