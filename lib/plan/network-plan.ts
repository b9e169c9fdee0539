import { allocate, formatCidr, parseCidr } from '../spec/cidr';
import { PUBLIC_SUBNET_MASK } from '../spec/defaults';
import type { ResolvedSpec } from '../spec/resolve';
import { ZONE_NAMES, type ZoneName } from '../spec/types';

/** A subnet of the CIDR plan: one zone in one availability zone. */
export interface SubnetPlan {
  /** Zone, or `public` for the internet-facing load balancer subnets (only with `ingress: public`). */
  readonly zone: ZoneName | 'public';
  /** 0-based AZ index; the CloudFormation target maps it to the region's AZs. */
  readonly azIndex: number;
  /** Subnet CIDR. */
  readonly cidr: string;
}

/** The CIDR plan of a boundary. */
export interface NetworkPlan {
  /** VPC CIDR. */
  readonly vpcCidr: string;
  /** Number of AZs. */
  readonly azCount: number;
  /** Every subnet, zone by zone, AZ by AZ. */
  readonly subnets: readonly SubnetPlan[];
  /** CIDRs of each zone's subnets. */
  readonly zoneCidrs: Readonly<Record<ZoneName, readonly string[]>>;
  /** CIDRs of the public subnets (empty unless `ingress: public`). */
  readonly publicCidrs: readonly string[];
  /**
   * CIDRs through which AWS APIs (S3 audit sink, STS, Secrets Manager) are reached from pods:
   * `audit.sinkCidrs`, or the data-zone subnets where the interface endpoints live.
   */
  readonly awsApiCidrs: readonly string[];
}

/** Allocates every zone × AZ subnet inside the VPC CIDR, largest blocks first (validation guarantees they fit). */
export function planNetwork(spec: ResolvedSpec): NetworkPlan {
  const azs = spec.availabilityZones;
  const requests: { zone: ZoneName | 'public'; azIndex: number; mask: number }[] = [];
  for (const zone of ZONE_NAMES) {
    for (let az = 0; az < azs; az++) requests.push({ zone, azIndex: az, mask: spec.network.zoneMasks[zone] });
  }
  if (spec.network.ingress === 'public') {
    for (let az = 0; az < azs; az++) requests.push({ zone: 'public', azIndex: az, mask: PUBLIC_SUBNET_MASK });
  }
  const blocks = allocate(parseCidr(spec.network.cidr), requests.map((r) => r.mask));
  if (!blocks) throw new Error(`internal: zones do not fit in ${spec.network.cidr}; validation should have refused this spec`);
  const subnets = requests.map((r, i) => ({ zone: r.zone, azIndex: r.azIndex, cidr: formatCidr(blocks[i]) }));
  const of = (zone: ZoneName | 'public'): string[] => subnets.filter((s) => s.zone === zone).map((s) => s.cidr);
  const zoneCidrs = { gateway: of('gateway'), models: of('models'), data: of('data') };
  return {
    vpcCidr: spec.network.cidr,
    azCount: azs,
    subnets,
    zoneCidrs,
    publicCidrs: of('public'),
    awsApiCidrs: spec.audit.sinkCidrs ?? zoneCidrs.data,
  };
}
