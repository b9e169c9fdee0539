import { App, Chart } from 'cdk8s';
import { GpuNodePool } from '../../lib/k8s/gpu-node-pool';
import { ModelRuntime } from '../../lib/k8s/model-runtime';
import type { K8sObject } from '../../lib/k8s/k8s-object';
import type { BoundaryPlan } from '../../lib/plan';
import { examplePlans, objectsOf, ofKind } from '../helpers/examples';
import { validateK8sObjects } from '../helpers/k8s-schema';

/** Karpenter pools and model runtimes of a plan, in their own chart (no dependency on the other constructs). */
function render(plan: BoundaryPlan): K8sObject[] {
  const chart = new Chart(new App({ recordConstructMetadata: false }), 'test', { disableResourceNameHashes: true });
  for (const pool of plan.pools.filter((p) => p.provisioner === 'karpenter')) new GpuNodePool(chart, `pool-${pool.name}`, { plan, pool });
  for (const model of plan.models) new ModelRuntime(chart, `model-${model.name}`, { plan, model });
  return chart.toJson() as K8sObject[];
}

/** Whether a toleration tolerates a taint (https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/). */
function tolerates(t: any, taint: { key: string; value?: string; effect: string }): boolean {
  const effect = t.effect === undefined || t.effect === '' || t.effect === taint.effect;
  const key = t.key === taint.key || ((t.key === undefined || t.key === '') && t.operator === 'Exists');
  const value = t.operator === 'Exists' || t.value === taint.value;
  return effect && key && value;
}

/** Karpenter pools each example declares: pinned, so a spec change that drops or adds one is noticed. */
const KARPENTER_POOLS: Record<string, string[]> = { 'acme-prod': [], 'globex-staging': ['a10g'], 'initech-onprem': [] };

describe.each(examplePlans())('GpuNodePool: %s', (name, plan) => {
  const objects = render(plan);
  const nodeClasses: any[] = ofKind(objects, 'EC2NodeClass');
  const nodePools: any[] = ofKind(objects, 'NodePool');
  const karpenterPools = plan.spec.gpuNodePools.filter((p) => p.provisioner === 'karpenter');

  test('only Karpenter pools get an EC2NodeClass and a NodePool, named <boundary>-<pool>, cluster-scoped', () => {
    expect(karpenterPools.map((p) => p.name)).toEqual(KARPENTER_POOLS[name]);
    const expected = karpenterPools.map((p) => `${name}-${p.name}`);
    for (const list of [nodeClasses, nodePools, ofKind(objectsOf(plan), 'EC2NodeClass'), ofKind(objectsOf(plan), 'NodePool')]) {
      expect(list.map((o) => o.metadata.name)).toEqual(expected);
      expect(list.map((o) => o.metadata.namespace)).toEqual(expected.map(() => undefined));
    }
    for (const o of [...nodeClasses, ...nodePools]) expect(o.metadata.labels).toEqual(expect.objectContaining(plan.commonLabels));
  });

  test('every object passes offline schema validation', () => {
    expect(validateK8sObjects([...nodeClasses, ...nodePools])).toEqual([]);
  });

  test('IMDSv2 only, hop limit 1, as the plan says', () => {
    expect(nodeClasses.map((nc) => nc.spec.metadataOptions)).toEqual(nodeClasses.map(() => ({
      httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required',
    })));
    expect(nodeClasses.map((nc) => nc.spec.metadataOptions)).toEqual(nodeClasses.map(() => plan.gpuNode?.metadataOptions));
    expect(plan.gpuNode?.metadataOptions).toEqual(plan.spec.aws ? {
      httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required',
    } : undefined);
  });

  test('root volume encrypted with the boundary CMK alias, sized from the spec', () => {
    const aws = plan.spec.aws;
    expect(nodeClasses.map((nc) => nc.spec.blockDeviceMappings)).toEqual(karpenterPools.map((p) => [{
      deviceName: '/dev/xvda',
      ebs: {
        volumeSize: `${p.diskGiB}Gi`, volumeType: 'gp3', encrypted: true, deleteOnTermination: true,
        kmsKeyID: `arn:aws:kms:${aws?.region}:${aws?.account}:alias/${name}-boundary`,
      },
    }]));
  });

  test('AMI alias is the spec alias, pinned to a release (never @latest)', () => {
    const aliases = nodeClasses.map((nc) => nc.spec.amiSelectorTerms);
    expect(aliases).toEqual(karpenterPools.map((p) => [{ alias: p.amiAlias }]));
    for (const [term] of aliases) {
      expect(term.alias).toMatch(/^(al2023|bottlerocket)@v\d[\d.]*$/);
      expect(term.alias).not.toMatch(/latest/);
    }
  });

  test('nodes use the planned gpu-node instance profile (no IAM call from Karpenter) and land only in the boundary models zone', () => {
    const zone = { 'private-ai-boundary.io/boundary': name, 'private-ai-boundary.io/zone': 'models' };
    expect(plan.gpuNode?.instanceProfile).toBe(plan.spec.aws ? `${name}-gpu-node` : undefined);
    expect(plan.names.instanceProfile('gpu-node')).toBe(`${name}-gpu-node`);
    for (const nc of nodeClasses) {
      expect(nc.spec.instanceProfile).toBe(`${name}-gpu-node`);
      // With `role`, Karpenter creates instance profiles through IAM, which has no VPC endpoint.
      expect(nc.spec.role).toBeUndefined();
      expect(nc.spec.subnetSelectorTerms).toEqual([{ tags: zone }]);
      expect(nc.spec.securityGroupSelectorTerms).toEqual([{ tags: zone }]);
      expect(nc.spec.associatePublicIPAddress).toBeUndefined();
    }
  });

  test('NodePool: spec instance types and capacity, own node class, GPU limit, gentle disruption', () => {
    expect(nodePools.map((np) => np.spec)).toEqual(karpenterPools.map((p) => expect.objectContaining({
      limits: { 'nvidia.com/gpu': String(p.maxNodes * p.gpusPerNode) },
      disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: '10m', budgets: [{ nodes: '1' }] },
    })));
    expect(nodePools.map((np) => np.spec.template.spec)).toEqual(karpenterPools.map((p) => expect.objectContaining({
      nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: `${name}-${p.name}` },
      requirements: [
        { key: 'node.kubernetes.io/instance-type', operator: 'In', values: p.instanceTypes },
        { key: 'karpenter.sh/capacity-type', operator: 'In', values: [p.capacityType] },
        { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
      ],
      expireAfter: '720h',
    })));
  });

  test('nodes carry exactly the labels and taints of the pool plan', () => {
    expect(nodePools.map((np) => [np.spec.template.metadata.labels, np.spec.template.spec.taints]))
      .toEqual(karpenterPools.map((p) => {
        const pool = plan.pools.find((pp) => pp.name === p.name)!;
        return [pool.labels, pool.taints];
      }));
    for (const np of nodePools) expect(np.spec.template.spec.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
  });

  test('every model on a Karpenter pool selects its nodes and tolerates their taints', () => {
    const placed = plan.spec.models.filter((m) => karpenterPools.some((p) => p.name === m.nodePool));
    const views = placed.map((m) => {
      const pod = (ofKind(objects, 'Deployment').find((d) => d.metadata.name === `vllm-${m.name}`) as any).spec.template.spec;
      const np = nodePools.find((o) => o.metadata.name === `${name}-${m.nodePool}`);
      const labels = np.spec.template.metadata.labels;
      return {
        selectsPool: Object.entries(pod.nodeSelector).every(([k, v]) => labels[k] === v),
        toleratesAll: np.spec.template.spec.taints.every((t: any) => pod.tolerations.some((tol: any) => tolerates(tol, t))),
        // No other pool's nodes match the selector.
        otherPools: nodePools.filter((o) => o !== np && Object.entries(pod.nodeSelector).every(([k, v]) => o.spec.template.metadata.labels[k] === v)).length,
      };
    });
    expect(views).toEqual(placed.map(() => ({ selectsPool: true, toleratesAll: true, otherPools: 0 })));
    expect(placed.length).toBe(name === 'globex-staging' ? 1 : 0);
  });
});

describe('GpuNodePool: the node class follows the plan', () => {
  test('instance profile and metadata options come from plan.gpuNode, not from the renderer', () => {
    const plan = examplePlans().find(([n]) => n === 'globex-staging')![1];
    const gpuNode = { ...plan.gpuNode!, instanceProfile: 'from-the-plan', metadataOptions: { ...plan.gpuNode!.metadataOptions, httpProtocolIPv6: 'enabled' } };
    const nodeClasses: any[] = ofKind(render({ ...plan, gpuNode } as BoundaryPlan), 'EC2NodeClass');
    expect(nodeClasses.map((nc) => [nc.spec.instanceProfile, nc.spec.metadataOptions])).toEqual([['from-the-plan', gpuNode.metadataOptions]]);
  });
});

describe('GpuNodePool: guards', () => {
  test('refuses a plan without gpuNode (no AWS node settings)', () => {
    const plan = examplePlans().find(([n]) => n === 'globex-staging')![1];
    const pool = plan.pools.find((p) => p.provisioner === 'karpenter')!;
    const chart = new Chart(new App({ recordConstructMetadata: false }), 'test', { disableResourceNameHashes: true });
    expect(() => new GpuNodePool(chart, 'pool', { plan: { ...plan, gpuNode: undefined }, pool })).toThrow(/Karpenter/);
  });

  test('refuses a managed-node-group pool', () => {
    const plan = examplePlans().find(([n]) => n === 'acme-prod')![1];
    const chart = new Chart(new App({ recordConstructMetadata: false }), 'test', { disableResourceNameHashes: true });
    expect(() => new GpuNodePool(chart, 'pool', { plan, pool: plan.pools[0] })).toThrow(/Karpenter/);
  });
});
