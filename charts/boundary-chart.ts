import { Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import { BoundaryNamespaces } from '../lib/k8s/boundary-namespaces';
import { BoundaryNetworkPolicies } from '../lib/k8s/network-policies';
import { ExposurePolicy } from '../lib/k8s/exposure-policy';
import { BoundarySecrets } from '../lib/k8s/external-secrets';
import { GatewayReconcile } from '../lib/k8s/gateway-reconcile';
import { GpuNodePool } from '../lib/k8s/gpu-node-pool';
import { LlmGateway } from '../lib/k8s/llm-gateway';
import { ModelRuntime } from '../lib/k8s/model-runtime';
import { Presidio } from '../lib/k8s/presidio';
import { PrivilegedAccess } from '../lib/k8s/privileged-access';
import { TeamAccess } from '../lib/k8s/team-access';
import type { BoundaryPlan } from '../lib/plan/boundary-plan';

/** Props of {@link BoundaryChart}. */
export interface BoundaryChartProps extends ChartProps {
  /** The plan of the boundary to render. */
  readonly plan: BoundaryPlan;
}

/** The whole in-cluster layer of one boundary as one cdk8s chart (one chart per `App`: linear cost). */
export class BoundaryChart extends Chart {
  constructor(scope: Construct, id: string, props: BoundaryChartProps) {
    // Every object sets metadata.name explicitly; hashes would make names depend on construct paths.
    super(scope, id, { ...props, disableResourceNameHashes: true });
    const { plan } = props;
    new BoundaryNamespaces(this, 'namespaces', { plan });
    new BoundaryNetworkPolicies(this, 'network-policies', { plan });
    new ExposurePolicy(this, 'exposure-policy', { plan });
    new BoundarySecrets(this, 'secrets', { plan });
    new LlmGateway(this, 'gateway', { plan });
    new GatewayReconcile(this, 'gateway-reconcile', { plan });
    if (plan.gateway.presidio) new Presidio(this, 'presidio', { plan, presidio: plan.gateway.presidio });
    for (const model of plan.models) new ModelRuntime(this, `model-${model.name}`, { plan, model });
    new TeamAccess(this, 'teams', { plan });
    new PrivilegedAccess(this, 'privileged-access', { plan });
    for (const pool of plan.pools.filter((p) => p.provisioner === 'karpenter')) new GpuNodePool(this, `pool-${pool.name}`, { plan, pool });
  }
}
