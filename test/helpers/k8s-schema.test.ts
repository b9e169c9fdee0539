import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { validateK8sObject, validateK8sObjects } from './k8s-schema';
import { KUBERNETES_MODELS_ROOT, parseDeclarationFile, resolveDeclarationRef } from './k8s-dts-schema';

type Obj = Record<string, unknown>;
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function deployment(): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'gateway',
      namespace: 'acme-prod-gateway',
      labels: { 'app.kubernetes.io/name': 'gateway', 'example.com/any key at all': 'x' },
      annotations: { 'checksum/config': 'abc', 'kubectl.kubernetes.io/default-container': 'gateway' },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'gateway' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'gateway' } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'gateway',
            image: 'ghcr.io/berriai/litellm-database:v1.0.0-stable',
            args: ['--config', '/etc/litellm/config.yaml'],
            ports: [{ name: 'http', containerPort: 4000, protocol: 'TCP' }],
            env: [{ name: 'LITELLM_MASTER_KEY', valueFrom: { secretKeyRef: { name: 'gateway-keys', key: 'master' } } }],
            resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: 2, memory: '2Gi', 'nvidia.com/gpu': '1' } },
            readinessProbe: { httpGet: { path: '/health/readiness', port: 'http' } },
            livenessProbe: { httpGet: { path: '/health/liveliness', port: 4000 } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            volumeMounts: [{ name: 'config', mountPath: '/etc/litellm', readOnly: true }],
          }],
          volumes: [{ name: 'config', configMap: { name: 'gateway-config' } }, { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } }],
        },
      },
    },
  };
}

/** Returns the object after `mutate` changed a deep copy of it. */
 
function variant<T extends Obj>(base: T, mutate: (copy: any) => void): T {
  const copy = clone(base);
  mutate(copy);
  return copy;
}

describe('built-in kinds', () => {
  it('accepts a valid Deployment', () => {
    expect(validateK8sObject(deployment())).toEqual([]);
  });

  it('reports a misspelled field deep in the pod spec with its path', () => {
    const bad = variant(deployment(), (d) => {
      d.spec.template.spec.containers[0].securityContext.runAsNonroot = true;
      d.spec.template.spec.volumes[0].configMap.itemz = [];
      d.metadata.label = { a: 'b' };
    });
    expect(validateK8sObject(bad).sort()).toEqual([
      'Deployment acme-prod-gateway/gateway: metadata.label: unknown field',
      'Deployment acme-prod-gateway/gateway: spec.template.spec.containers[0].securityContext.runAsNonroot: unknown field',
      'Deployment acme-prod-gateway/gateway: spec.template.spec.volumes[0].configMap.itemz: unknown field',
    ]);
  });

  it('reports missing required fields', () => {
    const noName = variant(deployment(), (d) => { delete d.spec.template.spec.containers[0].name; });
    expect(validateK8sObject(noName)).toEqual([
      'Deployment acme-prod-gateway/gateway: spec.template.spec.containers[0].name: missing required field',
    ]);
    const policy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'n' }, spec: { policyTypes: ['Ingress'] } };
    expect(validateK8sObject(policy)).toEqual(['NetworkPolicy n/deny: spec.podSelector: missing required field']);
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'n' }, subjects: [{ kind: 'ServiceAccount' }] };
    expect(validateK8sObject(binding).sort()).toEqual([
      'RoleBinding n/b: roleRef: missing required field',
      'RoleBinding n/b: subjects[0].name: missing required field',
    ]);
  });

  it('reports wrong types, enum values and malformed quantities', () => {
    const bad = variant(deployment(), (d) => {
      const c = d.spec.template.spec.containers[0];
      c.ports[0].containerPort = '4000';
      c.imagePullPolicy = 'Sometimes';
      c.resources.limits.memory = '2GB';
    });
    expect(validateK8sObject(bad).sort()).toEqual([
      'Deployment acme-prod-gateway/gateway: spec.template.spec.containers[0].imagePullPolicy: must be one of "Always", "IfNotPresent", "Never"',
      'Deployment acme-prod-gateway/gateway: spec.template.spec.containers[0].ports[0].containerPort: must be integer',
      'Deployment acme-prod-gateway/gateway: spec.template.spec.containers[0].resources.limits.memory: matches no allowed form (must be number | must match format "quantity")',
    ]);
  });

  it('accepts arbitrary keys in labels, annotations, ConfigMap and Secret data', () => {
    const cm = {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { 'a.b/c': 'd' }, annotations: { 'any/thing': '{"x":1}' } },
      data: { 'config.yaml': 'model_list: []', 'weird_key-1.2': '' },
    };
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', stringData: { 'api-key': 'x' }, data: { 'tls.crt': 'eA==' } };
    expect(validateK8sObjects([cm, secret])).toEqual([]);
  });

  it('accepts int-or-string ports and quantities in every accepted form', () => {
    const service = {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'gateway', namespace: 'n' },
      spec: { selector: { app: 'gateway' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { port: 4000, targetPort: 4000 }] },
    };
    const policy = {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'n' },
      spec: { podSelector: {}, ingress: [{ ports: [{ port: 'http', protocol: 'TCP' }, { port: 53, endPort: 60 }] }] },
    };
    const quota = {
      apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'n' },
      spec: { hard: { 'requests.nvidia.com/gpu': 4, 'limits.memory': '64Gi', 'requests.cpu': '1500m', pods: '1e3' } },
    };
    expect(validateK8sObjects([service, policy, quota])).toEqual([]);
  });

  it('reports unknown kinds, unknown versions and things that are not objects', () => {
    expect(validateK8sObjects([
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
      { apiVersion: 'apps/v1beta1', kind: 'Deployment', metadata: { name: 'old', namespace: 'n' } },
      { apiVersion: 'v1', kind: 'Container', metadata: { name: 'not-a-kind' } },
      { kind: 'ConfigMap', metadata: { name: 'no-version' } },
      'apiVersion: v1',
    ])).toEqual([
      'Widget w: unknown apiVersion/kind example.com/v1 Widget: no schema to validate it against',
      'Deployment n/old: apps/v1beta1 Deployment is not served by Kubernetes 1.30',
      'Container not-a-kind: unknown apiVersion/kind v1 Container: no schema to validate it against',
      'ConfigMap no-version: apiVersion and kind must be strings',
      '<not an object>: expected a Kubernetes object, got string',
    ]);
  });

  it('accepts the objects cdk8s-plus-28 synthesizes for every kind we emit, and flags a typo injected into them', () => {
    const chart = new Chart(Testing.app(), 'boundary', { namespace: 'acme-prod-gateway' });
    new kplus.Namespace(chart, 'ns', { metadata: { name: 'acme-prod-gateway', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
    const config = new kplus.ConfigMap(chart, 'config', { data: { 'config.yaml': 'model_list: []' } });
    const sa = new kplus.ServiceAccount(chart, 'sa', { automountToken: false });
    const gateway = new kplus.Deployment(chart, 'gateway', {
      serviceAccount: sa,
      containers: [{
        image: 'ghcr.io/berriai/litellm-database:v1.0.0-stable', portNumber: 4000,
        envVariables: { LOG: kplus.EnvValue.fromValue('json') },
        volumeMounts: [{ path: '/etc/litellm', volume: kplus.Volume.fromConfigMap(chart, 'config-volume', config) }],
      }],
    });
    gateway.exposeViaService({ ports: [{ port: 4000 }] });
    new kplus.Job(chart, 'reconcile', { containers: [{ image: 'curlimages/curl:8.0.0' }] });
    new kplus.NetworkPolicy(chart, 'default-deny', {
      selector: kplus.Pods.all(chart, 'all-pods'),
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });
    const role = new kplus.Role(chart, 'role');
    role.allowRead(kplus.ApiResource.CONFIG_MAPS);
    role.bind(sa);
    const clusterRole = new kplus.ClusterRole(chart, 'cluster-role');
    clusterRole.allowRead(kplus.ApiResource.NODES);
    clusterRole.bind(sa);
    new kplus.Secret(chart, 'secret', { stringData: { key: 'value' } });
    new kplus.Ingress(chart, 'ingress', { defaultBackend: kplus.IngressBackend.fromService(gateway.exposeViaService({ name: 'gw2' })) });
    const objs = Testing.synth(chart) as Obj[];
    const extra: Obj[] = [
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb', namespace: 'n' }, spec: { minAvailable: 1, selector: { matchLabels: { a: 'b' } } } },
      { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr', namespace: 'n' }, spec: { limits: [{ type: 'Container', default: { cpu: '1', memory: '1Gi' } }] } },
    ];
    const kinds = new Set([...objs, ...extra].map((o) => o.kind));
    expect([...kinds].sort()).toEqual([
      'ClusterRole', 'ClusterRoleBinding', 'ConfigMap', 'Deployment', 'Ingress', 'Job', 'LimitRange', 'Namespace',
      'NetworkPolicy', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Secret', 'Service', 'ServiceAccount',
    ]);
    expect(validateK8sObjects([...objs, ...extra])).toEqual([]);

    const dep = objs.find((o) => o.kind === 'Deployment') as Obj;
    const typo = variant(dep, (d) => { d.spec.template.spec.containers[0].resources.limit = { cpu: '1' }; });
    expect(validateK8sObject(typo)).toEqual([
      `Deployment acme-prod-gateway/${(dep.metadata as Obj).name as string}: spec.template.spec.containers[0].resources.limit: unknown field`,
    ]);
  });

  it('validates 200 objects well under a second once warm', () => {
    const objs = Array.from({ length: 200 }, (_, i) => variant(deployment(), (d) => { d.metadata.name = `gateway-${i}`; }));
    validateK8sObjects(objs.slice(0, 1));
    const start = process.hrtime.bigint();
    const problems = validateK8sObjects(objs);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(problems).toEqual([]);
    expect(ms).toBeLessThan(1000);
  });

  it('parses every kubernetes-models declaration and resolves every reference in it', () => {
    const bases: string[] = [];
    const collect = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) collect(full);
        else if (entry.name.endsWith('.d.ts') && entry.name !== 'index.d.ts') bases.push(full.slice(0, -'.d.ts'.length));
      }
    };
    collect(KUBERNETES_MODELS_ROOT);
    let resolved = 0;
    for (const base of bases) {
      for (const name of parseDeclarationFile(base).interfaces.keys()) {
        const schema = resolveDeclarationRef(`${base}#${name}`);
        for (let child of Object.values(schema.properties ?? {})) {
          while (child.items !== undefined || child.additionalProperties !== undefined) child = child.items ?? child.additionalProperties ?? child;
          if (child.$ref !== undefined) {
            resolveDeclarationRef(child.$ref);
            resolved++;
          }
        }
      }
    }
    expect(bases.length).toBeGreaterThan(800);
    expect(resolved).toBeGreaterThan(1000);
  });
});
