import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { BoundaryPlan } from '../plan/boundary-plan';
import type { PrivilegedBindingPlan } from '../plan/access-plan';
import { ANNOTATION } from '../plan/names';
import { objectMeta } from './labels';

/** Props of {@link PrivilegedAccess}. */
export interface PrivilegedAccessProps {
  /** The plan of the boundary. */
  readonly plan: BoundaryPlan;
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/**
 * Privileged access to the boundary, each binding traceable to an IAM principal:
 * - a time-bound grant binds the built-in `view`/`edit`/`admin` ClusterRole with a RoleBinding in each boundary
 *   namespace (never cluster-wide, never `cluster-admin`), annotated with its principal, expiry and reason;
 * - break-glass, when declared, binds `cluster-admin` cluster-wide to its group, annotated as requiring MFA.
 * Kubernetes RBAC can neither expire a binding nor check MFA: the IAM side enforces both (the role trust policy's
 * `aws:CurrentTime` / `aws:MultiFactorAuthPresent` conditions); the annotations make them visible in-cluster.
 */
export class PrivilegedAccess extends Construct {
  constructor(scope: Construct, id: string, props: PrivilegedAccessProps) {
    super(scope, id);
    const { plan } = props;
    for (const binding of plan.access.privileged) {
      switch (binding.kind) {
        case 'grant':
          this.grant(plan, binding);
          break;
        case 'break-glass':
          this.breakGlass(plan, binding);
          break;
        default: {
          const never: never = binding.kind;
          throw new Error(`internal: unknown privileged binding kind ${String(never)}`);
        }
      }
    }
  }

  private grant(plan: BoundaryPlan, b: PrivilegedBindingPlan): void {
    if (b.clusterRole === 'cluster-admin' || b.namespaces.length === 0 || !b.expires || !b.reason) {
      throw new Error(`internal: grant ${b.name} must be namespaced, below cluster-admin, with expiry and reason`);
    }
    const annotations = { [ANNOTATION.principal]: b.principal, [ANNOTATION.expires]: b.expires, [ANNOTATION.reason]: b.reason };
    for (const namespace of b.namespaces) {
      new k8s.KubeRoleBinding(this, `${b.name}-${namespace}`, {
        metadata: { ...objectMeta(plan, b.name, namespace), annotations },
        roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: b.clusterRole },
        subjects: [{ apiGroup: RBAC_GROUP, kind: 'Group', name: b.group }],
      });
    }
  }

  private breakGlass(plan: BoundaryPlan, b: PrivilegedBindingPlan): void {
    if (b.clusterRole !== 'cluster-admin') throw new Error(`internal: break-glass ${b.name} must bind cluster-admin`);
    new k8s.KubeClusterRoleBinding(this, b.name, {
      metadata: {
        ...objectMeta(plan, b.name, undefined),
        annotations: {
          [ANNOTATION.principal]: b.principal,
          [ANNOTATION.requiresMfa]: String(b.requireMfa),
          ...(b.reason ? { [ANNOTATION.reason]: b.reason } : {}),
        },
      },
      roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: b.clusterRole },
      subjects: [{ apiGroup: RBAC_GROUP, kind: 'Group', name: b.group }],
    });
  }
}
