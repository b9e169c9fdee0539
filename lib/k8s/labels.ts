import type { BoundaryPlan } from '../plan/boundary-plan';
import { selectorFor } from '../plan/flows';
import { LABEL } from '../plan/names';

/** Labels of a workload's objects: the boundary's common labels, its selector labels and its component. */
export function workloadLabels(plan: BoundaryPlan, workload: string, component: string): Record<string, string> {
  return { ...plan.commonLabels, ...selectorFor(plan.spec, workload), [LABEL.component]: component };
}

/** Pod selector labels of a workload (stable: never include hashes or versions, Deployment selectors are immutable). */
export function workloadSelector(plan: BoundaryPlan, workload: string): Record<string, string> {
  return selectorFor(plan.spec, workload);
}

/** Metadata for an object of the boundary in a namespace. */
export function objectMeta(plan: BoundaryPlan, name: string, namespace: string | undefined, extraLabels: Record<string, string> = {}) {
  return { name, ...(namespace ? { namespace } : {}), labels: { ...plan.commonLabels, ...extraLabels } };
}
