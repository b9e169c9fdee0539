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
 * scan; then every value rule — when the structure is sound, or when its only flaws are unknown fields (typos),
 * which are reported and left out so the value rules still run. All problems are collected, never the first only.
 */
export function validateManifest(raw: unknown, options: ValidateOptions = {}): ValidationResult {
  const problems = new ProblemCollector();
  if (raw === null || raw === undefined) {
    // An empty file (or one holding only comments) parses to null: say so, rather than "null is a null".
    problems.error('PAB-SCHEMA-002', [], 'the document is empty — expected a Boundary (apiVersion, kind, metadata, spec)');
    return { problems: problems.problems };
  }
  const secrets = scanForSecretValues(raw, problems);
  let parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    reportStructuralIssues(issues, raw, problems);
    if (!issues.every((i) => i.code === 'unrecognized_keys')) return { problems: redactSecrets(problems.problems, secrets) };
    parsed = manifestSchema.safeParse(withoutKeys(raw, issues));
    if (!parsed.success) return { problems: redactSecrets(problems.problems, secrets) };
  }
  const manifest = parsed.data as BoundaryManifest;
  const ctx: RuleContext = { spec: resolveSpec(manifest), manifest, problems, now: options.now ?? new Date() };
  for (const rule of RULES) rule(ctx);
  return { spec: problems.hasErrors ? undefined : ctx.spec, problems: redactSecrets(problems.problems, secrets) };
}

/** A deep copy of `raw` without the unknown keys zod reported (so the value rules can run on the rest). */
function withoutKeys(raw: unknown, issues: readonly { path: PropertyKey[]; keys?: string[] }[]): unknown {
  const copy = structuredClone(raw);
  for (const issue of issues) {
    let node: unknown = copy;
    for (const seg of issue.path) node = (node as Record<PropertyKey, unknown>)?.[seg];
    if (node && typeof node === 'object') for (const key of issue.keys ?? []) delete (node as Record<string, unknown>)[key];
  }
  return copy;
}
