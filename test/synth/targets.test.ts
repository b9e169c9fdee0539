import { ASYNC_TARGETS, IMPLEMENTED_TARGETS, renderTarget, renderTargetAsync, TARGETS } from '../../lib/synth/targets';
import { examplePlans } from '../helpers/examples';

const [[, acme]] = examplePlans();

test('every target is implemented', () => {
  expect([...IMPLEMENTED_TARGETS].sort()).toEqual([...TARGETS].sort());
});

test('renderTargetAsync renders a synchronous target exactly as renderTarget does', async () => {
  expect(await renderTargetAsync(acme, 'kubernetes')).toEqual(renderTarget(acme, 'kubernetes'));
});

test('the Pulumi target renders asynchronously only: renderTarget says which function to use', () => {
  expect(ASYNC_TARGETS).toEqual(['pulumi']);
  expect(() => renderTarget(acme, 'pulumi')).toThrow(/renders asynchronously .* use renderTargetAsync/);
});

test('renderTargetAsync renders the Pulumi project: files and a summary counting the resources', async () => {
  const artifact = await renderTargetAsync(acme, 'pulumi');
  expect(artifact.files.map((f) => f.path)).toEqual(['Pulumi.yaml', 'Pulumi.acme-prod.yaml', 'index.ts', 'package.json', 'tsconfig.json', 'resources.json']);
  const resources = JSON.parse(artifact.files[5].content).resources;
  expect(artifact.summary).toBe(`${resources.length} resources (component + ${resources.length - 1} objects)`);
});
