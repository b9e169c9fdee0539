import { synthKubernetesObjects, toYamlStream } from '../../charts/synth';
import { synthCloudFormation, type CheckFinding } from '../../stacks/synth';
import type { BoundaryPlan } from '../plan/boundary-plan';

/** Synthesis targets. */
export const TARGETS = ['kubernetes', 'cloudformation', 'pulumi'] as const;
/** One synthesis target. */
export type Target = (typeof TARGETS)[number];
/** Targets this version can synthesize; the others fail with "not implemented" before anything is written. */
export const IMPLEMENTED_TARGETS: readonly Target[] = ['kubernetes', 'cloudformation', 'pulumi'];
/** Targets that render asynchronously (`renderTargetAsync` only): Pulumi runs its program under the mock runtime. */
export const ASYNC_TARGETS: readonly Target[] = ['pulumi'];

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

/**
 * Renders one target of a plan in memory, for every target. Throws only on internal errors (the plan is already valid)
 * and `ChecksFailedError`. Pulumi targets run one at a time (its mock runtime is process-wide); the module is loaded
 * on first use, so runs without the Pulumi target never load the Pulumi SDK.
 */
export async function renderTargetAsync(plan: BoundaryPlan, target: Target): Promise<TargetArtifact> {
  if (target !== 'pulumi') return renderTarget(plan, target);
  const { renderPulumiProject } = await import('../pulumi/pulumi-project');
  const project = await renderPulumiProject(plan);
  const objects = project.resources.filter((r) => r.type.startsWith('kubernetes:')).length;
  return { target, files: project.files, summary: `${project.resources.length} resources (component + ${objects} objects)` };
}

/**
 * Renders one synchronous target of a plan in memory (all but `ASYNC_TARGETS`: use `renderTargetAsync` for those).
 * Throws only on internal errors (the plan is already valid) and `ChecksFailedError`.
 */
export function renderTarget(plan: BoundaryPlan, target: Target): TargetArtifact {
  switch (target) {
    case 'kubernetes': {
      const objects = synthKubernetesObjects(plan);
      return { target, files: [{ path: 'manifests.yaml', content: toYamlStream(objects) }], summary: `${objects.length} objects` };
    }
    case 'cloudformation': {
      const cfn = synthCloudFormation(plan);
      if (cfn.findings.length > 0) throw new ChecksFailedError(plan.name, cfn.findings);
      const checks = { acknowledged: cfn.acknowledged, packs: ['AwsSolutions', 'NIST.800.53.R5', 'CloudFormation-Validate'] };
      return {
        target,
        files: [
          { path: `${cfn.stackName}.template.json`, content: cfn.template },
          { path: 'checks.json', content: `${JSON.stringify(checks, null, 2)}\n` },
        ],
        summary: `${Object.keys(JSON.parse(cfn.template).Resources ?? {}).length} resources, ${cfn.acknowledged.length} acknowledged findings`,
      };
    }
    case 'pulumi':
      throw new Error('internal: target "pulumi" renders asynchronously (Pulumi mock runtime) — use renderTargetAsync');
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

/** Unacknowledged findings of cdk-nag or the built-in CloudFormation validator: the boundary is refused. */
export class ChecksFailedError extends Error {
  constructor(public readonly boundary: string, public readonly findings: readonly CheckFinding[]) {
    super(`${boundary}: ${findings.length} unacknowledged compliance finding(s): ${findings.map((f) => `${f.rule} @ ${f.path}`).join('; ')}`);
    this.name = 'ChecksFailedError';
  }
}
