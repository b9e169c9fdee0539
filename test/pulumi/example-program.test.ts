/**
 * examples/pulumi/index.ts, run as Pulumi runs a program — it registers at load — under the mock runtime: the mocks
 * are installed first, then the program is imported.
 */
import { synthKubernetesObjects } from '../../charts/synth';
import { planBoundary } from '../../lib/plan';
import { Boundary, validateManifest } from '../../lib/spec';
import { pulumiModule } from './pulumi-harness';

test('the example program registers the boundary through its explicit provider, with parity to the Kubernetes target', async () => {
  const m = await pulumiModule();
  let example: typeof import('../../examples/pulumi/index') | undefined;
  const resources = await m.registerWithMocks(async () => {
    example = await import('../../examples/pulumi/index');
  }, { project: 'private-ai-boundary-example', stack: 'dev' });
  const spec = example!.spec;
  expect(validateManifest(spec).problems.filter((p) => p.severity === 'error')).toEqual([]);

  const provider = resources.find((r) => r.type === 'pulumi:providers:kubernetes');
  expect(provider?.name).toBe('cluster');
  const component = resources.find((r) => r.type === 'private-ai-boundary:index:Boundary');
  expect(component?.name).toBe('umbrella-dev');
  expect(component?.outputs?.gatewayUrl).toBe('http://gateway.umbrella-dev-gateway.svc.cluster.local:4000');
  const objects = synthKubernetesObjects(planBoundary(Boundary.fromManifest(spec)));
  expect(m.parityDifferences(objects, resources)).toEqual([]);
  const children = resources.filter((r) => r.type.startsWith('kubernetes:'));
  expect(children.length).toBe(objects.length);
  expect(children.filter((r) => r.parent !== component?.urn || r.provider !== `${provider?.urn}::cluster-id`).map((r) => r.name)).toEqual([]);
});
