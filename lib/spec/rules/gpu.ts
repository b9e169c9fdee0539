import { show } from '../problems';
import type { RuleContext } from './context';

/**
 * GPUs per instance for the GPU inference families (AWS EC2 accelerated-computing instance specs).
 * Types not listed are accepted with a warning, since their GPU count cannot be checked.
 */
export const GPU_COUNT: Readonly<Record<string, number>> = {
  'g5.xlarge': 1, 'g5.2xlarge': 1, 'g5.4xlarge': 1, 'g5.8xlarge': 1, 'g5.16xlarge': 1, 'g5.12xlarge': 4, 'g5.24xlarge': 4, 'g5.48xlarge': 8,
  'g6.xlarge': 1, 'g6.2xlarge': 1, 'g6.4xlarge': 1, 'g6.8xlarge': 1, 'g6.16xlarge': 1, 'g6.12xlarge': 4, 'g6.24xlarge': 4, 'g6.48xlarge': 8,
  'g6e.xlarge': 1, 'g6e.2xlarge': 1, 'g6e.4xlarge': 1, 'g6e.8xlarge': 1, 'g6e.16xlarge': 1, 'g6e.12xlarge': 4, 'g6e.24xlarge': 4, 'g6e.48xlarge': 8,
  'p4d.24xlarge': 8, 'p4de.24xlarge': 8, 'p5.48xlarge': 8, 'p5e.48xlarge': 8, 'p5en.48xlarge': 8,
};

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const AMI_ALIAS = /^(al2023|bottlerocket)@v\d{8}$|^bottlerocket@v\d+\.\d+\.\d+$/;

/** PAB-GPU-*: pool sizes, instance GPU counts, pinned Karpenter AMIs, model placement. */
export function gpuRules(ctx: RuleContext): void {
  const { spec, problems } = ctx;
  spec.gpuNodePools.forEach((p, i) => {
    const path = ['spec', 'gpuNodePools', i];
    if (p.instanceTypes.length === 0) problems.error('PAB-GPU-001', [...path, 'instanceTypes'], 'list at least one instance type');
    if (p.gpusPerNode < 1 || p.gpusPerNode > 16) problems.error('PAB-GPU-002', [...path, 'gpusPerNode'], `${p.gpusPerNode} is out of range — use 1 to 16`);
    p.instanceTypes.forEach((t, j) => {
      if (!INSTANCE_TYPE.test(t)) {
        problems.error('PAB-GPU-001', [...path, 'instanceTypes', j], `${show(t)} is not an EC2 instance type like g6.2xlarge`);
      } else if (GPU_COUNT[t] === undefined) {
        problems.warn('PAB-GPU-003', [...path, 'instanceTypes', j], `${t} is not a known GPU instance type — its GPU count cannot be checked against gpusPerNode`);
      } else if (GPU_COUNT[t] !== p.gpusPerNode) {
        problems.error('PAB-GPU-003', [...path, 'instanceTypes', j], `${t} has ${GPU_COUNT[t]} GPU(s) but gpusPerNode is ${p.gpusPerNode} — every type in a pool must match`);
      }
    });
    if (p.minNodes < 0) problems.error('PAB-GPU-004', [...path, 'minNodes'], `${p.minNodes} is negative`);
    if (p.maxNodes < 1 || p.maxNodes < p.minNodes) {
      problems.error('PAB-GPU-004', [...path, 'maxNodes'], `${p.maxNodes} must be ≥ 1 and ≥ minNodes (${p.minNodes})`);
    }
    if (p.diskGiB < 50 || p.diskGiB > 16384) problems.error('PAB-GPU-005', [...path, 'diskGiB'], `${p.diskGiB} is out of range — use 50 to 16384 GiB`);
    if (p.provisioner === 'karpenter') {
      if (!p.amiAlias || !AMI_ALIAS.test(p.amiAlias)) {
        problems.error('PAB-GPU-006', [...path, 'amiAlias'], `${show(p.amiAlias)} — Karpenter pools need an AMI alias pinned to a release, e.g. al2023@v20251117 (never @latest)`);
      }
      if (!spec.aws) problems.error('PAB-GPU-007', [...path, 'provisioner'], 'karpenter provisions EC2 instances and needs spec.aws — use managed-node-group on a customer-run cluster');
      if (p.minNodes > 0) {
        // A Karpenter NodePool has no minimum size: nodes are launched for pending pods and removed when empty.
        problems.warn('PAB-GPU-014', [...path, 'minNodes'],
          `${p.minNodes} is ignored: Karpenter provisions nodes on demand, for pending pods, and keeps none warm — use provisioner: managed-node-group to keep ${p.minNodes} node(s) running`);
      }
    } else if (p.amiAlias !== undefined) {
      problems.warn('PAB-GPU-006', [...path, 'amiAlias'], 'is ignored: only Karpenter pools select an AMI alias');
    }
  });

  const pools = new Map(spec.gpuNodePools.map((p) => [p.name, p]));
  spec.models.forEach((m, i) => {
    const path = ['spec', 'models', i];
    const pool = pools.get(m.nodePool);
    if (!pool) {
      problems.error('PAB-REF-001', [...path, 'nodePool'], `${show(m.nodePool)} is not a declared GPU node pool — declared: ${list(pools.keys())}`);
    } else if (m.gpus > pool.gpusPerNode) {
      problems.error('PAB-GPU-008', [...path, 'gpus'], `${m.gpus} GPUs per replica exceed pool "${pool.name}" (${pool.gpusPerNode} per node) — use ≤ ${pool.gpusPerNode} or a larger pool`);
    } else if (m.replicas > pool.maxNodes * Math.floor(pool.gpusPerNode / m.gpus)) {
      problems.warn('PAB-GPU-009', [...path, 'replicas'], `${m.replicas} replicas cannot all fit on pool "${pool.name}" (at most ${pool.maxNodes * Math.floor(pool.gpusPerNode / m.gpus)})`);
    }
    if (m.gpus < 1) problems.error('PAB-GPU-008', [...path, 'gpus'], `${m.gpus} — a model runtime needs at least 1 GPU`);
    if (m.replicas < 1 || m.replicas > 64) problems.error('PAB-GPU-010', [...path, 'replicas'], `${m.replicas} is out of range — use 1 to 64`);
    if (m.maxModelLen !== undefined && (m.maxModelLen < 256 || m.maxModelLen > 10_000_000)) {
      problems.error('PAB-GPU-011', [...path, 'maxModelLen'], `${m.maxModelLen} is out of range — use 256 to 10000000`);
    }
    if (!/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[\w.\-/]*)?$/.test(m.weights) && !/^pvc:[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(m.weights)) {
      problems.error('PAB-GPU-012', [...path, 'weights'], `${show(m.weights)} — use s3://<bucket>/<prefix>/ or pvc:<claim-name>`);
    } else if (m.weights.startsWith('s3://') && !spec.aws) {
      problems.error('PAB-GPU-013', [...path, 'weights'], 'S3 weights are streamed with the runtime\'s Pod Identity and need spec.aws — on a customer-run cluster use pvc:<claim-name>');
    }
  });
}

/** Formats a set of names for a message. */
export function list(names: Iterable<string>): string {
  const all = [...names];
  return all.length === 0 ? '(none)' : all.join(', ');
}
