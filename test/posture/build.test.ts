import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildPosture, parsePosture, postureOfDist, postureOfPlan, serializePosture } from '../../lib/posture/build';
import { PostureError } from '../../lib/posture/normalize-schema';
import { POSTURE_SCHEMA, type Posture } from '../../lib/posture/types';
import { renderTarget, renderTargetAsync } from '../../lib/synth/targets';
import { examplePlans } from '../helpers/examples';
import { artifactsOf } from './posture-helpers';

const plans = new Map(examplePlans());
const acme = plans.get('acme-prod')!;
const globex = plans.get('globex-staging')!;

let acmeK8s: Posture;
beforeAll(async () => {
  acmeK8s = buildPosture({ boundary: 'acme-prod', artifacts: await artifactsOf(acme, 'kubernetes') });
});

describe('serializePosture / parsePosture', () => {
  test('round-trip: parsing the serialized document gives the same posture and the same bytes', () => {
    const text = serializePosture(acmeK8s);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith(`{\n  "schema": "${POSTURE_SCHEMA}",\n  "boundary": "acme-prod",\n  "owners"`)).toBe(true);
    const parsed = parsePosture(text, 'posture.json');
    expect(parsed).toEqual(JSON.parse(text));
    expect(serializePosture(parsed)).toBe(text);
  });

  test('key order does not depend on how the posture was built', () => {
    const shuffled = JSON.parse(JSON.stringify(acmeK8s, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).reverse()) : v)));
    expect(serializePosture(shuffled)).toBe(serializePosture(acmeK8s));
    expect(serializePosture(acmeK8s)).toMatch(/\{\n {6}"key": "network\//);
  });

  const broken: [string, (doc: any) => void, string][] = [
    ['a wrong schema id', (d) => { d.schema = 'private-ai-boundary/posture/v0'; }, `posture.json: schema: expected "${POSTURE_SCHEMA}"`],
    ['a missing field', (d) => { delete d.network[0].ports; }, 'posture.json: network[0].ports: '],
    ['a value out of its enum', (d) => { d.network[1].ports = [{ protocol: 'sctp', from: 1, to: 2 }]; }, 'posture.json: network[1].ports[0].protocol: '],
    ['an unknown field', (d) => { d.hardening[0].pssLevel = 'restricted'; }, 'posture.json: hardening[0]: unknown field(s) pssLevel'],
    ['an entry without evidence', (d) => { d.identity[0].evidence = []; }, 'posture.json: identity[0].evidence: '],
    ['a repeated key', (d) => { d.redaction[1].key = d.redaction[0].key; }, 'posture.json: redaction[1].key: "redaction/CREDIT_CARD" appears more than once'],
  ];
  test.each(broken)('refuses %s, naming the file and the field', (_what, change, message) => {
    const doc = JSON.parse(serializePosture(acmeK8s));
    change(doc);
    expect(() => parsePosture(JSON.stringify(doc), 'posture.json')).toThrow(PostureError);
    expect(() => parsePosture(JSON.stringify(doc), 'posture.json')).toThrow(message);
  });

  test('refuses text that is not JSON', () => {
    expect(() => parsePosture('{"schema":', 'dist/acme-prod/posture.json')).toThrow(/^dist\/acme-prod\/posture\.json: not JSON: /);
  });
});

describe('postureOfDist', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pab-posture-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('reads dist/<name>/{kubernetes,cloudformation,pulumi} as synth writes them: the same bytes as postureOfPlan', async () => {
    const out = join(dir, 'globex-staging');
    for (const target of ['kubernetes', 'cloudformation', 'pulumi'] as const) {
      const artifact = target === 'pulumi' ? await renderTargetAsync(globex, target) : renderTarget(globex, target);
      for (const f of artifact.files) {
        mkdirSync(dirname(join(out, target, f.path)), { recursive: true });
        writeFileSync(join(out, target, f.path), f.content);
      }
    }
    const fromDist = postureOfDist(out);
    expect(fromDist.sources.map((s) => s.artifact)).toEqual([
      'cloudformation/globex-staging-boundary.template.json', 'kubernetes/manifests.yaml', 'pulumi/resources.json',
    ]);
    expect(serializePosture(fromDist)).toBe(serializePosture(await postureOfPlan(globex)));
  });

  test('a directory without artifacts is a clear error', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(() => postureOfDist(empty)).toThrow(new PostureError(`${empty}: no synthesized artifact (kubernetes/manifests.yaml, cloudformation/*.template.json or pulumi/resources.json) — run pab synth first`));
    expect(() => postureOfDist(join(dir, 'missing'))).toThrow(`${join(dir, 'missing')}: not a directory`);
  });
});

describe('buildPosture', () => {
  test('sources carry each artifact path and the SHA-256 of its bytes', async () => {
    const [artifact] = await artifactsOf(acme, 'kubernetes');
    const { createHash } = await import('node:crypto');
    expect(acmeK8s.sources).toEqual([{ target: 'kubernetes', artifact: 'kubernetes/manifests.yaml', sha256: createHash('sha256').update(artifact.content).digest('hex') }]);
  });

  test('a manifests file that is not Kubernetes objects is refused with its name', () => {
    expect(() => buildPosture({ boundary: 'x', artifacts: [{ target: 'kubernetes', path: 'kubernetes/manifests.yaml', content: 'just: text\n' }] }))
      .toThrow('kubernetes/manifests.yaml: document 1: not a Kubernetes object (kind and metadata.name required)');
    expect(() => buildPosture({ boundary: 'x', artifacts: [{ target: 'cloudformation', path: 'cloudformation/x.template.json', content: '{}' }] }))
      .toThrow('cloudformation/x.template.json: not a CloudFormation template (no Resources)');
    expect(() => buildPosture({ boundary: 'x', artifacts: [] })).toThrow(PostureError);
  });
});
