import type { ResolvedSpec } from '../spec/resolve';
import type { AccessLevel } from '../spec/types';
import type { BoundaryNames } from './names';

/** A team: its namespace, IdP groups as RBAC subjects, GPU quota. */
export interface TeamPlan {
  readonly name: string;
  readonly namespace: string;
  /** IdP groups as written. */
  readonly groups: readonly string[];
  /** RBAC group subjects (with the OIDC prefix). */
  readonly subjects: readonly string[];
  readonly models: readonly string[];
  readonly requestsPerMinute: number;
  readonly tokensPerMinute: number;
  readonly gpuQuota: number;
}

/** A binding of a Kubernetes group to a ClusterRole, in the boundary's namespaces or cluster-wide. */
export interface PrivilegedBindingPlan {
  /** `grant` or `break-glass`. */
  readonly kind: 'grant' | 'break-glass';
  /** Binding name. */
  readonly name: string;
  /** IAM principal ARN. */
  readonly principal: string;
  /** Kubernetes group the principal is mapped to (EKS access entry `kubernetesGroups`). */
  readonly group: string;
  /** ClusterRole bound: `view` | `edit` | `admin` per namespace, `cluster-admin` cluster-wide for break-glass. */
  readonly clusterRole: 'view' | 'edit' | 'admin' | 'cluster-admin';
  /** Namespaces the binding applies in (empty = cluster-wide). */
  readonly namespaces: readonly string[];
  /** Grants: the `YYYY-MM-DD` last day. */
  readonly expires?: string;
  readonly reason?: string;
  readonly requireMfa: boolean;
}

/** Teams and privileged access. */
export interface AccessPlan {
  readonly teams: readonly TeamPlan[];
  readonly privileged: readonly PrivilegedBindingPlan[];
}

const CLUSTER_ROLE: Record<AccessLevel, 'view' | 'edit' | 'admin'> = { view: 'view', edit: 'edit', admin: 'admin' };

/** Derives team namespaces and RBAC subjects, grants and break-glass bindings. */
export function planAccess(spec: ResolvedSpec, names: BoundaryNames, boundaryNamespaces: readonly string[]): AccessPlan {
  const teams = spec.teams.map((t) => ({
    name: t.name,
    namespace: names.teamNamespace(t.name),
    groups: t.groups,
    subjects: t.groups.map((g) => names.idpGroup(g)),
    models: t.models,
    requestsPerMinute: t.rateLimits.requestsPerMinute,
    tokensPerMinute: t.rateLimits.tokensPerMinute,
    gpuQuota: t.gpuQuota,
  }));
  const privileged: PrivilegedBindingPlan[] = spec.access.grants.map((g) => {
    return {
      kind: 'grant' as const,
      name: names.grantBinding(g.principal),
      principal: g.principal,
      group: names.grantGroup(g.principal),
      clusterRole: CLUSTER_ROLE[g.level],
      namespaces: boundaryNamespaces,
      expires: g.expires,
      reason: g.reason,
      requireMfa: false,
    };
  });
  const bg = spec.access.breakGlass;
  if (bg) {
    privileged.push({
      kind: 'break-glass',
      name: `${spec.name}-break-glass`,
      principal: bg.roleArn,
      group: names.breakGlassGroup(),
      clusterRole: 'cluster-admin',
      namespaces: [],
      requireMfa: bg.requireMfa,
    });
  }
  return { teams, privileged };
}
