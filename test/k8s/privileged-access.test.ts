import { App, Chart } from 'cdk8s';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { PrivilegedAccess } from '../../lib/k8s/privileged-access';
import { ANNOTATION, planBoundary, type BoundaryPlan } from '../../lib/plan';
import { Boundary } from '../../lib/spec';
import type { BoundaryManifest } from '../../lib/spec/types';
import { synthKubernetesObjects } from '../../charts/synth';
import type { K8sObject } from '../../lib/k8s/k8s-object';
import { examplePlans, exampleFiles, exampleVariant, objectsOf, ofKind, TEST_NOW } from '../helpers/examples';
import { validateK8sObjects } from '../helpers/k8s-schema';

interface RoleRef { apiGroup: string; kind: string; name: string }
interface Subject { apiGroup?: string; kind: string; name: string }

/** Only the privileged access construct, in a chart of its own. */
function synthPrivileged(plan: BoundaryPlan): K8sObject[] {
  const chart = new Chart(new App({ recordConstructMetadata: false }), 'test', { disableResourceNameHashes: true });
  new PrivilegedAccess(chart, 'privileged-access', { plan });
  return chart.toJson() as K8sObject[];
}

const roleRefOf = (o: K8sObject): RoleRef => (o as unknown as { roleRef: RoleRef }).roleRef;
const subjectsOf = (o: K8sObject): Subject[] => (o as unknown as { subjects: Subject[] }).subjects;
const key = (o: K8sObject): string => `${o.kind} ${o.metadata.namespace ?? '-'}/${o.metadata.name}`;

describe.each(examplePlans())('privileged access of %s', (_name, plan) => {
  const objs = synthPrivileged(plan);
  const grants = plan.access.privileged.filter((b) => b.kind === 'grant');
  const breakGlass = plan.access.privileged.filter((b) => b.kind === 'break-glass');
  const roleBindings = ofKind(objs, 'RoleBinding');
  const clusterBindings = ofKind(objs, 'ClusterRoleBinding');

  test('objects are valid against the Kubernetes schema', () => {
    expect(validateK8sObjects(objs)).toEqual([]);
  });

  test('renders exactly one RoleBinding per grant and boundary namespace, and one ClusterRoleBinding per break-glass', () => {
    expect(objs.map((o) => o.kind).filter((k) => k !== 'RoleBinding' && k !== 'ClusterRoleBinding')).toEqual([]);
    expect(roleBindings.map(key).sort()).toEqual(grants.flatMap((g) => g.namespaces.map((ns) => `RoleBinding ${ns}/${g.name}`)).sort());
    expect(clusterBindings.map(key).sort()).toEqual(breakGlass.map((b) => `ClusterRoleBinding -/${b.name}`).sort());
  });

  test('grants bind their view/edit/admin ClusterRole in every boundary namespace, for the grant group only', () => {
    const spec = plan.spec.access.grants;
    expect(grants.map((g) => g.principal)).toEqual(spec.map((g) => g.principal));
    for (const g of grants) {
      expect([...g.namespaces].sort()).toEqual(plan.namespaces.map((n) => n.name).sort());
      const level = spec.find((s) => s.principal === g.principal)!.level;
      const bound = roleBindings.filter((o) => o.metadata.name === g.name);
      expect(bound.map(roleRefOf)).toEqual(bound.map(() => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: level })));
      expect(bound.map(subjectsOf)).toEqual(bound.map(() => [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g.group }]));
    }
  });

  test('grants never bind cluster-admin and never create ClusterRoleBindings', () => {
    expect(roleBindings.filter((o) => roleRefOf(o).name === 'cluster-admin')).toEqual([]);
    expect(clusterBindings.filter((o) => !breakGlass.some((b) => b.name === o.metadata.name))).toEqual([]);
  });

  test('every grant binding carries its principal, expiry and reason', () => {
    const spec = new Map(plan.spec.access.grants.map((g) => [g.principal, g]));
    expect(roleBindings.map((o) => o.metadata.annotations)).toEqual(roleBindings.map((o) => {
      const g = grants.find((x) => x.name === o.metadata.name)!;
      const declared = spec.get(g.principal)!;
      return { [ANNOTATION.principal]: declared.principal, [ANNOTATION.expires]: declared.expires, [ANNOTATION.reason]: declared.reason };
    }));
  });

  test('break-glass exists only when declared, binds cluster-admin to its group and requires MFA', () => {
    const declared = plan.spec.access.breakGlass;
    expect(clusterBindings).toHaveLength(declared ? 1 : 0);
    expect(clusterBindings.map((o) => ({ roleRef: roleRefOf(o), subjects: subjectsOf(o), annotations: o.metadata.annotations }))).toEqual(
      (declared ? [declared] : []).map((bg) => ({
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: plan.names.breakGlassGroup() }],
        annotations: { [ANNOTATION.principal]: bg.roleArn, [ANNOTATION.requiresMfa]: 'true' },
      })));
  });

  test('every object carries the common labels', () => {
    expect(objs.filter((o) => !Object.entries(plan.commonLabels).every(([k, v]) => o.metadata.labels?.[k] === v))).toEqual([]);
  });

  test('in the whole chart, break-glass is the only cluster-admin binding and the only ClusterRoleBinding', () => {
    const all = objectsOf(plan).filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding');
    expect(all.filter((o) => roleRefOf(o).name === 'cluster-admin').map(key)).toEqual(breakGlass.map((b) => `ClusterRoleBinding -/${b.name}`));
    expect(all.filter((o) => o.kind === 'ClusterRoleBinding').map(key)).toEqual(breakGlass.map((b) => `ClusterRoleBinding -/${b.name}`));
  });
});

describe('break-glass only when declared', () => {
  test('grants without break-glass render no ClusterRoleBinding', () => {
    const file = exampleFiles().find((f) => f.endsWith('acme-prod.yaml'))!;
    const manifest = parse(readFileSync(file, 'utf8')) as BoundaryManifest;
    const withoutBreakGlass = { ...manifest, spec: { ...manifest.spec, access: { grants: manifest.spec.access!.grants } } };
    const objs = synthPrivileged(planBoundary(Boundary.fromManifest(withoutBreakGlass, { now: TEST_NOW })));
    expect(ofKind(objs, 'RoleBinding').length).toBeGreaterThan(0);
    expect(ofKind(objs, 'ClusterRoleBinding')).toEqual([]);
  });
});

describe('grants to principals with the same name in different accounts or paths', () => {
  // The reviewer's pair: same role name, different account and path. Named by role name alone, they shared one group
  // (merged privileges) and one binding name (duplicate construct: synthesis crashed).
  const ARNS = ['arn:aws:iam::111122223333:role/vendor-support', 'arn:aws:iam::999988887777:role/ext/vendor-support'];
  const plan = exampleVariant('acme-prod', (m) => {
    m.spec.access.grants = ARNS.map((principal, i) => ({ principal, level: 'view', expires: '2027-06-30', reason: `SEC-12${i} vendor onboarding` }));
  });
  const grants = plan.access.privileged.filter((b) => b.kind === 'grant');

  test('each gets its own group, derived from the full ARN', () => {
    expect(grants.map((g) => g.group)).toEqual(['pab:grant:111122223333:role:vendor-support', 'pab:grant:999988887777:role:ext/vendor-support']);
  });

  test('each gets its own binding name: grant-<name>-<8 hex of sha256(arn)>, a DNS label of at most 63 characters', () => {
    expect(grants.map((g) => g.name)).toEqual(ARNS.map((arn) => `grant-vendor-support-${createHash('sha256').update(arn).digest('hex').slice(0, 8)}`));
    expect(new Set(grants.map((g) => g.name)).size).toBe(2);
    expect(grants.filter((g) => !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(g.name))).toEqual([]);
  });

  test('the whole chart synthesizes, and each RoleBinding binds only its own principal\'s group', () => {
    const objs = synthKubernetesObjects(plan);
    const bindings = ofKind(objs, 'RoleBinding').filter((o) => o.metadata.name.startsWith('grant-'));
    expect(bindings).toHaveLength(2 * plan.namespaces.length);
    expect(sortedPairs(bindings.map((o) => [o.metadata.annotations![ANNOTATION.principal], subjectsOf(o).map((x) => x.name).join()])))
      .toEqual(sortedPairs(grants.flatMap((g) => plan.namespaces.map(() => [g.principal, g.group]))));
    expect(validateK8sObjects(bindings)).toEqual([]);
  });

  test('a principal name of the IAM maximum still gives a binding name within 63 characters', () => {
    const long = `arn:aws:iam::111122223333:role/${'Vendor_Support.'.repeat(4)}x`;
    const [g] = exampleVariant('acme-prod', (m) => { m.spec.access.grants[0].principal = long; }).access.privileged.filter((b) => b.kind === 'grant');
    expect(g.name.length).toBeLessThanOrEqual(63);
    expect(g.name).toMatch(/^grant-vendor-support-[-a-z0-9]*[a-z0-9]-[0-9a-f]{8}$/);
    expect(g.group).toBe(`pab:grant:111122223333:role:${'Vendor_Support.'.repeat(4)}x`);
  });
});

function sortedPairs(pairs: string[][]): string[] {
  return pairs.map((p) => p.join(' ')).sort();
}
