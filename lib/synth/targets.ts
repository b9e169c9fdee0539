import { synthKubernetesObjects, toYamlStream } from '../../charts/synth';
import type { BoundaryPlan } from '../plan/boundary-plan';

/** Synthesis targets. */
export const TARGETS = ['kubernetes', 'cloudformation', 'pulumi'] as const;
/** One synthesis target. */
export type Target = (typeof TARGETS)[number];
/** Targets this version can synthesize; the others fail with "not implemented" before anything is written. */
export const IMPLEMENTED_TARGETS: readonly Target[] = ['kubernetes'];

/** One file of a synthesized artifact, relative to `<out>/<boundary>/<target>/`. */
export interface ArtifactFile {
  /** Relative path, '/'-separated. */
  readonly path: string;
  /** File content (UTF-8). */
  readonly content: string;
}

/** What one target produced for one boundary. */
export interface TargetArtifact {
  /** The target. */
  readonly target: Target;
  /** Files, in a stable order. */
  readonly files: readonly ArtifactFile[];
  /** One-line summary for people, e.g. "72 objects". */
  readonly summary: string;
}

/** Renders one target of a plan in memory. Throws only on internal errors (the plan is already valid). */
export function renderTarget(plan: BoundaryPlan, target: Target): TargetArtifact {
  switch (target) {
    case 'kubernetes': {
      const objects = synthKubernetesObjects(plan);
      return { target, files: [{ path: 'manifests.yaml', content: toYamlStream(objects) }], summary: `${objects.length} objects` };
    }
    case 'cloudformation':
    case 'pulumi':
      throw new NotImplementedError(target);
    default: {
      const never: never = target;
      throw new Error(`internal: unknown target ${String(never)}`);
    }
  }
}

/** Whether a target applies to a boundary (CloudFormation needs `spec.aws`). */
export function targetApplies(plan: BoundaryPlan, target: Target): boolean {
  return target !== 'cloudformation' || plan.spec.aws !== undefined;
}

/** A target that this version cannot synthesize yet. */
export class NotImplementedError extends Error {
  constructor(public readonly target: Target) {
    super(`target "${target}" is not implemented yet — implemented: ${IMPLEMENTED_TARGETS.join(', ')}`);
    this.name = 'NotImplementedError';
  }
}
