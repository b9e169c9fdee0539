import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planBoundary, type BoundaryPlan } from '../../lib/plan';
import { parse } from 'yaml';
import { Boundary, type BoundaryManifest } from '../../lib/spec';
import { synthKubernetesObjects } from '../../charts/synth';
import type { K8sObject } from '../../lib/k8s/k8s-object';

/** Fixed clock for tests, so example grants never expire under the test suite. */
export const TEST_NOW = new Date('2026-11-22T00:00:00Z');

/** Directory of the example customer specs. */
export const EXAMPLES_DIR = join(__dirname, '..', '..', 'examples', 'customers');

/** Paths of every example spec. */
export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(EXAMPLES_DIR, f));
}

/** Plans of every example, keyed by boundary name. */
export function examplePlans(): [string, BoundaryPlan][] {
  return exampleFiles().map((f) => {
    const plan = planBoundary(Boundary.fromFile(f, { now: TEST_NOW }));
    return [plan.name, plan];
  });
}

const cache = new Map<string, K8sObject[]>();

/** Synthesized Kubernetes objects of a plan (cached per boundary name). */
export function objectsOf(plan: BoundaryPlan): K8sObject[] {
  let objs = cache.get(plan.name);
  if (!objs) {
    objs = synthKubernetesObjects(plan);
    cache.set(plan.name, objs);
  }
  return objs;
}

/** Objects of one kind. */
export function ofKind(objects: readonly K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}

/** Pod templates of every workload (Deployment, Job), with the owning object. */
export function podTemplates(objects: readonly K8sObject[]): { owner: K8sObject; pod: Record<string, any> }[] {
  return objects
    .filter((o) => o.kind === 'Deployment' || o.kind === 'Job')
    .map((o) => ({ owner: o, pod: (o as any).spec.template.spec }));
}

/** Plan of an example spec after a change to its manifest (validated like any spec, with the test clock). */
export function exampleVariant(boundary: string, change: (manifest: any) => void): BoundaryPlan {
  const file = exampleFiles().find((f) => f.endsWith(`/${boundary}.yaml`));
  if (!file) throw new Error(`no example named ${boundary}`);
  const manifest = parse(readFileSync(file, 'utf8'));
  change(manifest);
  return planBoundary(Boundary.fromManifest(manifest as BoundaryManifest, { now: TEST_NOW }));
}
