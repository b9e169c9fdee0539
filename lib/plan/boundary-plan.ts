import type { Boundary } from '../spec/boundary';
import type { ResolvedSpec } from '../spec/resolve';
import { ZONE_NAMES, type ZoneName } from '../spec/types';
import { planAccess, type AccessPlan } from './access-plan';
import { planFlows, type FlowPlan } from './flows';
import { planGateway, type GatewayPlan } from './gateway-plan';
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
  readonly models: readonly ModelPlan[];
  readonly pools: readonly PoolPlan[];
  readonly access: AccessPlan;
  readonly secrets: SecretsPlan;
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
    models,
    pools: planPools(spec),
    access: planAccess(spec, names, namespaces.map((n) => n.name)),
    secrets: planSecrets(spec, names),
    flows: planFlows(spec, network, gateway, models),
  };
}
