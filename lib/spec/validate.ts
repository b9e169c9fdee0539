import { ProblemCollector, type SpecProblem } from './problems';
import { resolveSpec, type ResolvedSpec } from './resolve';
import type { RuleContext } from './rules/context';
import { accessRules } from './rules/access';
import { gatewayRules } from './rules/gateway';
import { gpuRules } from './rules/gpu';
import { imageRules } from './rules/images';
import { nameRules } from './rules/names';
import { networkRules } from './rules/network';
import { auditRules, platformRules, secretStoreRules } from './rules/platform';
import { redactSecrets, scanForSecretValues } from './rules/secret-values';
import { manifestSchema } from './schema';
import { reportStructuralIssues } from './structure';
import type { BoundaryManifest } from './types';

/** Options of validation. */
export interface ValidateOptions {
  /**
   * The clock grants are checked against.
   * @default - the current time
   */
  readonly now?: Date;
}

/** Result of validating one document. `spec` is set only when there is no error. */
export interface ValidationResult {
  /** The resolved spec, when valid. */
  readonly spec?: ResolvedSpec;
  /** Every problem found, errors and warnings, in rule order. */
  readonly problems: readonly SpecProblem[];
}

const RULES = [nameRules, platformRules, networkRules, imageRules, gpuRules, gatewayRules, accessRules, secretStoreRules, auditRules];

/**
 * Validates a parsed document in two phases: structure (types, required and unknown fields) plus the secret-value
 * scan; then, when the structure is sound, every value rule. All problems are collected, never the first only.
 */
export function validateManifest(raw: unknown, options: ValidateOptions = {}): ValidationResult {
  const problems = new ProblemCollector();
  const secrets = scanForSecretValues(raw, problems);
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    reportStructuralIssues(parsed.error.issues, raw, problems);
    return { problems: redactSecrets(problems.problems, secrets) };
  }
  const manifest = parsed.data as BoundaryManifest;
  const ctx: RuleContext = { spec: resolveSpec(manifest), manifest, problems, now: options.now ?? new Date() };
  for (const rule of RULES) rule(ctx);
  return { spec: problems.hasErrors ? undefined : ctx.spec, problems: redactSecrets(problems.problems, secrets) };
}
