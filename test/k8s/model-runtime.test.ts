import { App, Chart } from 'cdk8s';
import { workloadLabels } from '../../lib/k8s/labels';
import { ModelRuntime, VLLM_API_KEY_ENV } from '../../lib/k8s/model-runtime';
import type { K8sObject } from '../../lib/k8s/k8s-object';
import {
  MODEL_TMP_SIZE, NON_ROOT_UID, selectorFor, vllmImageVersion, vllmNeedsDisableLogRequests, type BoundaryPlan, type ModelPlan,
} from '../../lib/plan';
import { exampleVariant, examplePlans, objectsOf, ofKind } from '../helpers/examples';
import { validateK8sObjects } from '../helpers/k8s-schema';

/** Only the model runtimes of a plan, in their own chart (no dependency on the other constructs). */
function render(plan: BoundaryPlan): K8sObject[] {
  const chart = new Chart(new App({ recordConstructMetadata: false }), 'test', { disableResourceNameHashes: true });
  for (const model of plan.models) new ModelRuntime(chart, `model-${model.name}`, { plan, model });
  return chart.toJson() as K8sObject[];
}

/** Whether a toleration tolerates a taint (https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/). */
function tolerates(t: any, taint: { key: string; value: string; effect: string }): boolean {
  const effect = t.effect === undefined || t.effect === '' || t.effect === taint.effect;
  const key = t.key === taint.key || ((t.key === undefined || t.key === '') && t.operator === 'Exists');
  const value = t.operator === 'Exists' || t.value === taint.value;
  return effect && key && value;
}

const SECONDS_TO_LOAD_WEIGHTS = 20 * 60;

/**
 * Request logging rule, restated: vLLM logs every request (prompt included) by default before v0.10.1
 * (vllm-project/vllm#21739), so only an image tagged with an older `vX.Y.Z` gets `--disable-log-requests`.
 */
function expectsDisableLogRequests(image: string): boolean {
  const tag = /:(v\d+\.\d+\.\d+)[^@/]*(@|$)/.exec(image.slice(image.lastIndexOf('/') + 1))?.[1];
  if (tag === undefined) return false;
  const [major, minor, patch] = tag.slice(1).split('.').map(Number);
  return major * 1e6 + minor * 1e3 + patch < 10 * 1e3 + 1;
}

describe.each(examplePlans())('ModelRuntime: %s', (_name, plan) => {
  const objects = render(plan);
  const spec = plan.spec;
  const named = (kind: string, m: ModelPlan): any => ofKind(objects, kind).find((o) => o.metadata.name === m.workload && o.metadata.namespace === m.namespace);
  const deploymentOf = (m: ModelPlan): any => named('Deployment', m);
  const podOf = (m: ModelPlan): any => deploymentOf(m).spec.template.spec;
  const vllmOf = (m: ModelPlan): any => podOf(m).containers[0];
  const specOf = (m: ModelPlan) => spec.models.find((s) => s.name === m.name)!;

  test('every object passes offline schema validation', () => {
    expect(objects.length).toBe(3 * spec.models.length);
    expect(validateK8sObjects(objects)).toEqual([]);
  });

  test('one ServiceAccount, Deployment and Service per model, in the models namespace, with common labels', () => {
    expect(plan.models.map((m) => m.name)).toEqual(spec.models.map((m) => m.name));
    for (const kind of ['ServiceAccount', 'Deployment', 'Service']) {
      expect(ofKind(objects, kind).map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort())
        .toEqual(spec.models.map((m) => `${spec.name}-models/vllm-${m.name}`).sort());
    }
    for (const o of objects) expect(o.metadata.labels).toEqual(expect.objectContaining(plan.commonLabels));
  });

  test('GPU request and limit equal the spec gpus and render as quantity strings', () => {
    const gpus = plan.models.map((m) => vllmOf(m).resources);
    expect(gpus.map((r) => [r.requests['nvidia.com/gpu'], r.limits['nvidia.com/gpu']]))
      .toEqual(plan.models.map((m) => [String(specOf(m).gpus), String(specOf(m).gpus)]));
    for (const r of gpus) {
      for (const side of [r.requests, r.limits]) {
        expect(Object.keys(side).sort()).toEqual(['cpu', 'memory', 'nvidia.com/gpu']);
        for (const q of Object.values(side)) expect(q).toMatch(/^\d+(Gi|Mi)?$/);
      }
    }
  });

  test('tolerates the taints and selects the labels of its own pool', () => {
    for (const m of plan.models) {
      const pool = plan.pools.find((p) => p.name === specOf(m).nodePool)!;
      const pod = podOf(m);
      expect(pool.taints.length).toBeGreaterThan(0);
      for (const taint of pool.taints) expect(pod.tolerations.some((t: any) => tolerates(t, taint))).toBe(true);
      expect(Object.keys(pod.nodeSelector).length).toBeGreaterThan(0);
      expect(pool.labels).toEqual(expect.objectContaining(pod.nodeSelector));
      // The selector names exactly one pool: no other pool's nodes carry it.
      expect(plan.pools.filter((p) => Object.entries(pod.nodeSelector).every(([k, v]) => p.labels[k] === v)).map((p) => p.name)).toEqual([pool.name]);
      // Only the GPU taint is tolerated, and not with NoExecute/any effect.
      expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    }
  });

  test('image is the spec image, pinned by digest', () => {
    expect(plan.models.map((m) => vllmOf(m).image)).toEqual(plan.models.map((m) => specOf(m).image));
    for (const m of plan.models) expect(vllmOf(m).image).toMatch(/^[^@\s]+@sha256:[0-9a-f]{64}$/);
  });

  test('the API key reaches vLLM only as VLLM_API_KEY from the runtime Secret, never in argv', () => {
    for (const m of plan.models) {
      const c = vllmOf(m);
      expect(c.command).toEqual(['vllm']);
      // vllm serve reads VLLM_API_KEY itself; a key (or its expansion) in argv shows in `ps` and logged command lines.
      expect(c.args.filter((a: string) => a.startsWith('--api-key') || a.includes(VLLM_API_KEY_ENV))).toEqual([]);
      const env = c.env.filter((e: any) => e.name === VLLM_API_KEY_ENV);
      expect(env).toEqual([{ name: VLLM_API_KEY_ENV, valueFrom: { secretKeyRef: { name: `vllm-${m.name}-api-key`, key: VLLM_API_KEY_ENV } } }]);
      // The Secret is one the boundary syncs from its store, in the runtime's namespace, with that key.
      expect(plan.secrets.secrets.filter((s) => s.namespace === m.namespace && s.name === m.apiKeySecret && s.keys.some((k) => k.secretKey === VLLM_API_KEY_ENV)))
        .toHaveLength(1);
    }
  });

  test('--served-model-name is the model name and --port the Service port', () => {
    for (const m of plan.models) {
      const args: string[] = vllmOf(m).args;
      expect(args[args.indexOf('--served-model-name') + 1]).toBe(specOf(m).name);
      expect(args[args.indexOf('--port') + 1]).toBe('8000');
      expect(vllmOf(m).ports).toEqual([{ containerPort: 8000, name: 'http', protocol: 'TCP' }]);
    }
  });

  test('S3 weights stream with runai_streamer; PVC weights mount read-only', () => {
    const view = plan.models.map((m) => {
      const c = vllmOf(m);
      const claims = podOf(m).volumes.filter((v: any) => v.persistentVolumeClaim);
      return {
        source: c.args[1],
        loadFormat: c.args.includes('--load-format') ? c.args[c.args.indexOf('--load-format') + 1] : undefined,
        claims,
        mounts: c.volumeMounts.filter((vm: any) => claims.some((v: any) => v.name === vm.name)),
      };
    });
    const expected = plan.models.map((m) => {
      const weights = specOf(m).weights;
      const claim = weights.startsWith('pvc:') ? weights.slice(4) : undefined;
      return claim === undefined
        ? { source: weights, loadFormat: 'runai_streamer', claims: [], mounts: [] }
        : { source: `/models/${m.name}`, loadFormat: undefined,
          claims: [{ name: 'weights', persistentVolumeClaim: { claimName: claim, readOnly: true } }],
          mounts: [{ name: 'weights', mountPath: `/models/${m.name}`, readOnly: true }] };
    });
    expect(view).toEqual(expected);
  });

  test('the runtime never reaches out to Hugging Face or usage stats', () => {
    for (const m of plan.models) {
      const env = Object.fromEntries(vllmOf(m).env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
      expect(env).toEqual(expect.objectContaining({ HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', VLLM_NO_USAGE_STATS: '1' }));
    }
  });

  test('USER is set in the plan (the uid has no passwd entry; torch getpass would fail)', () => {
    for (const m of plan.models) {
      expect(m.env.USER).toBe('vllm');
      expect(vllmOf(m).env).toEqual(expect.arrayContaining([{ name: 'USER', value: 'vllm' }]));
    }
  });

  test('--disable-log-requests exactly for images tagged older than v0.10.1 (newer vLLM logs no request by default)', () => {
    expect(plan.models.map((m) => vllmOf(m).args.filter((a: string) => a === '--disable-log-requests').length))
      .toEqual(plan.models.map((m) => (expectsDisableLogRequests(specOf(m).image) ? 1 : 0)));
    for (const m of plan.models) expect(vllmOf(m).args).not.toContain('--enable-log-requests');
  });

  test('explicit HTTP probes on /health; the startup probe outlasts weight loading', () => {
    for (const m of plan.models) {
      const c = vllmOf(m);
      for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) {
        expect(probe.httpGet).toEqual({ path: '/health', port: 8000, scheme: 'HTTP' });
        expect(probe.tcpSocket).toBeUndefined();
      }
      expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThanOrEqual(SECONDS_TO_LOAD_WEIGHTS);
      expect(deploymentOf(m).spec.progressDeadlineSeconds).toBeGreaterThan(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold);
    }
  });

  test('Pod Security restricted, no service-account token, writable /tmp and memory /dev/shm only', () => {
    for (const m of plan.models) {
      const pod = podOf(m);
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.serviceAccountName).toBe(m.workload);
      expect(pod.hostNetwork ?? false).toBe(false);
      expect(pod.securityContext).toEqual(expect.objectContaining({ runAsNonRoot: true }));
      expect(pod.securityContext.runAsUser).toBe(NON_ROOT_UID);
      expect(NON_ROOT_UID).toBeGreaterThan(0);
      expect(pod.initContainers ?? []).toEqual([]);
      for (const c of pod.containers) {
        expect(c.securityContext).toEqual(expect.objectContaining({
          runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
        }));
        expect(c.securityContext.runAsUser).toBeGreaterThan(0);
      }
      const volumes = Object.fromEntries(pod.volumes.map((v: any) => [v.name, v]));
      expect(Object.values(volumes).flatMap((v: any) => Object.keys(v).filter((k) => k !== 'name')).filter((k) => !['emptyDir', 'persistentVolumeClaim'].includes(k))).toEqual([]);
      const mounts = Object.fromEntries(vllmOf(m).volumeMounts.map((vm: any) => [vm.mountPath, vm.name]));
      expect(volumes[mounts['/dev/shm']].emptyDir).toEqual({ medium: 'Memory', sizeLimit: `${2 * specOf(m).gpus}Gi` });
      // /tmp holds every cache: bounded, with the limit spelled by the plan.
      expect(m.tmpSize).toBe(MODEL_TMP_SIZE);
      expect(volumes[mounts['/tmp']].emptyDir).toEqual({ sizeLimit: '10Gi' });
    }
    for (const sa of ofKind(objects, 'ServiceAccount')) expect((sa as any).automountServiceAccountToken).toBe(false);
  });

  test('a rollout never surges: no extra pod waits for a GPU', () => {
    for (const m of plan.models) {
      const d = deploymentOf(m);
      expect(d.spec.replicas).toBe(specOf(m).replicas);
      expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
    }
  });

  test('the ClusterIP Service on 8000 selects exactly the runtime pods', () => {
    for (const m of plan.models) {
      const svc = named('Service', m);
      const d = deploymentOf(m);
      expect(svc.spec.type).toBe('ClusterIP');
      expect(svc.spec.ports).toEqual([{ name: 'http', port: 8000, protocol: 'TCP', targetPort: 8000 }]);
      expect(svc.spec.selector).toEqual(d.spec.selector.matchLabels);
      expect(d.spec.template.metadata.labels).toEqual(expect.objectContaining(d.spec.selector.matchLabels));
      // Selector and pod labels come from the plan only (no construct-path hash that a refactor would change).
      expect(d.spec.template.metadata.labels).toEqual(workloadLabels(plan, m.workload, 'model-runtime'));
      expect(d.spec.selector.matchLabels).toEqual(selectorFor(spec, m.workload));
    }
  });

  test('the boundary chart renders exactly these runtime objects', () => {
    const key = (o: K8sObject) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
    const byKey = (list: K8sObject[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
    const inChart = objectsOf(plan).filter((o) => objects.some((mine) => key(mine) === key(o)));
    expect(byKey(inChart)).toEqual(byKey(objects));
  });
});

describe('vLLM image version → request-logging flag', () => {
  const digest = '@sha256:3cf83b274876d8469070b145eb2b86f8d43f6da1181c3eb1368d440ca8738e79';

  test.each([
    ['vllm/vllm-openai:v0.8.5' + digest, [0, 8, 5], true],
    ['vllm/vllm-openai:v0.9.2', [0, 9, 2], true],
    ['vllm/vllm-openai:v0.6.4.post1' + digest, [0, 6, 4], true],
    ['vllm/vllm-openai:v0.10.0' + digest, [0, 10, 0], true],
    ['vllm/vllm-openai:v0.10.1' + digest, [0, 10, 1], false],
    ['vllm/vllm-openai:v0.10.1rc1', [0, 10, 1], false],
    ['vllm/vllm-openai:v0.11.0', [0, 11, 0], false],
    ['vllm/vllm-openai:v1.0.0' + digest, [1, 0, 0], false],
    ['registry.internal:5000/mirror/vllm-openai:v0.9.0' + digest, [0, 9, 0], true],
    ['registry.internal:5000/mirror/vllm-openai' + digest, undefined, false],
    ['vllm/vllm-openai' + digest, undefined, false],
    ['vllm/vllm-openai:latest' + digest, undefined, false],
    ['vllm/vllm-openai:nightly-0.8.5', undefined, false],
    ['vllm/vllm-openai:0.8.5', undefined, false],
  ])('%s → %j, flag %s', (image, version, flag) => {
    expect(vllmImageVersion(image)).toEqual(version);
    expect(vllmNeedsDisableLogRequests(image)).toBe(flag);
    expect(expectsDisableLogRequests(image)).toBe(flag);
  });

  test('the plan derives the flag from the model image', () => {
    const argsWith = (tag: string): readonly string[] => exampleVariant('acme-prod', (m) => {
      m.spec.models[0].image = `vllm/vllm-openai:${tag}${digest}`;
    }).models[0].args;
    expect(argsWith('v0.10.0')).toContain('--disable-log-requests');
    expect(argsWith('v0.10.1')).not.toContain('--disable-log-requests');
    expect(argsWith('latest')).not.toContain('--disable-log-requests');
  });
});
