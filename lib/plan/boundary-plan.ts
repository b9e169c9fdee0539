import type { Boundary } from '../spec/boundary';
import type { ResolvedSpec } from '../spec/resolve';
import { ZONE_NAMES, type ZoneName } from '../spec/types';
import { planAccess, type AccessPlan } from './access-plan';
import { planControllers, type ControllerPlan } from './controllers-plan';
import { planFlows, type FlowPlan } from './flows';
import { planGateway, type GatewayPlan } from './gateway-plan';
import { planGatewayState, type GatewayStatePlan } from './gateway-state-plan';
import { planContainerLimits, type ContainerLimitsPlan } from './limits-plan';
import { BoundaryNames, LABEL } from './names';
import { planNetwork, type NetworkPlan } from './network-plan';
import { planSecrets, type SecretsPlan } from './secrets-plan';
import { planModels, planPools, type ModelPlan, type PoolPlan } from './workloads-plan';

/** A namespace of the boundary. */
export interface NamespacePlan {
  readonly name: string;
  /** `zone` or `team`. */
  readonly role: 'zone' | 'team';
  /** The zone, for zone namespaces. */
  readonly zone?: ZoneName;
  /** The team, for team namespaces. */
  readonly team?: string;
  /** Per-container resource defaults and ceiling (LimitRange). */
  readonly containerLimits: ContainerLimitsPlan;
}

/**
 * EC2 instance metadata (IMDS) options of every boundary node: IMDSv2 only (session tokens required), hop limit 1
 * so that pods — one network hop further than the node — cannot reach the node role's credentials
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html).
 */
export interface InstanceMetadataPlan {
  readonly httpEndpoint: 'enabled';
  readonly httpProtocolIPv6: 'disabled';
  readonly httpTokens: 'required';
  readonly httpPutResponseHopLimit: 1;
}

/**
 * How every GPU node is launched, whichever provisioner launches it (a Karpenter EC2NodeClass, or the launch
 * template of a managed node group in the CloudFormation target).
 */
export interface GpuNodePlan {
  /** IAM role of the nodes (`<boundary>-gpu-node`), created by the CloudFormation target. */
  readonly role: string;
  /**
   * Instance profile of that role (`<boundary>-gpu-node`), created by the CloudFormation target. Karpenter gets the
   * profile, not the role: given a role it calls IAM to create profiles itself, and IAM has no VPC endpoint.
   */
  readonly instanceProfile: string;
  readonly metadataOptions: InstanceMetadataPlan;
}

/**
 * Everything the renderers need, derived from a validated boundary: plain data, no backend types.
 * Renderers never re-validate user input and never invent a security-relevant value.
 */
export interface BoundaryPlan {
  readonly name: string;
  readonly spec: ResolvedSpec;
  readonly names: BoundaryNames;
  /** Labels on every object. */
  readonly commonLabels: Readonly<Record<string, string>>;
  /** Kubernetes minor version, for Pod Security `enforce-version`. */
  readonly kubernetesVersion: string;
  readonly namespaces: readonly NamespacePlan[];
  readonly network: NetworkPlan;
  readonly gateway: GatewayPlan;
  /** The gateway's database and cache (AWS). */
  readonly gatewayState: GatewayStatePlan;
  readonly models: readonly ModelPlan[];
  readonly pools: readonly PoolPlan[];
  /** What every GPU node instance gets; only on AWS, where the boundary launches the nodes. */
  readonly gpuNode?: GpuNodePlan;
  readonly access: AccessPlan;
  readonly secrets: SecretsPlan;
  /** Cluster controllers the boundary relies on (AWS only): their identities, queue and network policies. */
  readonly controllers: readonly ControllerPlan[];
  readonly flows: readonly FlowPlan[];
}

/** Derives the target-neutral plan of a boundary. Pure and deterministic. */
export function planBoundary(boundary: Boundary): BoundaryPlan {
  const spec = boundary.spec;
  const names = new BoundaryNames(spec);
  const models = planModels(spec, names);
  const namespaces: NamespacePlan[] = [
    ...ZONE_NAMES.map((zone) => ({ name: names.zoneNamespace(zone), role: 'zone' as const, zone,
      containerLimits: planContainerLimits({ role: 'zone', zone }, models) })),
    ...spec.teams.map((t) => ({ name: names.teamNamespace(t.name), role: 'team' as const, team: t.name,
      containerLimits: planContainerLimits({ role: 'team' }, models, t.gpuQuota) })),
  ];
  const network = planNetwork(spec);
  const gateway = planGateway(spec, names, network);
  const pools = planPools(spec);
  const secrets = planSecrets(spec, names);
  const controllers = planControllers(spec, names, gateway, pools, secrets);
  return {
    name: spec.name,
    spec,
    names,
    commonLabels: {
      ...spec.labels,
      [LABEL.partOf]: 'private-ai-boundary',
      [LABEL.managedBy]: 'private-ai-boundary',
      [LABEL.boundary]: spec.name,
    },
    kubernetesVersion: spec.kubernetes.version,
    namespaces,
    network,
    gateway,
    gatewayState: planGatewayState(spec, names, gateway.sharedCounters),
    models,
    pools,
    gpuNode: spec.aws && {
      role: names.workloadRole('gpu-node'),
      instanceProfile: names.instanceProfile('gpu-node'),
      metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
    },
    access: planAccess(spec, names, namespaces.map((n) => n.name)),
    secrets,
    controllers,
    flows: planFlows(spec, network, gateway, models, controllers),
  };
}
