import { Fn, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, DependencyGroup, type IDependable } from 'constructs';
import { LABEL, PORTS } from '../plan/names';
import type { InterfaceEndpointPlan, VpcEndpointPlan } from '../plan/network-plan';
import { ZONE_NAMES, type ZoneName } from '../spec/types';
import { logRetentionAtLeast } from './log-retention';

/** A subnet zone: one of the boundary's isolated zones, or `public` (internet-facing load balancer only). */
export type SubnetZone = ZoneName | 'public';

/** A zone that has a security group: the isolated zones and the VPC endpoints. */
export type SecurityGroupZone = ZoneName | 'endpoints';

/** One subnet of the CIDR plan. */
export interface BoundarySubnet {
  /** Zone of the subnet. */
  readonly zone: SubnetZone;
  /** 0-based AZ index, mapped to the region's AZs with `Fn::GetAZs`. */
  readonly azIndex: number;
  /** CIDR of the subnet. */
  readonly cidr: string;
  /** `Name` tag (the plan's `names.subnetName(zone, azIndex)`; the internal NLB is placed by it). */
  readonly name: string;
}

/** VPC flow log settings. */
export interface BoundaryFlowLogsProps {
  /** Minimum days to keep flow logs; rounded up to a value CloudWatch Logs accepts. */
  readonly retentionDays: number;
  /** Key encrypting the log group (its policy must admit CloudWatch Logs, as `BoundaryKey`'s does). */
  readonly encryptionKey: kms.IKey;
  /**
   * Name of the log group.
   * @default `/private-ai-boundary/<boundaryName>/vpc-flow-logs`
   */
  readonly logGroupName?: string;
}

/** A network path between two zones' security groups: egress at the source, ingress at the destination. */
export interface ZonePath {
  /** Source zone. */
  readonly from: SecurityGroupZone;
  /** Destination zone. */
  readonly to: SecurityGroupZone;
  /** Destination port. */
  readonly port: ec2.Port;
  /** Why the path exists (rule description). */
  readonly description: string;
}

/** Properties of a {@link BoundaryNetwork}. */
export interface BoundaryNetworkProps {
  /** Boundary name: the `private-ai-boundary.io/boundary` tag on every resource. */
  readonly boundaryName: string;
  /** VPC CIDR. */
  readonly cidr: string;
  /** Number of availability zones; every zone has one subnet in each. */
  readonly azCount: number;
  /** Every subnet (the plan's `network.subnets` with their Name tags). */
  readonly subnets: readonly BoundarySubnet[];
  /** VPC endpoints (the plan's `network.vpcEndpoints`): the only way out of the VPC, which has no NAT. */
  readonly endpoints: readonly VpcEndpointPlan[];
  /** VPC flow logs (all traffic) to an encrypted CloudWatch log group. */
  readonly flowLogs: BoundaryFlowLogsProps;
  /**
   * Paths between zones' security groups (e.g. gateway → data on 5432).
   * @default - none beyond the paths to the interface endpoints that `endpoints` implies
   */
  readonly paths?: readonly ZonePath[];
  /**
   * S3 buckets outside this account that this account's principals may reach through the S3 endpoints
   * (e.g. a central audit bucket), as bucket ARNs.
   * @default - none: this account's buckets and the ECR image-layer bucket only
   */
  readonly s3ExternalBucketArns?: readonly string[];
  /**
   * Extra tags on every resource.
   * @default - the boundary tag only
   */
  readonly tags?: Readonly<Record<string, string>>;
}

const SG_ZONES: readonly SecurityGroupZone[] = [...ZONE_NAMES, 'endpoints'];

interface BuiltSubnet { subnet: ec2.CfnSubnet; routeTable: ec2.CfnRouteTable; plan: BoundarySubnet }

/**
 * The boundary's VPC: isolated subnets per zone × AZ (route tables without any internet or NAT route), public subnets
 * with an internet gateway route only when the CIDR plan has them, the VPC endpoints of the plan, one security group
 * per zone with no rule but the paths given, and flow logs of all traffic. Built from L1 resources with
 * `Fn::GetAZs`, so synthesis makes no context lookup and needs no AWS credentials.
 */
export class BoundaryNetwork extends Construct {
  /** The VPC, for constructs that take an `ec2.IVpc`. */
  readonly vpc: ec2.IVpc;
  /** Subnets of each zone, in AZ order (`public` is empty without public ingress). */
  readonly subnetsByZone: Readonly<Record<SubnetZone, ec2.ISubnet[]>>;
  /** Security group of each zone and of the interface endpoints; no outbound rule but the paths added. */
  readonly securityGroups: Readonly<Record<SecurityGroupZone, ec2.SecurityGroup>>;
  /** Endpoints, keyed `<type>:<service>` (e.g. `Interface:s3`, `Gateway:s3`). */
  readonly endpoints: Readonly<Record<string, ec2.CfnVPCEndpoint>>;
  /** Encrypted log group of the flow logs. */
  readonly flowLogGroup: logs.ILogGroup;
  /** Retention of the flow logs in days as applied (`Infinity` when they never expire). */
  readonly flowLogRetentionDays: number;
  /** Resources the internet-facing load balancer must wait for (internet gateway attachment and public routes). */
  readonly internetConnectivityEstablished: IDependable;

  constructor(scope: Construct, id: string, props: BoundaryNetworkProps) {
    super(scope, id);
    checkSubnets(props);
    Tags.of(this).add(LABEL.boundary, props.boundaryName);
    for (const [k, v] of Object.entries(props.tags ?? {})) Tags.of(this).add(k, v);

    const cfnVpc = new ec2.CfnVPC(this, 'Vpc', { cidrBlock: props.cidr, enableDnsHostnames: true, enableDnsSupport: true });
    Tags.of(cfnVpc).add('Name', props.boundaryName);
    Validations.of(cfnVpc).acknowledge({ id: 'NIST.800.53.R5::NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
      reason: 'Closing the default security group needs a Lambda-backed custom resource, which the boundary ships none of; ' +
        'no resource of the boundary is placed in the default group: every one gets its zone security group.' });

    const internet = new DependencyGroup();
    this.internetConnectivityEstablished = internet;
    const built = this.buildSubnets(props, cfnVpc, internet);

    const ordered = (zone: SubnetZone) => built.filter((b) => b.plan.zone === zone).sort((a, b) => a.plan.azIndex - b.plan.azIndex);
    const [isolated, pub] = [ZONE_NAMES.flatMap(ordered), ordered('public')];
    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Imported', {
      vpcId: cfnVpc.ref, vpcCidrBlock: props.cidr,
      availabilityZones: Array.from({ length: props.azCount }, (_, i) => Fn.select(i, Fn.getAzs())),
      isolatedSubnetIds: isolated.map((b) => b.subnet.ref), isolatedSubnetNames: [...ZONE_NAMES],
      isolatedSubnetRouteTableIds: isolated.map((b) => b.routeTable.ref), isolatedSubnetIpv4CidrBlocks: isolated.map((b) => b.plan.cidr),
      ...(pub.length > 0 ? { publicSubnetIds: pub.map((b) => b.subnet.ref), publicSubnetNames: ['public'],
        publicSubnetRouteTableIds: pub.map((b) => b.routeTable.ref), publicSubnetIpv4CidrBlocks: pub.map((b) => b.plan.cidr) } : {}),
    });
    this.subnetsByZone = Object.fromEntries([...ZONE_NAMES, 'public' as const].map((zone) =>
      [zone, ordered(zone).length === 0 ? [] : this.vpc.selectSubnets({ subnetGroupName: zone }).subnets])) as Record<SubnetZone, ec2.ISubnet[]>;

    this.securityGroups = Object.fromEntries(SG_ZONES.map((zone) => [zone, this.zoneSecurityGroup(`SecurityGroup-${zone}`, props.boundaryName, zone)])) as
      Record<SecurityGroupZone, ec2.SecurityGroup>;

    this.endpoints = this.buildEndpoints(props, cfnVpc, built);
    for (const path of props.paths ?? []) this.allowPath(path);

    const retention = logRetentionAtLeast(props.flowLogs.retentionDays);
    this.flowLogRetentionDays = retention === logs.RetentionDays.INFINITE ? Infinity : retention;
    this.flowLogGroup = this.buildFlowLogs(props, cfnVpc, retention);
  }

  /** One subnet and one route table per zone × AZ; a default route to the internet gateway in public subnets only. */
  private buildSubnets(props: BoundaryNetworkProps, vpc: ec2.CfnVPC, internet: DependencyGroup): BuiltSubnet[] {
    const gateway = props.subnets.some((s) => s.zone === 'public') ? new ec2.CfnInternetGateway(this, 'InternetGateway') : undefined;
    const attachment = gateway && new ec2.CfnVPCGatewayAttachment(this, 'InternetGatewayAttachment', { vpcId: vpc.ref, internetGatewayId: gateway.ref });
    if (gateway && attachment) { internet.add(attachment); Tags.of(gateway).add('Name', props.boundaryName); }
    return props.subnets.map((s) => {
      const subnet = new ec2.CfnSubnet(this, `Subnet-${s.name}`, {
        vpcId: vpc.ref, cidrBlock: s.cidr, availabilityZone: Fn.select(s.azIndex, Fn.getAzs()), mapPublicIpOnLaunch: false });
      Tags.of(subnet).add('Name', s.name);
      Tags.of(subnet).add(LABEL.zone, s.zone);
      if (s.zone === 'data') Tags.of(subnet).add('kubernetes.io/role/internal-elb', '1');
      if (s.zone === 'public') Tags.of(subnet).add('kubernetes.io/role/elb', '1');
      const routeTable = new ec2.CfnRouteTable(this, `RouteTable-${s.name}`, { vpcId: vpc.ref });
      Tags.of(routeTable).add('Name', s.name);
      new ec2.CfnSubnetRouteTableAssociation(this, `RouteTableAssociation-${s.name}`, { subnetId: subnet.ref, routeTableId: routeTable.ref });
      if (s.zone === 'public' && gateway && attachment) {
        const route = new ec2.CfnRoute(this, `DefaultRoute-${s.name}`, { routeTableId: routeTable.ref, destinationCidrBlock: '0.0.0.0/0', gatewayId: gateway.ref });
        route.node.addDependency(attachment);
        internet.add(route);
        Validations.of(route).acknowledge({ id: 'NIST.800.53.R5::NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
          reason: 'Only the public subnets of a boundary that declares public ingress (with its reason, WAF and TLS) route to ' +
            'the internet gateway, for the internet-facing load balancer; no node, pod or data store is placed in them.' });
      }
      return { subnet, routeTable, plan: s };
    });
  }

  /** Flow logs of all traffic to an encrypted, retained log group, delivered by a role only this account's flow logs assume. */
  private buildFlowLogs(props: BoundaryNetworkProps, vpc: ec2.CfnVPC, retention: logs.RetentionDays): logs.ILogGroup {
    const stack = Stack.of(this);
    const logGroup = new logs.LogGroup(this, 'FlowLogGroup', { retention, encryptionKey: props.flowLogs.encryptionKey, removalPolicy: RemovalPolicy.RETAIN,
      logGroupName: props.flowLogs.logGroupName ?? `/private-ai-boundary/${props.boundaryName}/vpc-flow-logs` });
    if (retention === logs.RetentionDays.INFINITE) {
      Validations.of(logGroup).acknowledge({ id: 'NIST.800.53.R5::NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod',
        reason: `The audit policy keeps logs ${props.flowLogs.retentionDays} days, beyond CloudWatch's longest finite retention (3653): they never expire.` });
    }
    // Confused-deputy guard: only flow logs of this account assume the delivery role
    // (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html).
    const role = new iam.Role(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:ec2:${stack.region}:${stack.account}:vpc-flow-log/*` },
      }),
      description: `Delivers the VPC flow logs of ${props.boundaryName} to their log group`,
    });
    // A managed (not inline) policy, scoped to the one log group.
    role.addManagedPolicy(new iam.ManagedPolicy(this, 'FlowLogDelivery', { statements: [new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], resources: [logGroup.logGroupArn] })] }));
    const flowLog = new ec2.CfnFlowLog(this, 'FlowLog', { resourceId: vpc.ref, resourceType: 'VPC', trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs', logGroupName: logGroup.logGroupName, deliverLogsPermissionArn: role.roleArn });
    Tags.of(flowLog).add('Name', props.boundaryName);
    return logGroup;
  }

  /** Opens a path between two zones: egress on the source's security group, ingress on the destination's. */
  allowPath(path: ZonePath): void {
    const [from, to] = [this.securityGroups[path.from], this.securityGroups[path.to]];
    from.addEgressRule(to, path.port, path.description);
    to.addIngressRule(from, path.port, path.description);
  }

  private zoneSecurityGroup(id: string, boundary: string, zone: string): ec2.SecurityGroup {
    const sg = new ec2.SecurityGroup(this, id, { vpc: this.vpc, allowAllOutbound: false, description: `${boundary} ${zone} zone` });
    Tags.of(sg).add('Name', `${boundary}-${zone}`);
    Tags.of(sg).add(LABEL.zone, zone);
    return sg;
  }

  private buildEndpoints(props: BoundaryNetworkProps, vpc: ec2.CfnVPC, built: BuiltSubnet[]): Record<string, ec2.CfnVPCEndpoint> {
    const routeTableIds = built.map((b) => b.routeTable.ref); // the gateway endpoint's `routeTables: 'all'`
    const out: Record<string, ec2.CfnVPCEndpoint> = {};
    // One security group per distinct set of client CIDRs; the first set is `securityGroups.endpoints`.
    const groups = new Map<string, ec2.SecurityGroup>();
    const groupFor = (e: InterfaceEndpointPlan): ec2.SecurityGroup => {
      const k = [...e.clientCidrs].sort().join(',');
      if (!groups.has(k)) {
        const sg = groups.size === 0 ? this.securityGroups.endpoints : this.zoneSecurityGroup(`SecurityGroup-endpoints-${groups.size}`, props.boundaryName, 'endpoints');
        this.admitClients(sg, e.clientCidrs, props.subnets);
        groups.set(k, sg);
      }
      return groups.get(k)!;
    };
    for (const e of props.endpoints) {
      const id = `${e.type}:${e.service}`;
      if (out[id]) throw new Error(`internal: endpoint ${id} is planned twice`);
      const policyDocument = e.service === 's3' ? this.s3EndpointPolicy(props.s3ExternalBucketArns ?? []) : undefined;
      switch (e.type) {
        case 'Interface': {
          const subnetIds = e.subnets.map((s) => {
            const b = built.find((x) => x.plan.zone === s.zone && x.plan.azIndex === s.azIndex);
            if (!b || b.plan.cidr !== s.cidr) throw new Error(`internal: endpoint ${id} is placed in ${s.zone}/${s.azIndex} (${s.cidr}), which is not a subnet of this network`);
            return b.subnet.ref;
          });
          out[id] = new ec2.CfnVPCEndpoint(this, `Endpoint-${id}`, {
            vpcId: vpc.ref, serviceName: e.serviceName, vpcEndpointType: 'Interface', subnetIds, policyDocument,
            securityGroupIds: [groupFor(e).securityGroupId],
            privateDnsEnabled: e.privateDns.enabled,
            // `false` is AWS's AllResolvers: in-VPC lookups of S3 answer the interface endpoint's addresses too.
            ...(e.privateDns.onlyForInboundResolverEndpoint === false ? { dnsOptions: { privateDnsOnlyForInboundResolverEndpoint: 'AllResolvers' } } : {}),
          });
          break;
        }
        case 'Gateway':
          out[id] = new ec2.CfnVPCEndpoint(this, `Endpoint-${id}`, { vpcId: vpc.ref, serviceName: e.serviceName, vpcEndpointType: 'Gateway', routeTableIds, policyDocument });
          break;
        default: throw new Error(`internal: unknown endpoint ${JSON.stringify(e satisfies never)}`);
      }
    }
    return out;
  }

  /** The endpoint group admits its client CIDRs on 443; each zone whose subnets are clients gets the matching egress. */
  private admitClients(sg: ec2.SecurityGroup, clientCidrs: readonly string[], subnets: readonly BoundarySubnet[]): void {
    for (const cidr of clientCidrs) sg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(PORTS.https), `AWS APIs from ${cidr}`);
    const zones = new Set(subnets.filter((s) => clientCidrs.includes(s.cidr)).map((s) => s.zone));
    for (const zone of ZONE_NAMES.filter((z) => zones.has(z))) this.securityGroups[zone].addEgressRule(sg, ec2.Port.tcp(PORTS.https), 'AWS APIs through the VPC endpoints');
  }

  /**
   * S3 endpoint policy: this account's principals reaching this account's buckets (identity and resource perimeter),
   * the declared external buckets, and the AWS-owned bucket ECR serves image layers from
   * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-minimum-s3-perms).
   */
  private s3EndpointPolicy(externalBucketArns: readonly string[]): iam.PolicyDocument {
    const { account, region, partition } = Stack.of(this);
    // Gateway endpoint policies must name `*` as principal; conditions narrow it to this account's principals.
    const allow = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
      new iam.PolicyStatement({ sid, principals: [new iam.AnyPrincipal()], actions, resources, conditions });
    const doc = new iam.PolicyDocument({ statements: [
      allow('ThisAccountPrincipalsToThisAccountBuckets', ['s3:*'], ['*'], { StringEquals: { 'aws:PrincipalAccount': account, 'aws:ResourceAccount': account } }),
      // AWS's minimum policy for ECR: layers come from this AWS-owned bucket through URLs ECR presigns, so no account condition fits.
      allow('EcrImageLayers', ['s3:GetObject'], [`arn:${partition}:s3:::prod-${region}-starport-layer-bucket/*`]),
    ] });
    if (externalBucketArns.length > 0) {
      doc.addStatements(allow('ThisAccountPrincipalsToDeclaredBuckets', ['s3:*'], externalBucketArns.flatMap((arn) => [arn, `${arn}/*`]),
        { StringEquals: { 'aws:PrincipalAccount': account } }));
    }
    return doc;
  }
}

/** Impossible states only (the plan guarantees them): every isolated zone in every AZ, public in all AZs or none. */
function checkSubnets(props: BoundaryNetworkProps): void {
  for (const zone of [...ZONE_NAMES, 'public'] as const) {
    const azs = props.subnets.filter((s) => s.zone === zone).map((s) => s.azIndex).sort((a, b) => a - b);
    const complete = azs.length === props.azCount && azs.every((az, i) => az === i);
    if (!complete && !(zone === 'public' && azs.length === 0)) throw new Error(`internal: zone ${zone} has subnets in AZs [${azs}] for ${props.azCount} AZs`);
  }
}
