import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import type { BoundaryPlan, NamespacePlan } from '../plan/boundary-plan';
import type { CpuMemory } from '../plan/limits-plan';
import { ANNOTATION, LABEL } from '../plan/names';
import { objectMeta } from './labels';
import { podSecurityLabels } from './pod-security';

/** Props of {@link BoundaryNamespaces}. */
export interface BoundaryNamespacesProps {
  /** The plan of the boundary. */
  readonly plan: BoundaryPlan;
}

/** Name of the LimitRange in every boundary namespace. */
export const LIMIT_RANGE_NAME = 'defaults';

/**
 * Every namespace of the boundary (zones and teams): Pod Security "restricted" enforced at the cluster's version,
 * and a LimitRange that gives every container requests and limits and caps what one container may take.
 */
export class BoundaryNamespaces extends Construct {
  constructor(scope: Construct, id: string, props: BoundaryNamespacesProps) {
    super(scope, id);
    const { plan } = props;
    for (const ns of plan.namespaces) {
      new k8s.KubeNamespace(this, `ns-${ns.name}`, {
        metadata: {
          ...objectMeta(plan, ns.name, undefined, { ...podSecurityLabels(plan.kubernetesVersion), ...roleLabels(ns) }),
          // Who answers for the boundary: read back by the posture and the evidence report.
          annotations: { [ANNOTATION.customer]: plan.spec.customer, [ANNOTATION.owner]: plan.spec.owner },
        },
      });
      const limits = ns.containerLimits;
      new k8s.KubeLimitRange(this, `limits-${ns.name}`, {
        metadata: objectMeta(plan, LIMIT_RANGE_NAME, ns.name),
        spec: {
          limits: [{
            type: 'Container',
            defaultRequest: quantities(limits.defaultRequest),
            default: quantities(limits.defaultLimit),
            max: quantities(limits.max),
          }],
        },
      });
    }
  }
}

/** The zone or team label of a namespace. */
function roleLabels(ns: NamespacePlan): Record<string, string> {
  switch (ns.role) {
    case 'zone':
      return { [LABEL.zone]: required(ns.zone, ns.name) };
    case 'team':
      return { [LABEL.team]: required(ns.team, ns.name) };
    default: {
      const never: never = ns.role;
      throw new Error(`internal: unknown namespace role ${String(never)}`);
    }
  }
}

function required(value: string | undefined, ns: string): string {
  if (value === undefined) throw new Error(`internal: namespace ${ns} has no zone/team in the plan`);
  return value;
}

/** CPU/memory as Kubernetes quantities (`Quantity.fromString`: plain strings render wrongly in cdk8s-plus-28). */
function quantities(q: CpuMemory): Record<string, k8s.Quantity> {
  return { cpu: k8s.Quantity.fromString(q.cpu), memory: k8s.Quantity.fromString(q.memory) };
}
