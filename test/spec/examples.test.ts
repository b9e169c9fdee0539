import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'yaml';
import { Boundary, checkSpecFile, checkSpecText, formatPath, type SpecProblem } from '../../lib/spec';
import { TEST_NOW, errorsOf, exampleFiles, warningsOf } from './spec-fixtures';

/**
 * Warnings each example is expected to raise (code and path). Every example must be listed, so a new example or a
 * new warning is a deliberate change of this table.
 */
const EXPECTED_WARNINGS: Readonly<Record<string, readonly string[]>> = {
  'acme-prod.yaml': [],
  'globex-staging.yaml': ['spec.gateway.replicas [PAB-GW-001]'],
  'initech-onprem.yaml': ['spec.network.consumers[1].cidr [PAB-NET-011]'],
};

const FILES = exampleFiles().map((file) => ({ name: basename(file), file }));
const summary = (p: SpecProblem): string => `${formatPath(p.path)} [${p.code}]`;

/** The text at a 1-based line and column. */
function textAt(text: string, line: number, col: number): string {
  return text.split('\n')[line - 1].slice(col - 1);
}

/** The last key of a path, when the path ends in a key; problems on list items or the document have none. */
function lastKey(p: SpecProblem): string[] {
  const last = p.path[p.path.length - 1];
  return typeof last === 'string' ? [last] : [];
}

test('the example directory holds the examples the tables below know', () => {
  expect(FILES.map((f) => f.name)).toEqual(Object.keys(EXPECTED_WARNINGS).sort());
});

describe.each(FILES)('$name', ({ name, file }) => {
  const text = readFileSync(file, 'utf8');

  test('validates with no error under the fixed clock; its warnings are the listed ones', () => {
    const checked = checkSpecFile(file, { now: TEST_NOW });
    expect(errorsOf(checked.problems).map(summary)).toEqual([]);
    expect(warningsOf(checked.problems).map(summary)).toEqual(EXPECTED_WARNINGS[name] ?? ['(add this example to EXPECTED_WARNINGS)']);
    expect(checked.spec?.name).toBe(name.replace(/\.ya?ml$/, ''));
  });

  test('each warning points at its key in the file', () => {
    const warnings = warningsOf(checkSpecFile(file, { now: TEST_NOW }).problems);
    for (const w of warnings) {
      for (const key of lastKey(w)) expect(textAt(text, w.location!.line, w.location!.col)).toMatch(new RegExp(`^${key}\\s*:`));
    }
    expect(warnings.every((w) => w.location?.file === file)).toBe(true);
  });

  test('Boundary.fromFile accepts it and keeps the warnings', () => {
    const boundary = Boundary.fromFile(file, { now: TEST_NOW });
    expect(boundary.name).toBe(name.replace(/\.ya?ml$/, ''));
    expect(boundary.source).toBe(file);
    expect(boundary.warnings.map(summary)).toEqual(EXPECTED_WARNINGS[name]);
  });

  test.each([
    ['indented JSON', (raw: unknown) => JSON.stringify(raw, null, 2)],
    ['one-line JSON', (raw: unknown) => JSON.stringify(raw)],
  ])('its %s form validates identically', (_form, toJson) => {
    const fromYaml = checkSpecFile(file, { now: TEST_NOW });
    const json = toJson(parse(text));
    const fromJson = checkSpecText(json, 'example.json', { now: TEST_NOW });
    const strip = (ps: readonly SpecProblem[]): object[] => ps.map(({ location: _l, ...rest }) => rest);
    expect(strip(fromJson.problems)).toEqual(strip(fromYaml.problems));
    expect(fromJson.spec).toEqual(fromYaml.spec);
    expect(fromJson.spec).toBeDefined();
    // Positions in the JSON text point at the JSON key.
    for (const p of fromJson.problems) {
      for (const key of lastKey(p)) expect(textAt(json, p.location!.line, p.location!.col)).toMatch(new RegExp(`^"${key}"\\s*:`));
    }
  });
});

describe('the fixed clock decides grant expiry', () => {
  const acme = exampleFiles().find((f) => basename(f) === 'acme-prod.yaml')!;
  const grant = 'spec.access.grants[0].expires [PAB-ACC-006]';

  test.each([
    ['well before expiry', '2026-11-22T00:00:00Z', 'none'],
    ['13 days before the end of 2027-06-30', '2027-06-18T00:00:00Z', 'warning'],
    ['on the last day', '2027-06-30T23:59:59Z', 'warning'],
    ['at 00:00 UTC the day after', '2027-07-01T00:00:00Z', 'error'],
  ])('%s (%s) → %s', (_when, now, expected) => {
    const problems = checkSpecFile(acme, { now: new Date(now) }).problems.filter((p) => summary(p) === grant);
    expect(problems.map((p) => p.severity)).toEqual(expected === 'none' ? [] : [expected]);
  });
});
