/**
 * The project `pab synth --target pulumi` writes: project and stack files, the program (type-checked against the
 * library), package pins, and resources.json — sorted, deterministic, and the same resources the component registers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { parse } from 'yaml';
import { hooliDev } from '../../examples/typescript/boundary-in-code';
import { synthKubernetesObjects } from '../../charts/synth';
import { planBoundary, type BoundaryPlan } from '../../lib/plan';
import { Boundary } from '../../lib/spec';
import { examplePlans, exampleVariant, TEST_NOW } from '../helpers/examples';
import { pulumiModule, registerPlan } from './pulumi-harness';

const ROOT = join(__dirname, '..', '..');
const plans = examplePlans();
const rendered = new Map<string, Promise<Awaited<ReturnType<Awaited<ReturnType<typeof pulumiModule>>['renderPulumiProject']>>>>();
const render = (plan: BoundaryPlan) => {
  if (!rendered.has(plan.name)) rendered.set(plan.name, pulumiModule().then((m) => m.renderPulumiProject(plan)));
  return rendered.get(plan.name)!;
};
const file = async (plan: BoundaryPlan, path: string): Promise<string> => {
  const f = (await render(plan)).files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path}`);
  return f.content;
};

describe.each(plans)('%s', (name, plan) => {
  test('the files of a ready project, in a stable order', async () => {
    expect((await render(plan)).files.map((f) => f.path)).toEqual(['Pulumi.yaml', `Pulumi.${name}.yaml`, 'index.ts', 'package.json', 'tsconfig.json', 'resources.json']);
  });

  test('Pulumi.yaml: the private-ai-boundary project on the Node.js runtime, TypeScript', async () => {
    const project = parse(await file(plan, 'Pulumi.yaml'));
    expect(project).toEqual({ name: 'private-ai-boundary', description: expect.stringContaining(name), runtime: { name: 'nodejs', options: { typescript: true } } });
  });

  test('the stack config holds the spec and round-trips: same resolved spec, same Kubernetes objects', async () => {
    const config = parse(await file(plan, `Pulumi.${name}.yaml`)).config;
    expect(Object.keys(config)).toEqual(['private-ai-boundary:spec']);
    const back = Boundary.fromManifest(config['private-ai-boundary:spec'], { now: TEST_NOW });
    expect(back.spec).toEqual(plan.spec);
    expect(synthKubernetesObjects(planBoundary(back))).toEqual(synthKubernetesObjects(plan));
    expect(config['private-ai-boundary:spec'].spec.kubernetes.version).toBe(plan.spec.kubernetes.version); // a string, never 1.3
  });

  test('package.json pins @pulumi/pulumi 3.248.0, @pulumi/kubernetes 4.34.2 and this package at its version', async () => {
    const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const pkg = JSON.parse(await file(plan, 'package.json'));
    expect(pkg.dependencies).toEqual({ '@pulumi/pulumi': '3.248.0', '@pulumi/kubernetes': '4.34.2', 'private-ai-boundary': own.version });
    expect(pkg.name).not.toBe('private-ai-boundary'); // npm refuses a dependency named like the project
  });

  test('resources.json lists what the component registers, sorted, and is byte-identical on a second run', async () => {
    const m = await pulumiModule();
    const doc = JSON.parse(await file(plan, 'resources.json'));
    expect([doc.project, doc.stack]).toEqual(['private-ai-boundary', name]);
    const order = doc.resources.map((r: any) => [r.parent === undefined ? 0 : 1, r.type, r.name]);
    const sorted = [...order].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
    expect(order).toEqual(sorted);
    const registered = (await registerPlan(plan)).resources.length;
    expect(doc.resources).toHaveLength(registered);
    expect(doc.resources[0]).toEqual(expect.objectContaining({ type: 'private-ai-boundary:index:Boundary', name, urn: `urn:pulumi:${name}::private-ai-boundary::private-ai-boundary:index:Boundary::${name}` }));
    const again = await m.renderPulumiProject(plan);
    expect(again.files.find((f) => f.path === 'resources.json')!.content).toBe(await file(plan, 'resources.json'));
    const text = await file(plan, 'resources.json');
    expect(text.includes(ROOT)).toBe(false); // no absolute path of this checkout
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/); // no timestamp
  });
});

test('the program is the same for every boundary and type-checks against the library (private-ai-boundary/pulumi)', async () => {
  const programs = new Set(await Promise.all(plans.map(([, plan]) => file(plan, 'index.ts'))));
  expect(programs.size).toBe(1);
  const [program] = programs;
  expect(program).toMatch(/import \{ PrivateAiBoundary \} from 'private-ai-boundary\/pulumi';/);
  expect(program).toMatch(/new PrivateAiBoundary\(spec\.metadata\.name, \{ spec \}\)/);
  // Compile it as the generated tsconfig.json does, with private-ai-boundary/pulumi mapped to this checkout.
  const [, plan] = plans[0];
  const tsconfig = JSON.parse(await file(plan, 'tsconfig.json')).compilerOptions;
  const options = ts.convertCompilerOptionsFromJson(tsconfig, ROOT).options;
  const indexTs = join(ROOT, '.pab-pulumi-program', 'index.ts');
  const host = ts.createCompilerHost({ ...options, noEmit: true });
  const readFile = host.readFile.bind(host);
  host.readFile = (f) => (f === indexTs ? program : readFile(f));
  host.fileExists = ((exists) => (f: string) => f === indexTs || exists(f))(host.fileExists.bind(host));
  const compiled = ts.createProgram([indexTs], {
    ...options, noEmit: true, types: ['node'], baseUrl: ROOT, paths: { 'private-ai-boundary/pulumi': ['lib/pulumi/index.ts'] },
  }, host);
  const diagnostics = ts.getPreEmitDiagnostics(compiled).filter((d) => d.file?.fileName === indexTs || !d.file);
  expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
}, 120000);

describe('the stack manifest round-trips for specs beyond the examples', () => {
  const CERT = 'arn:aws:acm:eu-central-1:111122223333:certificate/12345678-aaaa-bbbb-cccc-111122223333';
  test.each([
    ['hooli-dev (TypeScript example: existing cluster store, state CIDRs, audit bucket)', () => planBoundary(Boundary.fromManifest(hooliDev, { now: TEST_NOW }))],
    ['acme-prod with labels and a public ingress', () => exampleVariant('acme-prod', (m) => {
      m.metadata.labels = { 'cost-center': 'ai-42' };
      Object.assign(m.spec.network, { ingress: 'public', waf: true, tlsCertificateArn: CERT, publicIngressReason: 'ACME-77 partners' });
    })],
  ])('%s', async (_name, make) => {
    const m = await pulumiModule();
    const plan = make();
    expect(Boundary.fromManifest(m.stackManifest(plan.spec), { now: TEST_NOW }).spec).toEqual(plan.spec);
  });
});
