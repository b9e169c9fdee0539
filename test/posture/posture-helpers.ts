import type { BoundaryPlan } from '../../lib/plan';
import { buildPosture, type PostureArtifact } from '../../lib/posture/build';
import type { Posture } from '../../lib/posture/types';
import { renderTarget, renderTargetAsync, targetApplies } from '../../lib/synth/targets';
import { objectsOf } from '../helpers/examples';

/** Artifacts a posture reads, per boundary and target, rendered once per test file (CloudFormation takes seconds). */
const artifactCache = new Map<string, PostureArtifact[]>();

/** The posture artifacts of one target of a plan, rendered as `pab synth` writes them (cached per test file). */
export async function artifactsOf(plan: BoundaryPlan, target: 'kubernetes' | 'cloudformation' | 'pulumi'): Promise<PostureArtifact[]> {
  const id = `${plan.name}\u0000${target}\u0000${JSON.stringify(plan.spec)}`;
  let artifacts = artifactCache.get(id);
  if (!artifacts) {
    const rendered = target === 'pulumi' ? await renderTargetAsync(plan, target) : renderTarget(plan, target);
    artifacts = rendered.files
      .filter((f) => f.path === 'manifests.yaml' || f.path === 'resources.json' || f.path.endsWith('.template.json'))
      .map((f) => ({ target, path: `${target}/${f.path}`, content: f.content }));
    artifactCache.set(id, artifacts);
  }
  return artifacts;
}

/** The Kubernetes and (when the spec has `aws`) CloudFormation artifacts of a plan. */
export async function clusterAndCloudArtifacts(plan: BoundaryPlan): Promise<PostureArtifact[]> {
  return [
    ...await artifactsOf(plan, 'kubernetes'),
    ...(targetApplies(plan, 'cloudformation') ? await artifactsOf(plan, 'cloudformation') : []),
  ];
}

/** The posture of the Kubernetes and CloudFormation artifacts of a plan. */
export async function postureOf(plan: BoundaryPlan): Promise<Posture> {
  return buildPosture({ boundary: plan.name, artifacts: await clusterAndCloudArtifacts(plan) });
}

/**
 * Every evidence reference the artifacts can back: `<kind>/<namespace>/<name>` (`<kind>/<name>`) of each
 * Kubernetes object, `<stack>:<logicalId>` of each template resource.
 */
export function citableRefs(plan: BoundaryPlan, artifacts: readonly PostureArtifact[]): Set<string> {
  const refs = new Set(objectsOf(plan).map((o) => (o.metadata.namespace === undefined ? `${o.kind}/${o.metadata.name}` : `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)));
  for (const a of artifacts.filter((x) => x.target === 'cloudformation')) {
    const stack = a.path.replace(/^cloudformation\//, '').replace(/\.template\.json$/, '');
    for (const id of Object.keys(JSON.parse(a.content).Resources)) refs.add(`${stack}:${id}`);
  }
  return refs;
}

/** The instant a spec grant (`expires: YYYY-MM-DD`, inclusive) stops working: 00:00 UTC the next day. */
export function grantEnd(expires: string): string {
  const d = new Date(`${expires}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().replace(/\.000Z$/, 'Z');
}
