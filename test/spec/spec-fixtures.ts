import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { checkSpecText, type CheckedSpec } from '../../lib/spec/loader';
import type { SpecProblem } from '../../lib/spec/problems';

/**
 * Shared fixtures of the spec-layer tests. Deliberately independent of test/helpers/examples.ts, which imports
 * the Kubernetes renderer: the spec layer is tested without any backend.
 */

/** Fixed clock, so the example grants neither expire nor start warning under the test suite. */
export const TEST_NOW = new Date('2026-11-22T00:00:00Z');

/** Directory of the example customer specs. */
export const EXAMPLES_DIR = join(__dirname, '..', '..', 'examples', 'customers');

/** Directory of this suite's own fixture files. */
export const FIXTURES_DIR = join(__dirname, 'fixtures');

/** Paths of every example spec, sorted. */
export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(EXAMPLES_DIR, f));
}

/** A manifest as plain data, to mutate freely (the tests feed it malformed shapes on purpose). */
export type RawManifest = Record<string, any>;

/** A fresh, deep copy of examples/customers/acme-prod.yaml as plain data: the valid base every bad-input row mutates. */
export function baseManifest(): RawManifest {
  return parse(readFileSync(join(EXAMPLES_DIR, 'acme-prod.yaml'), 'utf8')) as RawManifest;
}

/** Block-style YAML, one key per line, no folding of long values (image references stay on one line). */
export function toYaml(manifest: unknown): string {
  return stringify(manifest, { lineWidth: 0 });
}

/** Validates spec text against the fixed clock. */
export function check(text: string, file = 'fixture.yaml'): CheckedSpec {
  return checkSpecText(text, file, { now: TEST_NOW });
}

/** Errors only. */
export function errorsOf(problems: readonly SpecProblem[]): SpecProblem[] {
  return problems.filter((p) => p.severity === 'error');
}

/** Warnings only. */
export function warningsOf(problems: readonly SpecProblem[]): SpecProblem[] {
  return problems.filter((p) => p.severity === 'warning');
}

/**
 * 1-based line and column of `anchor` in `text`, computed by plain text search, independently of the loader.
 * A string anchor must occur exactly once; a RegExp anchor (use the `m` flag and a look-behind for indentation)
 * takes its first match.
 */
export function positionOf(text: string, anchor: string | RegExp): { line: number; col: number } {
  let index: number;
  if (typeof anchor === 'string') {
    index = text.indexOf(anchor);
    if (index < 0) throw new Error(`anchor ${JSON.stringify(anchor)} is not in the text:\n${text}`);
    if (text.indexOf(anchor, index + 1) >= 0) throw new Error(`anchor ${JSON.stringify(anchor)} occurs more than once`);
  } else {
    const m = anchor.exec(text);
    if (!m) throw new Error(`anchor ${anchor} is not in the text:\n${text}`);
    index = m.index;
  }
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const col = index - (before.lastIndexOf('\n') + 1) + 1;
  return { line, col };
}

/** Runs `fn` and returns what it threw (or undefined), so assertions on the error stay unconditional. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Every string in a document, values and keys, with the path it was found at. */
export function stringsOf(node: unknown, path = ''): { path: string; value: string }[] {
  if (typeof node === 'string') return [{ path, value: node }];
  if (Array.isArray(node)) return node.flatMap((v, i) => stringsOf(v, `${path}[${i}]`));
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([k, v]) => [{ path: `${path}.${k}(key)`, value: k }, ...stringsOf(v, `${path}.${k}`)]);
  }
  return [];
}

/** Valid public-ingress settings for acme-prod (account 111122223333, eu-central-1). */
export const PUBLIC_INGRESS = {
  ingress: 'public',
  waf: true,
  wafAclArn: 'arn:aws:wafv2:eu-central-1:111122223333:regional/webacl/acme-gateway/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  tlsCertificateArn: 'arn:aws:acm:eu-central-1:111122223333:certificate/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
  publicIngressReason: 'Partner portal ACME-77 calls the gateway from the internet',
} as const;
