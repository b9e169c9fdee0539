import { buildPosture, serializePosture } from '../../lib/posture/build';
import { PostureError } from '../../lib/posture/normalize-schema';
import { kubernetesObjectsFromPulumi, parsePulumiResources, PulumiResourcesReadError } from '../../lib/posture/read-pulumi';
import type { Posture } from '../../lib/posture/types';
import { examplePlans, objectsOf } from '../helpers/examples';
import { artifactsOf } from './posture-helpers';

/** Everything but the sources (which name the artifact each target wrote). */
function withoutSources(p: Posture): string {
  return serializePosture({ ...p, sources: [] });
}

/**
 * The Kubernetes target (manifests.yaml) and the Pulumi target (resources.json, rendered by renderTargetAsync) of one
 * spec deploy the same objects, so their postures are identical — evidence refs included (`<kind>/<namespace>/<name>`).
 */
describe.each(examplePlans())('%s: Kubernetes and Pulumi targets', (name, plan) => {
  test('have identical postures (only the sources differ)', async () => {
    const k8s = buildPosture({ boundary: name, artifacts: await artifactsOf(plan, 'kubernetes') });
    const pulumi = buildPosture({ boundary: name, artifacts: await artifactsOf(plan, 'pulumi') });
    expect(pulumi.sources.map((s) => s.artifact)).toEqual(['pulumi/resources.json']);
    expect(k8s.sources.map((s) => s.artifact)).toEqual(['kubernetes/manifests.yaml']);
    expect(k8s.network.length).toBeGreaterThan(0);
    expect(withoutSources(pulumi)).toBe(withoutSources(k8s));
  });

  test('resources.json holds exactly the objects of manifests.yaml', async () => {
    const [artifact] = await artifactsOf(plan, 'pulumi');
    const objects = kubernetesObjectsFromPulumi(parsePulumiResources(artifact.content, artifact.path), artifact.path);
    const key = (o: { kind: string; metadata: { name: string; namespace?: string } }) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    expect(objects.map(key).sort()).toEqual(objectsOf(plan).map(key).sort());
  });

  test('read together, both targets give one posture citing both sources', async () => {
    const both = buildPosture({ boundary: name, artifacts: [...await artifactsOf(plan, 'kubernetes'), ...await artifactsOf(plan, 'pulumi')] });
    const k8s = buildPosture({ boundary: name, artifacts: await artifactsOf(plan, 'kubernetes') });
    expect(both.sources.map((s) => s.target)).toEqual(['kubernetes', 'pulumi']);
    expect(withoutSources(both)).toBe(withoutSources(k8s));
  });
});

describe('a Pulumi resources.json that disagrees with the manifests', () => {
  const [name, plan] = examplePlans()[0];

  test('is refused: the targets must deploy the same objects', async () => {
    const [artifact] = await artifactsOf(plan, 'pulumi');
    const doc = JSON.parse(artifact.content);
    const policy = doc.resources.find((r: any) => r.inputs?.kind === 'NetworkPolicy' && r.inputs.metadata.name === 'default-deny');
    policy.inputs.spec.policyTypes = ['Ingress'];
    const edited = { ...artifact, content: JSON.stringify(doc) };
    const manifests = await artifactsOf(plan, 'kubernetes');
    expect(() => buildPosture({ boundary: name, artifacts: [...manifests, edited] }))
      .toThrow(new PostureError(`${name}: kubernetes/manifests.yaml and pulumi/resources.json describe different Kubernetes objects — the targets must render the same objects`));
  });

  test('a malformed resources.json names the file and the entry', () => {
    expect(() => parsePulumiResources('{"resources": [{"type": 1}]}', 'pulumi/resources.json')).toThrow(PulumiResourcesReadError);
    expect(() => parsePulumiResources('{"resources": [{"type": 1}]}', 'pulumi/resources.json')).toThrow('pulumi/resources.json: resources[0]: type and name must be strings');
    expect(() => parsePulumiResources('nope', 'x/resources.json')).toThrow(/^x\/resources\.json: not JSON/);
    expect(() => kubernetesObjectsFromPulumi([{ type: 'kubernetes:core/v1:Namespace', name: 'n', inputs: {} }], 'r.json'))
      .toThrow('r.json: kubernetes:core/v1:Namespace n: inputs are not a Kubernetes object (apiVersion, kind and metadata.name required)');
  });
});
