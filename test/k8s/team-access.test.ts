import { App, Chart } from 'cdk8s';
import type { K8sObject } from '../../lib/k8s/k8s-object';
import { TEAM_MEMBER_ROLE, TEAM_QUOTA, TeamAccess } from '../../lib/k8s/team-access';
import type { BoundaryPlan } from '../../lib/plan';
import { examplePlans, objectsOf, ofKind } from '../helpers/examples';
import { validateK8sObjects } from '../helpers/k8s-schema';

interface PolicyRule { apiGroups?: string[]; resources?: string[]; verbs: string[]; resourceNames?: string[]; nonResourceURLs?: string[] }
interface Subject { apiGroup?: string; kind: string; name: string; namespace?: string }

/** Only the team access construct, in a chart of its own. */
function synthTeams(plan: BoundaryPlan): K8sObject[] {
  const chart = new Chart(new App({ recordConstructMetadata: false }), 'test', { disableResourceNameHashes: true });
  new TeamAccess(chart, 'teams', { plan });
  return chart.toJson() as K8sObject[];
}

const rulesOf = (o: K8sObject): PolicyRule[] => (o as unknown as { rules: PolicyRule[] }).rules;
const subjectsOf = (o: K8sObject): Subject[] => (o as unknown as { subjects: Subject[] }).subjects;
const hardOf = (o: K8sObject): Record<string, string> => (o as unknown as { spec: { hard: Record<string, string> } }).spec.hard;

/** Resources a team member must never reach: credentials, and shells/tunnels that bypass the gateway and the policies. */
const FORBIDDEN_RESOURCES = ['secrets', 'pods/exec', 'pods/attach', 'pods/portforward', 'pods/proxy', 'services/proxy', 'nodes/proxy',
  'roles', 'rolebindings', 'clusterroles', 'clusterrolebindings', 'resourcequotas', 'limitranges', 'networkpolicies', 'namespaces', 'serviceaccounts/token'];
/** Verbs that escalate through RBAC or identity. */
const FORBIDDEN_VERBS = ['escalate', 'bind', 'impersonate'];

/** Every (apiGroup, resource, verb) a rule grants, as `group/resource:verb`. */
const grants = (rules: readonly PolicyRule[]): string[] =>
  rules.flatMap((r) => (r.apiGroups ?? []).flatMap((g) => (r.resources ?? []).flatMap((res) => r.verbs.map((v) => `${g || 'core'}/${res}:${v}`))));

describe.each(examplePlans())('team access of %s', (_name, plan) => {
  const objs = synthTeams(plan);
  const roles = ofKind(objs, 'Role');
  const bindings = ofKind(objs, 'RoleBinding');
  const quotas = ofKind(objs, 'ResourceQuota');
  const teams = plan.access.teams;

  test('objects are valid against the Kubernetes schema', () => {
    expect(validateK8sObjects(objs)).toEqual([]);
  });

  test('one Role, RoleBinding and ResourceQuota per team, in the team namespace only', () => {
    expect(teams.length).toBeGreaterThan(0);
    const expected = (name: string) => teams.map((t) => `${t.namespace}/${name}`).sort();
    expect(roles.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual(expected(TEAM_MEMBER_ROLE));
    expect(bindings.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual(expected(TEAM_MEMBER_ROLE));
    expect(quotas.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual(expected(TEAM_QUOTA));
    expect(objs.filter((o) => o.kind.startsWith('Cluster'))).toEqual([]);
    expect(objs.filter((o) => !Object.entries(plan.commonLabels).every(([k, v]) => o.metadata.labels?.[k] === v))).toEqual([]);
  });

  test('no Role grants secrets, exec, attach, port-forward, RBAC or any wildcard', () => {
    const all = roles.flatMap(rulesOf);
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((r) => [...(r.apiGroups ?? []), ...(r.resources ?? []), ...r.verbs].includes('*'))).toEqual([]);
    expect(all.filter((r) => (r.resources ?? []).some((res) => FORBIDDEN_RESOURCES.includes(res)))).toEqual([]);
    expect(all.filter((r) => r.verbs.some((v) => FORBIDDEN_VERBS.includes(v)))).toEqual([]);
    expect(all.filter((r) => r.nonResourceURLs !== undefined || (r.apiGroups ?? []).length === 0 || (r.resources ?? []).length === 0)).toEqual([]);
  });

  test('the Role is exactly the least-privilege set: workloads read/write, logs and events read-only', () => {
    for (const role of roles) {
      const g = grants(rulesOf(role));
      expect(g).toEqual(expect.arrayContaining(['core/pods:create', 'core/pods/log:get', 'apps/deployments:update', 'batch/jobs:create', 'core/events:list']));
      expect(g.filter((x) => /^core\/(events|pods\/log):/.test(x) && !/:(get|list|watch)$/.test(x))).toEqual([]);
      expect(g.filter((x) => /^apps\/replicasets:/.test(x) && !/:(get|list|watch)$/.test(x))).toEqual([]);
      expect(sorted(g.map((x) => x.split(':')[0]))).toEqual(sorted([
        'core/pods', 'core/pods/log', 'core/services', 'core/configmaps', 'core/persistentvolumeclaims', 'core/events',
        'apps/deployments', 'apps/statefulsets', 'apps/replicasets', 'batch/jobs', 'batch/cronjobs',
      ]));
    }
  });

  test('the RoleBinding binds the Role to every IdP group of the team, with the OIDC prefix', () => {
    // The prefix the API server's OIDC authenticator puts on group claims (the spec declares no prefix without OIDC).
    const prefix = plan.spec.kubernetes.oidc?.groupsPrefix ?? '';
    for (const team of teams) {
      const b = bindings.find((o) => o.metadata.namespace === team.namespace)!;
      expect((b as unknown as { roleRef: unknown }).roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: TEAM_MEMBER_ROLE });
      expect(subjectsOf(b)).toEqual(team.groups.map((g) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `${prefix}${g}` }))
        .sort((x, y) => x.name.localeCompare(y.name)));
      expect(subjectsOf(b).filter((s) => !s.name.startsWith(prefix) || s.name.startsWith('system:'))).toEqual([]);
    }
  });

  test('the quota caps GPUs at the spec gpuQuota and forbids LoadBalancer and NodePort Services', () => {
    const declared = plan.spec.teams.map((t) => [plan.names.teamNamespace(t.name), {
      'requests.nvidia.com/gpu': String(t.gpuQuota), 'services.loadbalancers': '0', 'services.nodeports': '0',
    }]);
    expect(quotas.map((q) => [q.metadata.namespace, hardOf(q)])).toEqual(declared);
  });

  test('in the whole chart, nothing else binds a role in a team namespace except time-bound grants', () => {
    const teamNs = new Set(teams.map((t) => t.namespace));
    const others = ofKind(objectsOf(plan), 'RoleBinding')
      .filter((o) => teamNs.has(o.metadata.namespace!) && o.metadata.name !== TEAM_MEMBER_ROLE)
      .filter((o) => !o.metadata.annotations?.['private-ai-boundary.io/expires']);
    expect(others.map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([]);
  });
});

function sorted(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort();
}
