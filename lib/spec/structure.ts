import type { z } from 'zod';
import { ProblemCollector, show, type SpecPath } from './problems';
import { fieldsAt } from './schema';

/** Maps zod's structural issues to spec problems with stable codes, bad values and what is allowed. */
export function reportStructuralIssues(issues: readonly z.core.$ZodIssue[], raw: unknown, problems: ProblemCollector): void {
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const value = valueAt(raw, path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const allowed = fieldsAt(path);
          const guess = closest(key, allowed);
          problems.error('PAB-SCHEMA-003', [...path, key],
            `unknown field${guess ? ` — did you mean "${guess}"?` : ''} (allowed here: ${allowed.join(', ')})`);
        }
        break;
      case 'invalid_type':
        if (value === undefined) problems.error('PAB-SCHEMA-002', path, `required field is missing (expected ${issue.expected})`);
        else problems.error('PAB-SCHEMA-001', path, `${show(value)} is a ${kind(value)} — expected ${issue.expected}${quoteHint(issue.expected, value)}`);
        break;
      case 'invalid_value': {
        // zod reports a missing enum or literal field as invalid_value, not invalid_type: it is still a missing field.
        const allowed = issue.values.map((v) => JSON.stringify(v)).join(' | ');
        if (value === undefined) problems.error('PAB-SCHEMA-002', path, `required field is missing (use ${allowed})`);
        else problems.error('PAB-SCHEMA-004', path, `${show(value)} is not allowed — use ${allowed}`);
        break;
      }
      default:
        problems.error('PAB-SCHEMA-005', path, `${show(value)}: ${issue.message}`);
    }
  }
}

function quoteHint(expected: string, value: unknown): string {
  return expected === 'string' && typeof value === 'number' ? ` (quote it in YAML: "${value}")` : '';
}

function kind(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'map';
  return typeof v;
}

/** The raw value at a path, or undefined. */
export function valueAt(raw: unknown, path: SpecPath): unknown {
  let node = raw;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[seg];
  }
  return node;
}

/** The allowed name closest to `key` when it is a plausible typo (edit distance ≤ 2, or a case/plural slip). */
export function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const a of allowed) {
    const d = a.toLowerCase() === key.toLowerCase() ? 0 : distance(key, a);
    if (d < bestD) {
      best = a;
      bestD = d;
    }
  }
  return bestD <= Math.max(2, Math.floor(key.length / 4)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}
