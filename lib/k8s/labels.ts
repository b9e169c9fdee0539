import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
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

/**
 * Removes the `cdk8s.io/metadata.addr` label cdk8s-plus puts on every pod template: it hashes the construct path, so a
 * code refactor would change the pod template and restart the workload. Pods carry only plan-derived labels.
 */
export function removeConstructAddressLabel(workload: kplus.Deployment | kplus.Job): void {
  const key = kplus.Pod.ADDRESS_LABEL.replace(/~/g, '~0').replace(/\//g, '~1');
  ApiObject.of(workload).addJsonPatch(JsonPatch.remove(`/spec/template/metadata/labels/${key}`));
}
