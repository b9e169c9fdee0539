import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import type { BoundaryPlan } from '../lib/plan/boundary-plan';
import { BoundaryStack } from './boundary-stack';

/** Context every app of this project synthesizes with (also in cdk.json). */
export const APP_CONTEXT = {
  // Findings of aws-cdk-lib's built-in CloudFormation validator are errors, not warnings.
  '@aws-cdk/core:validateAgainstDefaultRules': true,
} as const;

/** Adds the compliance packs every boundary app runs: cdk-nag AwsSolutions and NIST 800-53 R5. */
export function addCompliancePacks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
}

/** A finding of a validation plugin, as read from the validation report. */
export interface CheckFinding {
  readonly plugin: string;
  readonly rule: string;
  readonly path: string;
  readonly reason?: string;
}

/** What synthesizing one boundary's stack produced. */
export interface CloudFormationArtifact {
  /** `<stackName>.template.json` content (deterministic JSON). */
  readonly template: string;
  /** Stack name. */
  readonly stackName: string;
  /** Unacknowledged findings: a boundary with any is refused. */
  readonly findings: readonly CheckFinding[];
  /** Acknowledged findings with their reasons (written next to the template for reviewers). */
  readonly acknowledged: readonly CheckFinding[];
}

/**
 * Synthesizes one boundary's stack in its own App (linear cost), under the compliance packs and the built-in
 * validator, and returns the template and the findings read from the real validation report.
 */
export function synthCloudFormation(plan: BoundaryPlan): CloudFormationArtifact {
  const outdir = mkdtempSync(join(tmpdir(), 'pab-cfn-'));
  try {
    const app = new App({ outdir, context: { ...APP_CONTEXT }, analyticsReporting: false });
    addCompliancePacks(app);
    const stack = new BoundaryStack(app, plan.name, { plan });
    try {
      app.synth();
    } catch (e) {
      if ((e as Error).name !== 'ValidationFailed') throw e;
    }
    const template = JSON.stringify(JSON.parse(readFileSync(join(outdir, stack.templateFile), 'utf8')), null, 1);
    return { template: `${template}\n`, stackName: stack.stackName, ...readFindings(outdir) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The part of aws-cdk-lib's validation-report.json this reads. */
interface ValidationReport {
  readonly pluginReports?: readonly {
    readonly pluginName: string;
    readonly violations?: readonly ReportedViolation[];
    readonly suppressedViolations?: readonly (ReportedViolation & { readonly suppressionReason?: string; readonly reason?: string })[];
  }[];
}

interface ReportedViolation {
  readonly ruleName: string;
  readonly violatingConstructs?: readonly { readonly constructPath: string }[];
}

function readFindings(outdir: string): { findings: CheckFinding[]; acknowledged: CheckFinding[] } {
  let report: ValidationReport;
  try {
    report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
  } catch {
    return { findings: [], acknowledged: [] };
  }
  const findings: CheckFinding[] = [];
  const acknowledged: CheckFinding[] = [];
  for (const p of report.pluginReports ?? []) {
    for (const v of p.violations ?? []) for (const c of v.violatingConstructs ?? []) findings.push({ plugin: p.pluginName, rule: v.ruleName, path: c.constructPath });
    for (const v of p.suppressedViolations ?? []) {
      for (const c of v.violatingConstructs ?? []) acknowledged.push({ plugin: p.pluginName, rule: v.ruleName, path: c.constructPath, reason: v.suppressionReason ?? v.reason });
    }
  }
  const order = (a: CheckFinding, b: CheckFinding) => (a.rule + a.path < b.rule + b.path ? -1 : a.rule + a.path > b.rule + b.path ? 1 : 0);
  return { findings: findings.sort(order), acknowledged: acknowledged.sort(order) };
}
