import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { BoundaryPlan } from '../plan/boundary-plan';
import { LABEL } from '../plan/names';
import { objectMeta } from './labels';

/** Props of {@link TeamAccess}. */
export interface TeamAccessProps {
  /** The plan of the boundary. */
  readonly plan: BoundaryPlan;
}

/** Name of the Role and RoleBinding of team members in their namespace. */
export const TEAM_MEMBER_ROLE = 'team-member';
/** Name of the ResourceQuota of a team namespace. */
export const TEAM_QUOTA = 'gpu';

const READ = ['get', 'list', 'watch'];
const WRITE = [...READ, 'create', 'update', 'patch', 'delete'];

/**
 * What a team member may do in the team namespace: run workloads and read their logs. Deliberately absent:
 * `secrets` (credentials come through ExternalSecrets, never through people), `pods/exec`, `pods/attach` and
 * `pods/portforward` (they bypass the gateway and the network policies), RBAC, quotas, network policies, and any
 * wildcard (https://kubernetes.io/docs/concepts/security/rbac-good-practices/).
 */
export const TEAM_MEMBER_RULES: readonly k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps', 'persistentvolumeclaims', 'pods', 'services'], verbs: WRITE },
  { apiGroups: [''], resources: ['pods/log'], verbs: READ },
  { apiGroups: [''], resources: ['events'], verbs: READ },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: WRITE },
  // ReplicaSets belong to their Deployments: members read them, the controller writes them.
  { apiGroups: ['apps'], resources: ['replicasets'], verbs: READ },
  { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: WRITE },
];

/**
 * Per team: a least-privilege Role bound to the team's IdP groups, and a ResourceQuota that caps its GPUs at the
 * declared `gpuQuota` and forbids LoadBalancer and NodePort Services, so nothing in the namespace is exposed outside
 * the boundary.
 */
export class TeamAccess extends Construct {
  constructor(scope: Construct, id: string, props: TeamAccessProps) {
    super(scope, id);
    const { plan } = props;
    for (const team of plan.access.teams) {
      const teamLabels = { [LABEL.team]: team.name };
      new k8s.KubeRole(this, `${team.name}-role`, {
        metadata: objectMeta(plan, TEAM_MEMBER_ROLE, team.namespace, teamLabels),
        rules: TEAM_MEMBER_RULES.map((r) => ({ ...r, apiGroups: [...(r.apiGroups ?? [])], resources: [...(r.resources ?? [])], verbs: [...r.verbs] })),
      });
      new k8s.KubeRoleBinding(this, `${team.name}-binding`, {
        metadata: objectMeta(plan, TEAM_MEMBER_ROLE, team.namespace, teamLabels),
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: TEAM_MEMBER_ROLE },
        subjects: [...team.subjects].sort().map((group) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group })),
      });
      new k8s.KubeResourceQuota(this, `${team.name}-quota`, {
        metadata: objectMeta(plan, TEAM_QUOTA, team.namespace, teamLabels),
        spec: {
          hard: {
            // Extended resources only take the `requests.` prefix in a quota.
            'requests.nvidia.com/gpu': k8s.Quantity.fromString(String(team.gpuQuota)),
            'services.loadbalancers': k8s.Quantity.fromString('0'),
            'services.nodeports': k8s.Quantity.fromString('0'),
          },
        },
      });
    }
  }
}
