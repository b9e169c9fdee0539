import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { hooliDev, synthHooliDev } from '../examples/typescript/boundary-in-code';
import { validateManifest } from '../lib/spec';
import { TEST_NOW } from './helpers/examples';
import { validateK8sObjects } from './helpers/k8s-schema';

test('the TypeScript example is a valid boundary and synthesizes schema-valid objects', () => {
  expect(validateManifest(hooliDev, { now: TEST_NOW }).problems.filter((p) => p.severity === 'error')).toEqual([]);
  const dir = mkdtempSync(join(tmpdir(), 'pab-example-'));
  try {
    const [file] = synthHooliDev(dir);
    const objects = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS());
    expect(objects.length).toBeGreaterThan(30);
    expect(validateK8sObjects(objects)).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
