import { readFileSync } from 'node:fs';
import { checkSpecText, duplicateNameProblems, formatProblem, type CheckedSpec } from '../../lib/spec';
import { TEST_NOW, exampleFiles, positionOf } from './spec-fixtures';

/** PAB-FILE-002: boundary names are unique across the files checked together (each names dist/<name>/). */

const acmeFile = exampleFiles().find((f) => f.endsWith('/acme-prod.yaml'))!;
const globexFile = exampleFiles().find((f) => f.endsWith('/globex-staging.yaml'))!;
const acme = readFileSync(acmeFile, 'utf8');
const globex = readFileSync(globexFile, 'utf8');
const checkAs = (text: string, file: string): CheckedSpec => checkSpecText(text, file, { now: TEST_NOW });

describe('duplicateNameProblems', () => {
  test('files with distinct names are returned unchanged', () => {
    const checked = [checkAs(acme, 'a.yaml'), checkAs(globex, 'g.yaml')];
    expect(duplicateNameProblems(checked)).toEqual(checked);
  });

  test('the later file with a name already used is refused at its metadata.name, naming the first file', () => {
    const checked = [checkAs(acme, 'a.yaml'), checkAs(globex, 'g.yaml'), checkAs(acme, 'b.yaml')];
    const result = duplicateNameProblems(checked);
    expect(result[0]).toBe(checked[0]);
    expect(result[1]).toBe(checked[1]);
    expect(result[2].spec).toBeUndefined();
    expect(result[2].problems.map(formatProblem)).toEqual([
      `b.yaml:${positionOf(acme, 'name: acme-prod').line}:${positionOf(acme, 'name: acme-prod').col} metadata.name [PAB-FILE-002]: "acme-prod" is also the name of a.yaml — boundary names must be unique (each names dist/<name>/ and its cloud resources)`,
    ]);
    // The input is not modified.
    expect(checked[2].spec?.name).toBe('acme-prod');
    expect(checked[2].problems).toEqual([]);
  });

  test('a third file with the name is refused too, each naming the file that kept it', () => {
    const result = duplicateNameProblems([checkAs(acme, 'a.yaml'), checkAs(acme, 'b.yaml'), checkAs(acme, 'c.yaml')]);
    expect(result.map((c) => c.problems.map((p) => `${p.code} ${p.message.split(' — ')[0]}`))).toEqual([
      [],
      ['PAB-FILE-002 "acme-prod" is also the name of a.yaml'],
      ['PAB-FILE-002 "acme-prod" is also the name of a.yaml'],
    ]);
  });

  test('the error comes before the file\'s warnings, which are kept', () => {
    const withWarning = acme.replace('level: view', 'level: edit');
    const [, second] = duplicateNameProblems([checkAs(acme, 'a.yaml'), checkAs(withWarning, 'b.yaml')]);
    expect(second.problems.map((p) => `${p.severity} ${p.code}`)).toEqual(['error PAB-FILE-002', 'warning PAB-ACC-008']);
  });

  test('files that already have errors are neither refused again nor keep the name', () => {
    const broken = checkAs(acme.replace('image: vllm/vllm-openai:v0.8.5@sha256:', 'image: vllm/vllm-openai:v0.8.5@sha1:'), 'broken.yaml');
    const checked = [broken, checkAs(acme, 'a.yaml')];
    const result = duplicateNameProblems(checked);
    expect(broken.spec).toBeUndefined();
    expect(result).toEqual(checked);
  });
});
