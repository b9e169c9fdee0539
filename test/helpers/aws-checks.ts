import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';

/** One finding of a validation plugin (cdk-nag pack or the built-in CloudFormation validator). */
export interface Finding {
  /** Plugin, e.g. `AwsSolutions`, `NIST.800.53.R5`. */
  readonly plugin: string;
  /** Rule, e.g. `AwsSolutions-S1`. */
  readonly rule: string;
  /** Construct path. */
  readonly path: string;
  /** error | warning | … as reported. */
  readonly severity: string;
}

/** What synthesizing an app under every check produced. */
export interface CheckedApp {
  /** Templates of the stacks, by stack id. */
  readonly templates: Record<string, Template>;
  /** Unacknowledged findings (must be empty for a compliant boundary). */
  readonly findings: readonly Finding[];
  /** Acknowledged findings with their reasons (they appear in validation-report.json). */
  readonly acknowledged: readonly (Finding & { reason: string })[];
}

/**
 * Synthesizes the stacks `build` adds to a fresh App with cdk-nag AwsSolutions + NIST 800-53 R5 and the built-in
 * CloudFormation validator (`@aws-cdk/core:validateAgainstDefaultRules` on), as the CDK app of this project does,
 * and returns templates and findings read from the real `validation-report.json`.
 */
export function synthWithChecks(build: (app: App) => Stack[], options: { validator?: boolean } = {}): CheckedApp {
  const outdir = mkdtempSync(join(tmpdir(), 'pab-cdk-'));
  try {
    const app = new App({
      outdir,
      builtinCloudFormationValidation: options.validator ?? true,
      context: { '@aws-cdk/core:validateAgainstDefaultRules': true },
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
    const stacks = build(app);
    try {
      app.synth();
    } catch (e) {
      if ((e as Error).name !== 'ValidationFailed') throw e;
    }
    const report = readReport(outdir);
    const templates: Record<string, Template> = {};
    for (const s of stacks) templates[s.node.id] = Template.fromJSON(JSON.parse(readFileSync(join(outdir, s.templateFile), 'utf8')));
    return { templates, ...report };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function readReport(outdir: string): Pick<CheckedApp, 'findings' | 'acknowledged'> {
  let raw: string;
  try {
    raw = readFileSync(join(outdir, 'validation-report.json'), 'utf8');
  } catch {
    return { findings: [], acknowledged: [] };
  }
  const report = JSON.parse(raw) as { pluginReports?: any[] };
  const findings: Finding[] = [];
  const acknowledged: (Finding & { reason: string })[] = [];
  for (const p of report.pluginReports ?? []) {
    for (const v of p.violations ?? []) {
      for (const c of v.violatingConstructs ?? []) findings.push({ plugin: p.pluginName, rule: v.ruleName, path: c.constructPath, severity: v.severity });
    }
    for (const v of p.suppressedViolations ?? []) {
      for (const c of v.violatingConstructs ?? []) {
        acknowledged.push({ plugin: p.pluginName, rule: v.ruleName, path: c.constructPath, severity: v.severity, reason: v.suppressionReason ?? v.reason ?? '' });
      }
    }
  }
  return { findings, acknowledged };
}

/** Renders findings one per line for a readable failing assertion. */
export function describeFindings(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.plugin} ${f.rule} ${f.severity} @ ${f.path}`);
}

