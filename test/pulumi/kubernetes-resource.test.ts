import type { K8sObject } from '../../lib/k8s/k8s-object';
import { examplePlans, objectsOf } from '../helpers/examples';
import { pulumiModule } from './pulumi-harness';

const meta = { name: 'x', namespace: 'acme-prod-models' };

test('every kind the examples emit has a typed class, or is CRD-backed and passes through CustomResource', async () => {
  const m = await pulumiModule();
  const kinds = new Set(examplePlans().flatMap(([, plan]) => objectsOf(plan)).map((o) => `${o.apiVersion}/${o.kind}`));
  const k8s = await import('@pulumi/kubernetes');
  for (const kind of kinds) {
    const [group] = kind.split('/');
    const cls = m.resourceClassOf({ apiVersion: kind.slice(0, kind.lastIndexOf('/')), kind: kind.slice(kind.lastIndexOf('/') + 1), metadata: meta });
    expect([kind, cls]).toEqual([kind, m.CRD_GROUPS.includes(group) ? k8s.apiextensions.CustomResource : m.KUBERNETES_CLASSES[kind]]);
  }
  expect([...kinds].filter((k) => m.CRD_GROUPS.includes(k.split('/')[0])).sort()).toEqual([
    'external-secrets.io/v1/ExternalSecret', 'external-secrets.io/v1/SecretStore', 'karpenter.k8s.aws/v1/EC2NodeClass', 'karpenter.sh/v1/NodePool',
  ]);
});

test('each typed class registers the type token of its apiVersion and kind', async () => {
  const m = await pulumiModule();
  for (const [kind, cls] of Object.entries(m.KUBERNETES_CLASSES)) {
    const at = kind.lastIndexOf('/');
    expect((cls as unknown as { __pulumiType: string }).__pulumiType).toBe(m.typeToken({ apiVersion: kind.slice(0, at), kind: kind.slice(at + 1) }));
  }
});

test('a Secret with data or stringData is refused before anything is registered; a Secret without data is not', async () => {
  const m = await pulumiModule();
  const secret = (extra: Record<string, unknown>): K8sObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: meta, ...extra });
  expect(() => m.resourceClassOf(secret({ data: { k: 'dmFsdWU=' } }))).toThrow(/Secret acme-prod-models\/x carries data — a boundary references secrets through External Secrets only/);
  expect(() => m.resourceClassOf(secret({ stringData: { k: 'v' } }))).toThrow(/carries stringData/);
  expect(() => m.assertNoSecretData(secret({ data: {}, stringData: {} }))).toThrow(/carries data and stringData/);
  expect(m.resourceClassOf(secret({ type: 'Opaque' }))).toBe(m.KUBERNETES_CLASSES['v1/Secret']);
});

test('an object without metadata.name (the provider would auto-name it) or of an unmapped kind is an internal error', async () => {
  const m = await pulumiModule();
  expect(() => m.resourceClassOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '' } })).toThrow(/without metadata\.name would be auto-named/);
  expect(() => m.resourceClassOf({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta })).toThrow(/no @pulumi\/kubernetes class for apps\/v1 DaemonSet/);
});
