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
   * CIDRs through which pods reach S3 (request audit, S3 model weights) on 443, the only CIDRs their NetworkPolicy
   * egress admits for it: on AWS the data-zone subnets, where the interface endpoints live (`vpcEndpoints`);
   * on a customer-run cluster `audit.sinkCidrs`.
   */
  readonly awsApiCidrs: readonly string[];
  /**
   * VPC endpoints the CloudFormation target must create (AWS only; empty on a customer-run cluster). The boundary has
   * no NAT: nodes and pods reach AWS APIs through these alone.
   */
  readonly vpcEndpoints: readonly VpcEndpointPlan[];
  /**
   * The CoreDNS policy a cluster needs when the VPC CNI enforces network policy in strict mode (the CloudFormation
   * target turns it on): strict mode denies every pod no policy selects, CoreDNS included, so without this policy
   * cluster DNS stops (https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html).
   * Absent without `spec.aws` (the customer's CNI and its mode are theirs).
   */
  readonly strictModeDns?: StrictModeDnsPlan;
}

/** CoreDNS's allowed paths under strict network-policy enforcement. */
export interface StrictModeDnsPlan {
  /** Namespace CoreDNS runs in. */
  readonly namespace: string;
  /** Labels of the CoreDNS pods. */
  readonly podSelector: Readonly<Record<string, string>>;
  /** Upstream resolvers CoreDNS forwards to: the VPC resolver (VPC base + 2) and its link-local address. */
  readonly upstreamCidrs: readonly string[];
  /** Where the private API endpoint's network interfaces live (CoreDNS watches Services and EndpointSlices): the cluster subnets. */
  readonly apiServerCidrs: readonly string[];
}

/**
 * Private DNS of an interface endpoint: the service's regional names resolve to the endpoint's addresses.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns
 */
export interface PrivateDnsPlan {
  readonly enabled: true;
  /**
   * S3 only (a service with both gateway and interface endpoints). `false` is AWS's `AllResolvers`
   * (CloudFormation `DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint: AllResolvers`): resolvers inside the VPC
   * get the interface endpoint's addresses too. With `true` (`OnlyInboundResolver`) in-VPC lookups keep answering
   * S3's public prefix-list addresses (routed by the gateway endpoint) — which the pods' NetworkPolicy egress,
   * an ipBlock of `awsApiCidrs`, does not admit: S3 would be unreachable from pods.
   * @default - not applicable (every other service)
   */
  readonly onlyForInboundResolverEndpoint?: false;
}

/** A VPC interface endpoint (AWS PrivateLink): network interfaces in the boundary's subnets. */
export interface InterfaceEndpointPlan {
  readonly type: 'Interface';
  /** Service suffix, e.g. `ecr.dkr`. */
  readonly service: string;
  /** `com.amazonaws.<region>.<service>`. */
  readonly serviceName: string;
  /** Subnets its network interfaces go in, one per AZ: the data zone, whose CIDRs are `awsApiCidrs`. */
  readonly subnets: readonly SubnetPlan[];
  readonly privateDns: PrivateDnsPlan;
  /**
   * CIDRs the endpoint security group admits on 443: the node subnets (gateway and models zones; with the VPC CNI
   * pods take their addresses from them too).
   */
  readonly clientCidrs: readonly string[];
  /** Who needs it, shown in the evidence report. */
  readonly purpose: string;
}

/** A VPC gateway endpoint: a route to the service's public prefix list. */
export interface GatewayEndpointPlan {
  readonly type: 'Gateway';
  /** Service suffix (`s3`). */
  readonly service: string;
  /** `com.amazonaws.<region>.<service>`. */
  readonly serviceName: string;
  /** Route tables it is added to: every route table of the VPC. */
  readonly routeTables: 'all';
  /** Who needs it, shown in the evidence report. */
  readonly purpose: string;
}

/** A VPC endpoint the boundary needs. */
export type VpcEndpointPlan = InterfaceEndpointPlan | GatewayEndpointPlan;

/**
 * Interface endpoints of a node group and Karpenter in subnets without NAT (REFERENCE "AWS / EKS"), and S3 for pods.
 * IAM and Pricing have no endpoint: nothing in the boundary may depend on them at run time.
 */
const INTERFACE_ENDPOINTS: readonly { service: string; purpose: string }[] = [
  { service: 'ec2', purpose: 'nodes and Karpenter: instances, network interfaces (VPC CNI)' },
  { service: 'ecr.api', purpose: 'nodes: image pull authorization' },
  { service: 'ecr.dkr', purpose: 'nodes: image manifests' },
  { service: 'sts', purpose: 'regional STS: web-identity roles (External Secrets store), role assumption' },
  { service: 'eks', purpose: 'nodes: cluster bootstrap; Karpenter' },
  { service: 'eks-auth', purpose: 'EKS Pod Identity agent on every node: credentials of the gateway (audit) and the model runtimes (weights)' },
  { service: 'logs', purpose: 'CloudWatch Logs from nodes and add-ons' },
  { service: 'secretsmanager', purpose: 'External Secrets Operator reads the boundary secrets' },
  { service: 'kms', purpose: 'the boundary CMK: encrypted volumes and secrets' },
  { service: 'elasticloadbalancing', purpose: 'AWS Load Balancer Controller: the gateway load balancer' },
  { service: 'ssm', purpose: 'Karpenter resolves AMI aliases from SSM parameters; SSM agent' },
  { service: 'sqs', purpose: 'Karpenter interruption queue' },
  { service: 'autoscaling', purpose: 'managed node groups' },
  { service: 's3', purpose: 'pods: request audit and S3 model weights, held by NetworkPolicy to awsApiCidrs; nodes: ECR image layers' },
];

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
  const aws = spec.aws;
  const dataSubnets = subnets.filter((s) => s.zone === 'data');
  const vpcEndpoints: VpcEndpointPlan[] = !aws ? [] : [
    ...INTERFACE_ENDPOINTS.map(({ service, purpose }): InterfaceEndpointPlan => ({
      type: 'Interface',
      service,
      serviceName: `com.amazonaws.${aws.region}.${service}`,
      subnets: dataSubnets,
      privateDns: service === 's3' ? { enabled: true, onlyForInboundResolverEndpoint: false } : { enabled: true },
      clientCidrs: [...zoneCidrs.gateway, ...zoneCidrs.models],
      purpose,
    })),
    { type: 'Gateway', service: 's3', serviceName: `com.amazonaws.${aws.region}.s3`, routeTables: 'all',
      purpose: 'S3 by its public addresses (names the interface endpoint\'s private DNS does not cover): nodes only — pods are held to awsApiCidrs' },
  ];
  return {
    vpcCidr: spec.network.cidr,
    azCount: azs,
    subnets,
    zoneCidrs,
    publicCidrs: of('public'),
    // On AWS pods reach S3 where its interface endpoint is; audit.sinkCidrs is then ignored (warning PAB-AUD-006).
    awsApiCidrs: aws ? zoneCidrs.data : spec.audit.sinkCidrs ?? zoneCidrs.data,
    vpcEndpoints,
    ...(aws ? {
      strictModeDns: {
        namespace: 'kube-system',
        podSelector: { 'k8s-app': 'kube-dns' },
        upstreamCidrs: [formatCidr({ base: parseCidr(spec.network.cidr).base + 2, mask: 32 }), '169.254.169.253/32'],
        apiServerCidrs: [...zoneCidrs.gateway, ...zoneCidrs.models],
      },
    } : {}),
  };
}
