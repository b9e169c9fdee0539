import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../lib/cli/main';
import type { CliIo } from '../../lib/cli/report';
import { EXAMPLES_DIR, TEST_NOW } from '../helpers/examples';

/**
 * `pab posture`, `pab diff`, `pab evidence` and the review files `pab synth` writes, on the customer-run example
 * (Kubernetes and Pulumi targets only, so no CloudFormation synthesis slows the suite).
 */
interface Run { code: number; out: string; err: string }

async function pab(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => { out += t; }, err: (t) => { err += t; }, now: () => TEST_NOW };
  return { code: await main(argv, io), out, err };
}

const INITECH = join(EXAMPLES_DIR, 'initech-onprem.yaml');
let work: string;
beforeEach(() => { work = mkdtempSync(join(tmpdir(), 'pab-review-')); });
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the initech example with text replaced (the replacement must apply). */
function variant(name: string, ...edits: [string, string][]): string {
  let text = readFileSync(INITECH, 'utf8');
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`test setup: ${from} not in the example`);
    text = text.replace(from, to);
  }
  const file = join(work, name);
  writeFileSync(file, text);
  return file;
}

describe('pab synth writes the review files beside the target directories', () => {
  test('posture.json (read back from what was written), evidence.md and a self-contained evidence.html; byte-identical on re-run', async () => {
    const out = join(work, 'dist');
    expect((await pab('synth', INITECH, '--target', 'kubernetes', '--out', out)).code).toBe(0);
    const dir = join(out, 'initech-onprem');
    const posture = JSON.parse(readFileSync(join(dir, 'posture.json'), 'utf8'));
    expect(posture.sources.map((s: any) => s.artifact)).toEqual(['kubernetes/manifests.yaml']);
    expect(posture.network.length).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'evidence.md'), 'utf8')).toMatch(/^# Evidence report: initech-onprem/);
    const html = readFileSync(join(dir, 'evidence.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/(src|href)="https?:/);
    const first = ['posture.json', 'evidence.md', 'evidence.html'].map((f) => readFileSync(join(dir, f), 'utf8'));
    expect((await pab('synth', INITECH, '--target', 'kubernetes', '--out', out)).code).toBe(0);
    expect(['posture.json', 'evidence.md', 'evidence.html'].map((f) => readFileSync(join(dir, f), 'utf8'))).toEqual(first);
  });

  test('an invalid spec writes no review file either', async () => {
    const bad = variant('bad.yaml', ['cidr: 172.20.0.0/16', 'cidr: 172.20.0.0/33']);
    const out = join(work, 'dist');
    expect((await pab('synth', bad, '--out', out)).code).toBe(1);
    expect(() => readFileSync(join(out, 'initech-onprem', 'posture.json'))).toThrow();
  });
});

describe('pab posture', () => {
  test('a spec, its output directory and its posture.json give the same posture', async () => {
    const out = join(work, 'dist');
    expect((await pab('synth', INITECH, '--target', 'kubernetes,pulumi', '--out', out)).code).toBe(0);
    const fromSpec = await pab('posture', INITECH);
    const fromDist = await pab('posture', join(out, 'initech-onprem'));
    const fromFile = await pab('posture', join(out, 'initech-onprem', 'posture.json'));
    expect([fromSpec.code, fromDist.code, fromFile.code]).toEqual([0, 0, 0]);
    expect(fromDist.out).toBe(fromSpec.out);
    expect(fromFile.out).toBe(fromSpec.out);
  });

  test('user mistakes: exit 1 with the reason, never a stack trace; wrong arguments: exit 2', async () => {
    const missing = await pab('posture', join(work, 'nope.yaml'));
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no such file or directory');
    const empty = await pab('posture', work);
    expect(empty.code).toBe(1);
    expect(empty.err).toMatch(/no synthesized artifact .* run pab synth first/);
    const invalid = await pab('posture', variant('bad.yaml', ['cidr: 172.20.0.0/16', 'cidr: 172.20.0.0/33']));
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/bad\.yaml:\d+:\d+ spec\.network\.cidr \[PAB-NET-001\]/);
    for (const r of [missing, empty, invalid]) expect(r.err).not.toMatch(/\n\s+at /);
    expect((await pab('posture', INITECH, INITECH)).code).toBe(2);
  });
});

describe('pab diff', () => {
  const widened = (): string => variant('after.yaml', ['cidr: 192.168.50.0/24', 'cidr: 192.168.0.0/16']);

  test('a widened consumer CIDR is broadening: reported first, exit 3 with --fail-on broadening, exit 0 without', async () => {
    const after = widened();
    const gated = await pab('diff', INITECH, after, '--fail-on', 'broadening');
    expect(gated.code).toBe(3);
    expect(gated.out.split('\n')[0]).toMatch(/^security diff initech-onprem: [1-9]\d* broadening/);
    expect(gated.out).toContain('192.168.50.0/24 → 192.168.0.0/16');
    expect((await pab('diff', INITECH, after)).code).toBe(0);
  });

  test('the reverse change is narrowing and passes the gate', async () => {
    const r = await pab('diff', widened(), INITECH, '--fail-on', 'broadening');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/0 broadening · 0 undetermined · [1-9]\d* narrowing/);
  });

  test('acknowledged broadening passes the gate until the acknowledgement expires', async () => {
    const after = widened();
    const keys = (JSON.parse((await pab('diff', INITECH, after, '--format', 'json')).out).changes as any[])
      .filter((c) => c.kind === 'broadening').map((c) => c.key);
    expect(keys.length).toBeGreaterThan(0);
    const ack = (expires: string): string => {
      const file = join(work, `ack-${expires}.yaml`);
      writeFileSync(file, `acknowledgements:\n${keys.map((k) => `  - key: ${JSON.stringify(k)}\n    reason: office VPN moves to the /16 (INC-42)\n    ticket: SEC-42\n    expires: ${expires}\n`).join('')}`);
      return file;
    };
    expect((await pab('diff', INITECH, after, '--fail-on', 'broadening', '--ack', ack('2027-01-31'))).code).toBe(0);
    const expired = await pab('diff', INITECH, after, '--fail-on', 'broadening', '--ack', ack('2026-11-01'));
    expect(expired.code).toBe(3);
  });

  test('a malformed acknowledgements file: exit 1, file:line:col and the field', async () => {
    const file = join(work, 'ack.yaml');
    writeFileSync(file, 'acknowledgements:\n  - key: network/x\n    reason: ok then\n    ticket: SEC-1\n    expires: next week\n');
    const r = await pab('diff', INITECH, INITECH, '--ack', file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:5:\\d+`));
    expect(r.err).toContain('expires');
  });

  test('every output format; an unknown one is a usage error', async () => {
    const after = widened();
    expect(JSON.parse((await pab('diff', INITECH, after, '--format', 'json')).out).changes.length).toBeGreaterThan(0);
    expect((await pab('diff', INITECH, after, '--format', 'md')).out).toMatch(/^#+ /m);
    const sarif = JSON.parse((await pab('diff', INITECH, after, '--format', 'sarif')).out);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    expect((await pab('diff', INITECH, after, '--format', 'xml')).code).toBe(2);
    expect((await pab('diff', INITECH, after, '--fail-on', 'sometimes')).code).toBe(2);
  });
});

describe('the README example change (examples/changes)', () => {
  test('acme-prod → acme-prod-next: the output README shows (summary line, gate, acknowledged keys), exit 3', async () => {
    const changes = join(EXAMPLES_DIR, '..', 'changes');
    const r = await pab('diff', join(EXAMPLES_DIR, 'acme-prod.yaml'), join(changes, 'acme-prod-next.yaml'),
      '--fail-on', 'broadening', '--ack', join(changes, 'acme-prod-acks.yaml'));
    expect(r.code).toBe(3);
    const readme = readFileSync(join(EXAMPLES_DIR, '..', '..', 'README.md'), 'utf8');
    // Every line of the real output appears verbatim in the README.
    expect(r.out.split('\n').filter((l) => l.trim() !== '' && !readme.includes(l))).toEqual([]);
    expect(r.out).toMatch(/^security diff acme-prod: 10 broadening \(2 acknowledged\) · 0 undetermined · 1 narrowing/);
  });
});

describe('pab evidence', () => {
  test('Markdown on stdout by default; one HTML file with --format html --out', async () => {
    const md = await pab('evidence', INITECH);
    expect(md.code).toBe(0);
    expect(md.out).toMatch(/network isolation/i);
    const file = join(work, 'evidence.html');
    const html = await pab('evidence', INITECH, '--format', 'html', '--out', file);
    expect(html.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    expect((await pab('evidence', INITECH, '--format', 'pdf')).code).toBe(2);
  });
});
