import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { BoundaryPlan } from '../plan/boundary-plan';
import { LABEL } from '../plan/names';
import type { PoolPlan } from '../plan/workloads-plan';
import { objectMeta } from './labels';

/** API version of Karpenter's AWS node class. */
export const EC2_NODE_CLASS_API_VERSION = 'karpenter.k8s.aws/v1';
/** API version of Karpenter's NodePool. */
export const NODE_POOL_API_VERSION = 'karpenter.sh/v1';

/**
 * Nodes are replaced at least this often, so a pinned AMI alias bump (and OS patches) reach every node
 * within 30 days even when the pool never scales in.
 */
export const NODE_EXPIRE_AFTER = '720h';

/** Props of {@link GpuNodePool}. */
export interface GpuNodePoolProps {
  /** The plan of the boundary. */
  readonly plan: BoundaryPlan;
  /** The Karpenter-provisioned pool to render (one of `plan.pools` with `provisioner: karpenter`). */
  readonly pool: PoolPlan;
}

/**
 * A Karpenter GPU pool: an `EC2NodeClass` (AMI, instance profile, subnets, security groups, IMDS, encrypted root volume)
 * and a `NodePool` (instance types, capacity type, the pool's labels and GPU taint, disruption, GPU limit).
 * Both are cluster-scoped and named `<boundary>-<pool>`. Subnets and security groups are selected by the tags
 * the AWS target puts on the boundary's models zone, so nodes land only there.
 */
export class GpuNodePool extends Construct {
  /** Name of both objects: `<boundary>-<pool>`. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: GpuNodePoolProps) {
    super(scope, id);
    const { plan, pool } = props;
    this.name = plan.names.gpuPool(pool.name);
    const node = plan.gpuNode;
    const kmsKeyID = plan.names.kmsAliasArn();
    // Validation guarantees both (PAB-GPU-006, PAB-GPU-007): a Karpenter pool has a pinned alias and spec.aws.
    if (pool.provisioner !== 'karpenter' || !pool.amiAlias || !kmsKeyID || !plan.spec.aws || !node) {
      throw new Error(`GpuNodePool: ${this.name}: only a Karpenter pool with an AMI alias in an AWS boundary can be rendered`);
    }
    const modelsZone = { [LABEL.boundary]: plan.name, [LABEL.zone]: 'models' };
    const metadata = objectMeta(plan, this.name, undefined, { [LABEL.gpuPool]: pool.name });

    new ApiObject(this, 'node-class', {
      apiVersion: EC2_NODE_CLASS_API_VERSION,
      kind: 'EC2NodeClass',
      metadata,
      spec: {
        amiSelectorTerms: [{ alias: pool.amiAlias }],
        // The plan's instance profile, never `role`: with a role Karpenter creates instance profiles itself through
        // the IAM API, which has no VPC endpoint — unreachable in a boundary without NAT.
        instanceProfile: node.instanceProfile,
        subnetSelectorTerms: [{ tags: { ...modelsZone } }],
        securityGroupSelectorTerms: [{ tags: { ...modelsZone } }],
        // From the plan: IMDSv2 only, hop limit 1 — pods (one hop further) cannot reach the node role's credentials.
        metadataOptions: { ...node.metadataOptions },
        blockDeviceMappings: [{
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: `${pool.diskGiB}Gi`,
            volumeType: 'gp3',
            encrypted: true,
            kmsKeyID,
            deleteOnTermination: true,
          },
        }],
        tags: { ...plan.commonLabels, [LABEL.gpuPool]: pool.name, [LABEL.zone]: 'models' },
      },
    });

    new ApiObject(this, 'node-pool', {
      apiVersion: NODE_POOL_API_VERSION,
      kind: 'NodePool',
      metadata,
      spec: {
        template: {
          metadata: { labels: { ...pool.labels } },
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: this.name },
            requirements: [
              { key: 'node.kubernetes.io/instance-type', operator: 'In', values: [...pool.instanceTypes] },
              { key: 'karpenter.sh/capacity-type', operator: 'In', values: [pool.capacityType] },
              { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
            ],
            taints: pool.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
            expireAfter: NODE_EXPIRE_AFTER,
          },
        },
        // Only empty nodes are consolidated, one at a time: a running model is never evicted to save cost
        // (reloading weights takes many minutes).
        disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: '10m', budgets: [{ nodes: '1' }] },
        limits: { 'nvidia.com/gpu': String(pool.maxNodes * pool.gpusPerNode) },
      },
    });
  }
}
