import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import type { CliIo } from '../../lib/cli/report';
import { EXAMPLES_DIR, TEST_NOW } from '../helpers/examples';

interface Run { code: number; out: string; err: string }

async function pab(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, now: () => TEST_NOW };
  const code = await main(argv, io);
  return { code, out, err };
}

let work: string;
beforeEach(() => { work = mkdtempSync(join(tmpdir(), 'pab-cli-')); });
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** What `pab synth` writes beside the target directories of every boundary. */
const REVIEW_FILES = ['evidence.html', 'evidence.md', 'posture.json'];

function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).sort();
}

describe('pab validate', () => {
  test('every example is valid: exit 0', async () => {
    const r = await pab('validate', EXAMPLES_DIR);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/3 spec\(s\): 3 valid, 0 invalid/);
  });

  test('an invalid spec: exit 1, each problem on stderr with file:line:col, field, code', async () => {
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, readFileSync(join(EXAMPLES_DIR, 'acme-prod.yaml'), 'utf8').replace('cidr: 10.40.0.0/16', 'cidr: 10.40.0.0/33').replace('replicas: 2', 'replica: 2'));
    const r = await pab('validate', bad);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`${bad}:\\d+:\\d+ spec\\.network\\.cidr \\[PAB-NET-001\\]`));
    expect(r.err).toMatch(/spec\.gateway\.replica \[PAB-SCHEMA-003\]: unknown field — did you mean "replicas"\?/);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace for a user mistake
  });

  test('--json gives machine-readable problems', async () => {
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, readFileSync(join(EXAMPLES_DIR, 'acme-prod.yaml'), 'utf8').replace('nodePool: l4', 'nodePool: l5'));
    const r = await pab('validate', bad, '--json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc.ok).toBe(false);
    expect(doc.problems).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'PAB-REF-001', field: 'spec.models[0].nodePool', severity: 'error' })]));
  });

  test('a missing path: exit 1', async () => {
    const r = await pab('validate', join(work, 'nope.yaml'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nope\.yaml: no such file or directory/);
  });
});

describe('pab synth', () => {
  test('writes dist/<name>/kubernetes/ for every example, byte-identical on re-run', async () => {
    const out = join(work, 'dist');
    const first = await pab('synth', EXAMPLES_DIR, '--out', out);
    expect(first.code).toBe(0);
    expect(listTree(out)).toEqual(expect.arrayContaining(['acme-prod/kubernetes/manifests.yaml', 'globex-staging/kubernetes/manifests.yaml', 'initech-onprem/kubernetes/manifests.yaml']));
    const before = readFileSync(join(out, 'acme-prod/kubernetes/manifests.yaml'), 'utf8');
    const second = await pab('synth', EXAMPLES_DIR, '--out', out);
    expect(second.code).toBe(0);
    expect(readFileSync(join(out, 'acme-prod/kubernetes/manifests.yaml'), 'utf8')).toBe(before);
    // No absolute paths of this machine, no timestamps.
    expect(before.includes(work) || before.includes(join(__dirname, '..', '..'))).toBe(false);
    expect(before).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(listTree(out).filter((p) => p.includes('.pab-tmp'))).toEqual([]);
  });

  test('a failed run leaves the previous output intact and writes nothing new', async () => {
    const specs = join(work, 'specs');
    const out = join(work, 'dist');
    mkdirSync(specs);
    copyFileSync(join(EXAMPLES_DIR, 'acme-prod.yaml'), join(specs, 'acme-prod.yaml'));
    expect((await pab('synth', specs, '--out', out)).code).toBe(0);
    const before = readFileSync(join(out, 'acme-prod/kubernetes/manifests.yaml'), 'utf8');
    // A changed but valid acme spec, a new valid spec, and a broken one: the broken one stops the whole run.
    writeFileSync(join(specs, 'acme-prod.yaml'), readFileSync(join(EXAMPLES_DIR, 'acme-prod.yaml'), 'utf8').replace('replicas: 1', 'replicas: 2'));
    copyFileSync(join(EXAMPLES_DIR, 'globex-staging.yaml'), join(specs, 'globex-staging.yaml'));
    writeFileSync(join(specs, 'zz-broken.yaml'), 'apiVersion: private-ai-boundary/v1\nkind: Boundary\n');
    const r = await pab('synth', specs, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nothing was written/);
    expect(readFileSync(join(out, 'acme-prod/kubernetes/manifests.yaml'), 'utf8')).toBe(before);
    expect(existsSync(join(out, 'globex-staging'))).toBe(false);
  });

  test('two files with the same boundary name are refused', async () => {
    const specs = join(work, 'specs');
    mkdirSync(specs);
    copyFileSync(join(EXAMPLES_DIR, 'acme-prod.yaml'), join(specs, 'a.yaml'));
    copyFileSync(join(EXAMPLES_DIR, 'acme-prod.yaml'), join(specs, 'b.yaml'));
    const r = await pab('synth', specs, '--out', join(work, 'dist'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/PAB-FILE-002/);
  });

  test('--target pulumi writes a ready Pulumi project per boundary, byte-identical on re-run', async () => {
    const out = join(work, 'dist');
    const first = await pab('synth', EXAMPLES_DIR, '--target', 'pulumi', '--out', out);
    expect(first.code).toBe(0);
    for (const name of ['acme-prod', 'globex-staging', 'initech-onprem']) {
      expect(listTree(join(out, name))).toEqual([...REVIEW_FILES, 'pulumi', ...['Pulumi.yaml', `Pulumi.${name}.yaml`, 'index.ts', 'package.json', 'resources.json', 'tsconfig.json'].map((f) => `pulumi/${f}`)].sort());
      expect(first.out).toMatch(new RegExp(`ok  ${name}\\s+pulumi\\s+\\d+ resources \\(component \\+ \\d+ objects\\) → ${out}/${name}/pulumi/`));
    }
    const before = readFileSync(join(out, 'acme-prod/pulumi/resources.json'), 'utf8');
    expect((await pab('synth', EXAMPLES_DIR, '--target', 'pulumi', '--out', out)).code).toBe(0);
    expect(readFileSync(join(out, 'acme-prod/pulumi/resources.json'), 'utf8')).toBe(before);
    expect(listTree(out).filter((p) => p.includes('.pab-tmp'))).toEqual([]);
  });

  test('--target all: Kubernetes, CloudFormation (specs with aws) and Pulumi', async () => {
    const out = join(work, 'dist');
    const r = await pab('synth', join(EXAMPLES_DIR, 'acme-prod.yaml'), '--target', 'all', '--out', out, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).written.map((w: any) => w.target)).toEqual(['kubernetes', 'cloudformation', 'pulumi']);
    expect(listTree(join(out, 'acme-prod')).filter((p) => !p.includes('/'))).toEqual(['cloudformation', 'kubernetes', 'pulumi', ...REVIEW_FILES].sort());
  }, 120000);

  test('--target kubernetes,pulumi on a spec without aws; a broken spec among them writes nothing for either target', async () => {
    const specs = join(work, 'specs');
    const out = join(work, 'dist');
    mkdirSync(specs);
    copyFileSync(join(EXAMPLES_DIR, 'initech-onprem.yaml'), join(specs, 'initech-onprem.yaml'));
    expect((await pab('synth', specs, '--target', 'kubernetes,pulumi', '--out', out)).code).toBe(0);
    expect(listTree(join(out, 'initech-onprem')).filter((p) => !p.includes('/'))).toEqual(['kubernetes', 'pulumi', ...REVIEW_FILES].sort());
    writeFileSync(join(specs, 'zz-broken.yaml'), 'apiVersion: private-ai-boundary/v1\nkind: Boundary\n');
    rmSync(out, { recursive: true, force: true });
    const r = await pab('synth', specs, '--target', 'kubernetes,pulumi', '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/nothing was written/);
    expect(existsSync(out)).toBe(false);
  });

  test('--json reports what was written', async () => {
    const r = await pab('synth', join(EXAMPLES_DIR, 'acme-prod.yaml'), '--out', join(work, 'dist'), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).written).toEqual([expect.objectContaining({ boundary: 'acme-prod', target: 'kubernetes' })]);
  });
});

test('--out that is a file: usage error, exit 2', async () => {
  const notDir = join(work, 'file');
  writeFileSync(notDir, 'x');
  const r = await pab('synth', EXAMPLES_DIR, '--out', notDir);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/exists and is not a directory/);
});

test('an unwritable output: exit 1 with a clear message, previous output unchanged', async () => {
  const out = join(work, 'dist');
  expect((await pab('synth', join(EXAMPLES_DIR, 'acme-prod.yaml'), '--out', out)).code).toBe(0);
  const before = readFileSync(join(out, 'acme-prod/kubernetes/manifests.yaml'), 'utf8');
  writeFileSync(join(out, 'globex-staging'), 'a file where a boundary directory goes');
  const r = await pab('synth', EXAMPLES_DIR, '--out', out);
  expect(r.code).toBe(1);
  expect(r.err).toMatch(/cannot write .* the previous output is unchanged/);
  expect(readFileSync(join(out, 'acme-prod/kubernetes/manifests.yaml'), 'utf8')).toBe(before);
});

describe('usage', () => {
  test.each([[[]], [['frobnicate']], [['synth']], [['synth', EXAMPLES_DIR, '--target', 'helm']], [['validate', '--bogus']]])('%j: exit 2 with usage', async (argv) => {
    const r = await pab(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Usage:/);
  });

  test('--help: exit 0', async () => {
    const r = await pab('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/pab synth/);
  });
});
