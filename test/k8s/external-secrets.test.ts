import { readFileSync } from 'fs';
import { App, Chart } from 'cdk8s';
import { parse } from 'yaml';
import { BoundarySecrets, ESO_API_VERSION, IRSA_ROLE_ANNOTATION } from '../../lib/k8s/external-secrets';
import type { K8sObject } from '../../lib/k8s/k8s-object';
import { ANNOTATION, DATABASE_URL_TEMPLATE, planBoundary, remoteSecretsOf, type BoundaryPlan } from '../../lib/plan';
import { Boundary } from '../../lib/spec';
import { exampleFiles, examplePlans, objectsOf, ofKind, podTemplates, TEST_NOW } from '../helpers/examples';
import { validateK8sObjects } from '../helpers/k8s-schema';

/** Only the secrets of a plan, in their own chart (no dependency on the other constructs). */
function render(plan: BoundaryPlan): K8sObject[] {
  const chart = new Chart(new App({ recordConstructMetadata: false }), 'test', { disableResourceNameHashes: true });
  new BoundarySecrets(chart, 'secrets', { plan });
  return chart.toJson() as K8sObject[];
}

/** An example spec with its secrets section replaced (for the store kinds no example uses). */
function variant(example: string, secrets: Record<string, unknown>): BoundaryPlan {
  const file = exampleFiles().find((f) => f.endsWith(`${example}.yaml`))!;
  const manifest = parse(readFileSync(file, 'utf8'));
  manifest.spec.secrets = secrets;
  return planBoundary(Boundary.fromManifest(manifest, { now: TEST_NOW }));
}

/** Every Secret a pod template reads: env secretKeyRef, envFrom secretRef, secret volumes. */
function secretReads(objects: readonly K8sObject[]): { owner: string; namespace: string; name: string; key?: string }[] {
  return podTemplates(objects).flatMap(({ owner, pod }) => {
    const namespace = owner.metadata.namespace!;
    const who = `${owner.kind} ${namespace}/${owner.metadata.name}`;
    const containers = [...(pod.initContainers ?? []), ...pod.containers];
    return [
      ...containers.flatMap((c: any) => (c.env ?? []).filter((e: any) => e.valueFrom?.secretKeyRef)
        .map((e: any) => ({ owner: who, namespace, name: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key }))),
      ...containers.flatMap((c: any) => (c.envFrom ?? []).filter((e: any) => e.secretRef)
        .map((e: any) => ({ owner: who, namespace, name: e.secretRef.name }))),
      ...(pod.volumes ?? []).filter((v: any) => v.secret).map((v: any) => ({ owner: who, namespace, name: v.secret.secretName })),
    ];
  });
}

/** Keys of the Secret an ExternalSecret writes: the rendered ones when it has template data, else the fetched ones. */
function producedKeys(es: any): string[] {
  const rendered = es.spec.target?.template?.data;
  return rendered ? Object.keys(rendered) : es.spec.data.map((d: any) => d.secretKey);
}

/**
 * Renders a template the way ESO's engine v2 (Go text/template) does for the two forms DATABASE_URL uses:
 * `{{ .name }}` and `{{ .name | urlquery }}` (Go's url.QueryEscape: unreserved characters kept, space as `+`).
 */
function renderGoTemplate(template: string, vars: Record<string, string>): string {
  const queryEscape = (v: string) => encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
  const out = template.replace(/\{\{ \.(\w+)( \| urlquery)? \}\}/g, (_m, name: string, escape?: string) => {
    if (!(name in vars)) throw new Error(`template reads ${name}, which is not fetched`);
    return escape ? queryEscape(vars[name]) : vars[name];
  });
  expect(out).not.toContain('{{');
  return out;
}

/** Every object anywhere that carries secret material: a Secret, or data/stringData fields. */
function secretObjects(objects: readonly K8sObject[]): string[] {
  return objects.filter((o) => o.kind === 'Secret' || 'stringData' in o || ('data' in o && o.kind !== 'ConfigMap'))
    .map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);
}

describe.each(examplePlans())('BoundarySecrets: %s', (_name, plan) => {
  const objects = render(plan);
  const externalSecrets: any[] = ofKind(objects, 'ExternalSecret');
  const stores: any[] = ofKind(objects, 'SecretStore');

  test('every object passes offline schema validation', () => {
    expect(objects.length).toBeGreaterThan(0);
    expect(validateK8sObjects(objects)).toEqual([]);
  });

  test('no Secret object, nor any secret data, anywhere in the synthesized boundary', () => {
    expect(secretObjects(objects)).toEqual([]);
    expect(secretObjects(objectsOf(plan))).toEqual([]);
  });

  test('one ExternalSecret per planned secret, synced from the store key by key', () => {
    expect(externalSecrets.map((es) => `${es.metadata.namespace}/${es.metadata.name}`))
      .toEqual(plan.secrets.secrets.map((s) => `${s.namespace}/${s.name}`));
    for (const s of plan.secrets.secrets) {
      const es = externalSecrets.find((o) => o.metadata.namespace === s.namespace && o.metadata.name === s.name);
      expect(es.apiVersion).toBe(ESO_API_VERSION);
      expect(es.spec.refreshInterval).toBe(plan.secrets.refreshInterval);
      const rendered = s.template ? { engineVersion: 'v2', mergePolicy: 'Replace', data: s.template.data } : {};
      expect(es.spec.target).toEqual({
        name: s.name, creationPolicy: 'Owner', deletionPolicy: 'Retain',
        template: { type: 'Opaque', metadata: { labels: plan.commonLabels, annotations: es.metadata.annotations }, ...rendered },
      });
      const fetched = s.template ? s.template.inputs.map((i) => ({ secretKey: i.property, property: i.property, remoteKey: i.remoteKey })) : s.keys;
      expect(es.spec.data).toEqual(fetched.map((k) => ({ secretKey: k.secretKey, remoteRef: { key: k.remoteKey ?? s.remoteKey, property: k.property } })));
      expect(es.spec.dataFrom).toBeUndefined();
      expect(es.metadata.annotations).toEqual({ [ANNOTATION.purpose]: s.purpose, [ANNOTATION.owner]: s.owner });
      expect(es.metadata.labels).toEqual(expect.objectContaining(plan.commonLabels));
    }
  });

  test('every remote key lies under the boundary key prefix', () => {
    const prefix = `${plan.spec.secrets.keyPrefix}/`;
    expect(externalSecrets.flatMap((es) => es.spec.data.map((d: any) => d.remoteRef.key)).filter((k: string) => !k.startsWith(prefix))).toEqual([]);
  });

  test('every ExternalSecret references a store that exists, of the planned kind', () => {
    expect(plan.secrets.storeKind).toBe(plan.spec.secrets.store === 'existing-cluster-store' ? 'ClusterSecretStore' : 'SecretStore');
    for (const es of externalSecrets) {
      expect(es.spec.secretStoreRef).toEqual({ kind: plan.secrets.storeKind, name: plan.secrets.storeName });
    }
    const ours = (es: any) => stores.some((st) => st.metadata.namespace === es.metadata.namespace && st.metadata.name === es.spec.secretStoreRef.name);
    expect(externalSecrets.filter((es) => es.spec.secretStoreRef.kind === 'SecretStore' && !ours(es)).map((es) => es.metadata.name)).toEqual([]);
    expect(ofKind(objects, 'ClusterSecretStore')).toEqual([]);
  });

  test('one SecretStore per namespace that holds secrets, with the provider of the spec', () => {
    const providers: Record<string, string> = { 'aws-secrets-manager': 'aws', vault: 'vault' };
    expect(stores.map((st) => st.metadata.namespace)).toEqual([...new Set(plan.secrets.secrets.map((s) => s.namespace))].sort());
    expect(stores.map((st) => [st.metadata.name, Object.keys(st.spec.provider)]))
      .toEqual(stores.map(() => [plan.secrets.storeName, [providers[plan.spec.secrets.store]]]));
  });

  test('an AWS store reads Secrets Manager in the boundary region as its own ServiceAccount (web identity), never the controller with a role', () => {
    const aws = plan.spec.aws;
    expect(stores.filter((st) => st.spec.provider.aws).map((st) => st.spec.provider.aws))
      .toEqual(stores.filter(() => plan.spec.secrets.store === 'aws-secrets-manager')
        .map(() => ({ service: 'SecretsManager', region: aws?.region, auth: { jwt: { serviceAccountRef: { name: 'secrets-reader' } } } })));
    // `role` would make ESO assume it with whatever identity it holds: any namespace's store could name it.
    expect(stores.filter((st) => st.spec.provider.aws?.role !== undefined)).toEqual([]);
  });

  test('each store authenticates as a token-less ServiceAccount of its own namespace, one of the planned reader subjects', () => {
    const accounts: any[] = ofKind(objects, 'ServiceAccount');
    const refOf = (st: any): string | undefined => (st.spec.provider.aws?.auth?.jwt ?? st.spec.provider.vault?.auth?.kubernetes)?.serviceAccountRef?.name;
    const subject = (ns: string, name: string) => `system:serviceaccount:${ns}:${name}`;
    expect(stores.map((st) => subject(st.metadata.namespace, refOf(st) ?? '(none)'))).toEqual(plan.secrets.readerSubjects);
    expect(accounts.map((sa) => subject(sa.metadata.namespace, sa.metadata.name))).toEqual(plan.secrets.readerSubjects);
    expect(plan.secrets.readerSubjects).toEqual(plan.secrets.storeNamespaces.map((ns) => subject(ns, 'secrets-reader')));
    expect(accounts.filter((sa) => sa.automountServiceAccountToken !== false)).toEqual([]);
    // On AWS the ServiceAccount names the role its token is exchanged for; the role trusts exactly readerSubjects.
    const role = plan.spec.secrets.store === 'aws-secrets-manager' ? `arn:aws:iam::${plan.spec.aws?.account}:role/${plan.name}-external-secrets` : undefined;
    expect(plan.secrets.readerRoleArn).toBe(role);
    expect(accounts.map((sa) => sa.metadata.annotations)).toEqual(accounts.map(() => (role ? { [IRSA_ROLE_ANNOTATION]: role } : undefined)));
    expect(plan.secrets.readerTokenAudience).toBe(role ? 'sts.amazonaws.com' : undefined);
  });

  test('every Secret a workload reads is one an ExternalSecret creates, in its namespace, with that key', () => {
    const reads = secretReads(objectsOf(plan));
    expect(reads.length).toBeGreaterThan(0);
    const unresolved = reads.filter((r) => !externalSecrets.some((es) => es.metadata.namespace === r.namespace && es.spec.target.name === r.name
      && (r.key === undefined || producedKeys(es).includes(r.key))));
    expect(unresolved).toEqual([]);
  });

  test('the gateway reads DATABASE_URL rendered from the RDS credentials secret, never a stored URL', () => {
    const db = externalSecrets.find((es) => es.metadata.name === 'gateway-database');
    const credentials = `${plan.spec.secrets.keyPrefix}/gateway/database-credentials`;
    expect(db.spec.data).toEqual(['username', 'password', 'host', 'port', 'dbname'].map((p) => ({ secretKey: p, remoteRef: { key: credentials, property: p } })));
    expect(db.spec.target.template).toEqual(expect.objectContaining({ engineVersion: 'v2', mergePolicy: 'Replace', data: { DATABASE_URL: DATABASE_URL_TEMPLATE.data.DATABASE_URL } }));
    expect(producedKeys(db)).toEqual(['DATABASE_URL']);
  });

  test('Redis: the AUTH token from its own secret, host and port from the endpoint secret the cache publishes', () => {
    const redis = externalSecrets.filter((es) => es.metadata.name === 'gateway-redis');
    const p = plan.spec.secrets.keyPrefix;
    expect(redis.map((es) => es.spec.data)).toEqual(plan.spec.gateway.replicas > 1 ? [[
      { secretKey: 'REDIS_HOST', remoteRef: { key: `${p}/gateway/redis-endpoint`, property: 'host' } },
      { secretKey: 'REDIS_PORT', remoteRef: { key: `${p}/gateway/redis-endpoint`, property: 'port' } },
      { secretKey: 'REDIS_PASSWORD', remoteRef: { key: `${p}/gateway/redis`, property: 'password' } },
    ]] : []);
  });

  test('remoteSecretsOf lists every remote secret an ExternalSecret reads, once, with every property it reads', () => {
    const reads = externalSecrets.flatMap((es) => es.spec.data.map((d: any) => `${d.remoteRef.key}#${d.remoteRef.property}`));
    const listed = remoteSecretsOf(plan.secrets);
    expect(listed.flatMap((r) => r.properties.map((p) => `${r.remoteKey}#${p}`)).sort()).toEqual([...new Set(reads)].sort());
    expect(listed.map((r) => r.remoteKey)).toEqual([...new Set(listed.map((r) => r.remoteKey))].sort());
  });

  test('the boundary chart renders exactly these secret objects', () => {
    const key = (o: K8sObject) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
    const byKey = (list: K8sObject[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
    const inChart = objectsOf(plan).filter((o) => objects.some((mine) => key(mine) === key(o)));
    expect(byKey(inChart)).toEqual(byKey(objects));
  });
});

describe('BoundarySecrets: Vault (initech-onprem)', () => {
  const plan = examplePlans().find(([name]) => name === 'initech-onprem')![1];
  const objects = render(plan);

  test('each SecretStore logs in to the https Vault with Kubernetes auth as a token-less ServiceAccount', () => {
    const stores: any[] = ofKind(objects, 'SecretStore');
    expect(stores.length).toBeGreaterThan(0);
    for (const st of stores) {
      const vault = st.spec.provider.vault;
      expect(vault.server).toMatch(/^https:\/\//);
      expect(vault).toEqual({
        server: 'https://vault.initech.example', path: 'secret', version: 'v2',
        auth: { kubernetes: { mountPath: 'kubernetes', role: 'private-ai-boundary', serviceAccountRef: { name: 'secrets-reader' } } },
      });
      const sa: any[] = ofKind(objects, 'ServiceAccount').filter((o) => o.metadata.namespace === st.metadata.namespace);
      expect(sa.map((o) => [o.metadata.name, o.automountServiceAccountToken, o.metadata.annotations])).toEqual([['secrets-reader', false, undefined]]);
    }
  });
});

describe('BoundarySecrets: existing ClusterSecretStore', () => {
  const plan = variant('initech-onprem', { store: 'existing-cluster-store', existingStoreName: 'corp-vault' });
  const objects = render(plan);

  test('creates no store and no ServiceAccount, and references the ClusterSecretStore by name', () => {
    expect(objects.filter((o) => o.kind !== 'ExternalSecret')).toEqual([]);
    expect([plan.secrets.readerServiceAccount, plan.secrets.readerSubjects]).toEqual([undefined, []]);
    expect(objects.map((o: any) => o.spec.secretStoreRef)).toEqual(plan.secrets.secrets.map(() => ({ kind: 'ClusterSecretStore', name: 'corp-vault' })));
    expect(validateK8sObjects(objects)).toEqual([]);
  });
});

describe('DATABASE_URL template', () => {
  test('renders a URL whose user, password, host, port and database parse back exactly, even with reserved characters', () => {
    const vars = { username: 'litellm', password: 'p@ss:w/rd?#%&=+x', host: 'db.abc123.eu-central-1.rds.amazonaws.com', port: '5432', dbname: 'litellm' };
    expect(DATABASE_URL_TEMPLATE.inputs.map((i) => i.property).sort()).toEqual(Object.keys(vars).sort());
    const url = new URL(renderGoTemplate(DATABASE_URL_TEMPLATE.data.DATABASE_URL, vars));
    expect([url.protocol, decodeURIComponent(url.username), decodeURIComponent(url.password), url.hostname, url.port, url.pathname])
      .toEqual(['postgresql:', 'litellm', vars.password, vars.host, '5432', '/litellm']);
    expect(url.searchParams.get('sslmode')).toBe('require');
  });
});
