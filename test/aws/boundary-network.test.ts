import { App, Stack, type Stack as StackType } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { BoundaryKey } from '../../lib/aws/boundary-key';
import { BoundaryNetwork, type BoundaryNetworkProps } from '../../lib/aws/boundary-network';
import type { BoundaryPlan } from '../../lib/plan';
import { describeFindings, synthWithChecks, type CheckedApp } from '../helpers/aws-checks';
import { examplePlans, exampleVariant } from '../helpers/examples';

const acme = examplePlans().find(([n]) => n === 'acme-prod')![1];
const WAF = 'arn:aws:wafv2:eu-central-1:111122223333:regional/webacl/acme-gw/0f1e2d3c-aaaa-bbbb-cccc-111122223333';
const publicAcme = exampleVariant('acme-prod', (m) => Object.assign(m.spec.network, {
  ingress: 'public', waf: true, wafAclArn: WAF, publicIngressReason: 'ACME-77 partner integrations',
}));

/** Builds key + network for a plan, mapped the way the composing construct maps it. */
function build(scope: App, id: string, plan: BoundaryPlan, retentionDays = plan.spec.audit.retentionDays,
  overrides: Partial<BoundaryNetworkProps> = {}): { stack: StackType; net: BoundaryNetwork } {
  const stack = new Stack(scope, id, { env: { account: plan.spec.aws!.account, region: plan.spec.aws!.region } });
  const key = new BoundaryKey(stack, 'Key', { aliasName: `alias/${plan.name}-boundary` });
  const net = new BoundaryNetwork(stack, 'Network', {
    boundaryName: plan.name,
    cidr: plan.network.vpcCidr,
    azCount: plan.network.azCount,
    subnets: plan.network.subnets.map((s) => ({ ...s, name: plan.names.subnetName(s.zone, s.azIndex) })),
    endpoints: plan.network.vpcEndpoints,
    flowLogs: { retentionDays, encryptionKey: key.key },
    paths: [
      { from: 'gateway', to: 'data', port: ec2.Port.tcp(5432), description: 'gateway state (PostgreSQL)' },
      { from: 'gateway', to: 'data', port: ec2.Port.tcp(6379), description: 'shared rate-limit counters (Redis)' },
    ],
    ...overrides,
  });
  return { stack, net };
}

const tagsOf = (r: any): Record<string, string> => Object.fromEntries((r.Properties.Tags ?? []).map((t: any) => [t.Key, t.Value]));
const logicalIdOf = (ref: any): string => ref.Ref;

/** Subnets with their zone, AZ index, CIDR, Name tag and route table, read back from the template. */
function subnetsOf(t: Template): { id: string; zone: string; azIndex: number; cidr: string; tags: Record<string, string>; props: any; routeTable: string }[] {
  const assoc = Object.values(t.findResources('AWS::EC2::SubnetRouteTableAssociation')) as any[];
  return Object.entries(t.findResources('AWS::EC2::Subnet')).map(([id, r]: [string, any]) => {
    const tags = tagsOf(r);
    const a = assoc.filter((x) => logicalIdOf(x.Properties.SubnetId) === id);
    expect(a).toHaveLength(1);
    return { id, zone: tags['private-ai-boundary.io/zone'], azIndex: r.Properties.AvailabilityZone['Fn::Select'][0], cidr: r.Properties.CidrBlock,
      tags, props: r.Properties, routeTable: logicalIdOf(a[0].Properties.RouteTableId) };
  });
}

const securityGroupId = (t: Template, zone: string): string =>
  Object.entries(t.findResources('AWS::EC2::SecurityGroup')).find(([, r]: [string, any]) => tagsOf(r)['private-ai-boundary.io/zone'] === zone)![0];

/** Every ingress rule, inline or standalone, as { group, cidr?, source?, port }. */
function ingressRules(t: Template): { group: string; cidr?: string; cidrv6?: string; source?: string; from: number; to: number }[] {
  const inline = Object.entries(t.findResources('AWS::EC2::SecurityGroup')).flatMap(([id, r]: [string, any]) =>
    (r.Properties.SecurityGroupIngress ?? []).map((i: any) => ({ group: id, cidr: i.CidrIp, cidrv6: i.CidrIpv6, from: i.FromPort, to: i.ToPort })));
  const standalone = (Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')) as any[]).map((r) => ({
    group: r.Properties.GroupId['Fn::GetAtt'][0], cidr: r.Properties.CidrIp, cidrv6: r.Properties.CidrIpv6,
    source: r.Properties.SourceSecurityGroupId?.['Fn::GetAtt']?.[0], from: r.Properties.FromPort, to: r.Properties.ToPort }));
  return [...inline, ...standalone];
}

function egressRules(t: Template): { group: string; cidr?: string; dest?: string; from: number; to: number }[] {
  const inline = Object.entries(t.findResources('AWS::EC2::SecurityGroup')).flatMap(([id, r]: [string, any]) =>
    (r.Properties.SecurityGroupEgress ?? []).map((e: any) => ({ group: id, cidr: e.CidrIp, from: e.FromPort, to: e.ToPort })));
  const standalone = (Object.values(t.findResources('AWS::EC2::SecurityGroupEgress')) as any[]).map((r) => ({
    group: r.Properties.GroupId['Fn::GetAtt'][0], dest: r.Properties.DestinationSecurityGroupId?.['Fn::GetAtt']?.[0], cidr: r.Properties.CidrIp,
    from: r.Properties.FromPort, to: r.Properties.ToPort }));
  return [...inline, ...standalone];
}

describe('BoundaryNetwork (acme-prod, private ingress, and its public-ingress variant)', () => {
  let checked: CheckedApp;
  let t: Template;
  let pub: Template;
  let net: BoundaryNetwork;
  let stack: StackType;
  beforeAll(() => {
    checked = synthWithChecks((app) => {
      ({ stack, net } = build(app, 'Private', acme));
      return [stack, build(app, 'Public', publicAcme).stack];
    });
    t = checked.templates.Private;
    pub = checked.templates.Public;
  });

  test('VPC: the plan CIDR, DNS on (private DNS of the endpoints needs both)', () => {
    const vpcs = Object.values(t.findResources('AWS::EC2::VPC')) as any[];
    expect(vpcs.map((v) => ({ ...v.Properties, Tags: undefined }))).toEqual([{ CidrBlock: '10.40.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true, Tags: undefined }]);
    expect(tagsOf(vpcs[0])).toEqual({ Name: 'acme-prod', 'private-ai-boundary.io/boundary': 'acme-prod' });
  });

  test.each([['private', () => [t, acme] as const], ['public', () => [pub, publicAcme] as const]])('%s: every subnet has the CIDR, AZ index, Name and zone tags of its input', (_, get) => {
    const [tpl, plan] = get();
    const got = subnetsOf(tpl).map((s) => ({ zone: s.zone, azIndex: s.azIndex, cidr: s.cidr, name: s.tags.Name }));
    const want = plan.network.subnets.map((s) => ({ zone: s.zone, azIndex: s.azIndex, cidr: s.cidr, name: plan.names.subnetName(s.zone, s.azIndex) }));
    const order = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1);
    expect(got.sort(order)).toEqual(want.sort(order));
    for (const s of subnetsOf(tpl)) {
      expect(s.props.MapPublicIpOnLaunch).toBe(false);
      expect(s.props.AvailabilityZone).toEqual({ 'Fn::Select': [s.azIndex, { 'Fn::GetAZs': '' }] });
      expect(s.tags['private-ai-boundary.io/boundary']).toBe('acme-prod');
      expect(s.tags['kubernetes.io/role/internal-elb']).toBe(s.zone === 'data' ? '1' : undefined);
      expect(s.tags['kubernetes.io/role/elb']).toBe(s.zone === 'public' ? '1' : undefined);
    }
  });

  test('private ingress: no internet gateway, no NAT, no route at all — one route table per subnet', () => {
    t.resourceCountIs('AWS::EC2::InternetGateway', 0);
    t.resourceCountIs('AWS::EC2::VPCGatewayAttachment', 0);
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    t.resourceCountIs('AWS::EC2::EIP', 0);
    t.resourceCountIs('AWS::EC2::Route', 0);
    const subnets = subnetsOf(t);
    expect(new Set(subnets.map((s) => s.routeTable)).size).toBe(subnets.length);
    t.resourceCountIs('AWS::EC2::RouteTable', subnets.length);
  });

  test('public ingress: an internet gateway and 0.0.0.0/0 only in the public subnets\' route tables; still no NAT', () => {
    pub.resourceCountIs('AWS::EC2::InternetGateway', 1);
    pub.resourceCountIs('AWS::EC2::NatGateway', 0);
    const [igw] = Object.keys(pub.findResources('AWS::EC2::InternetGateway'));
    const routes = Object.values(pub.findResources('AWS::EC2::Route')) as any[];
    const subnets = subnetsOf(pub);
    const publicTables = subnets.filter((s) => s.zone === 'public').map((s) => s.routeTable).sort();
    expect(publicTables).toHaveLength(3);
    expect(routes.map((r) => logicalIdOf(r.Properties.RouteTableId)).sort()).toEqual(publicTables);
    for (const r of routes) expect(r.Properties).toEqual({ RouteTableId: expect.anything(), DestinationCidrBlock: '0.0.0.0/0', GatewayId: { Ref: igw } });
    for (const s of subnets.filter((x) => x.zone !== 'public')) {
      expect(routes.filter((r) => logicalIdOf(r.Properties.RouteTableId) === s.routeTable)).toEqual([]);
    }
  });

  test('the IVpc and subnetsByZone place resources in the subnets of each zone, in AZ order', () => {
    const ids = (zone: 'gateway' | 'models' | 'data' | 'public') => net.subnetsByZone[zone].map((s) => stack.resolve(s.subnetId));
    const byZone = (zone: string) => subnetsOf(t).filter((s) => s.zone === zone).sort((a, b) => a.azIndex - b.azIndex).map((s) => ({ Ref: s.id }));
    for (const zone of ['gateway', 'models', 'data'] as const) expect(ids(zone)).toEqual(byZone(zone));
    expect(ids('public')).toEqual([]);
    expect(net.vpc.isolatedSubnets).toHaveLength(9);
    expect(net.vpc.publicSubnets).toHaveLength(0);
    expect(stack.resolve(net.vpc.selectSubnets({ subnetGroupName: 'models' }).subnetIds)).toEqual(byZone('models'));
  });

  test('endpoints are exactly the plan\'s: type and service name com.amazonaws.<region>.<svc>', () => {
    const got = (Object.values(t.findResources('AWS::EC2::VPCEndpoint')) as any[]).map((r) => `${r.Properties.VpcEndpointType} ${r.Properties.ServiceName}`).sort();
    expect(got).toEqual(acme.network.vpcEndpoints.map((e) => `${e.type} com.amazonaws.eu-central-1.${e.service}`).sort());
    expect(got).toEqual(expect.arrayContaining(['Interface com.amazonaws.eu-central-1.s3', 'Gateway com.amazonaws.eu-central-1.s3',
      'Interface com.amazonaws.eu-central-1.ecr.dkr', 'Interface com.amazonaws.eu-central-1.eks-auth']));
    expect(Object.keys(net.endpoints).sort()).toEqual(acme.network.vpcEndpoints.map((e) => `${e.type}:${e.service}`).sort());
  });

  test('interface endpoints: in the planned subnets (data zone), private DNS on, the endpoint security group', () => {
    const data = subnetsOf(t).filter((s) => s.zone === 'data').sort((a, b) => a.azIndex - b.azIndex).map((s) => ({ Ref: s.id }));
    const sg = securityGroupId(t, 'endpoints');
    const interfaces = (Object.values(t.findResources('AWS::EC2::VPCEndpoint')) as any[]).filter((r) => r.Properties.VpcEndpointType === 'Interface');
    expect(interfaces).toHaveLength(14);
    for (const r of interfaces) {
      expect(r.Properties.SubnetIds).toEqual(data);
      expect(r.Properties.PrivateDnsEnabled).toBe(true);
      expect(r.Properties.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [sg, 'GroupId'] }]);
    }
    // S3: private DNS for all resolvers, so that in-VPC lookups answer the endpoint's addresses (NetworkPolicy admits those).
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: 'com.amazonaws.eu-central-1.s3', VpcEndpointType: 'Interface',
      DnsOptions: { PrivateDnsOnlyForInboundResolverEndpoint: 'AllResolvers' } });
    expect(interfaces.filter((r) => r.Properties.DnsOptions).map((r) => r.Properties.ServiceName)).toEqual(['com.amazonaws.eu-central-1.s3']);
  });

  test('S3 gateway endpoint: on every route table', () => {
    const all = Object.keys(t.findResources('AWS::EC2::RouteTable')).sort();
    const gw = (Object.values(t.findResources('AWS::EC2::VPCEndpoint')) as any[]).filter((r) => r.Properties.VpcEndpointType === 'Gateway');
    expect(gw).toHaveLength(1);
    expect(gw[0].Properties.RouteTableIds.map(logicalIdOf).sort()).toEqual(all);
    const pubAll = Object.keys(pub.findResources('AWS::EC2::RouteTable')).sort();
    const pubGw = (Object.values(pub.findResources('AWS::EC2::VPCEndpoint')) as any[]).find((r) => r.Properties.VpcEndpointType === 'Gateway');
    expect(pubGw.Properties.RouteTableIds.map(logicalIdOf).sort()).toEqual(pubAll);
  });

  test('S3 endpoint policies (gateway and interface): this account\'s principals to this account\'s buckets, plus ECR layers', () => {
    const s3 = (Object.values(t.findResources('AWS::EC2::VPCEndpoint')) as any[]).filter((r) => r.Properties.ServiceName === 'com.amazonaws.eu-central-1.s3');
    expect(s3).toHaveLength(2);
    for (const r of s3) {
      expect(r.Properties.PolicyDocument.Statement).toEqual([
        { Sid: 'ThisAccountPrincipalsToThisAccountBuckets', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:*', Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalAccount': '111122223333', 'aws:ResourceAccount': '111122223333' } } },
        { Sid: 'EcrImageLayers', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject',
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::prod-eu-central-1-starport-layer-bucket/*']] } },
      ]);
    }
    const others = (Object.values(t.findResources('AWS::EC2::VPCEndpoint')) as any[]).filter((r) => r.Properties.ServiceName !== 'com.amazonaws.eu-central-1.s3');
    expect(others.filter((r) => r.Properties.PolicyDocument)).toEqual([]);
  });

  test('endpoint security group: 443 from the planned client CIDRs (gateway and models subnets) and nothing else', () => {
    const sg = securityGroupId(t, 'endpoints');
    const iface = acme.network.vpcEndpoints.find((e) => e.type === 'Interface')!;
    const clients = iface.type === 'Interface' ? [...iface.clientCidrs].sort() : [];
    expect(clients).toEqual([...acme.network.zoneCidrs.gateway, ...acme.network.zoneCidrs.models].sort());
    const rules = ingressRules(t).filter((r) => r.group === sg);
    expect(rules.map((r) => r.cidr).sort()).toEqual(clients);
    expect(rules.every((r) => r.from === 443 && r.to === 443)).toBe(true);
  });

  test('zone security groups: no outbound by default; gateway and models reach the endpoints on 443; declared paths only', () => {
    const [gw, models, data, ep] = ['gateway', 'models', 'data', 'endpoints'].map((z) => securityGroupId(t, z));
    const egress = egressRules(t);
    const real = egress.filter((e) => e.cidr !== '255.255.255.255/32');
    expect(real.filter((e) => e.cidr !== undefined)).toEqual([]);
    const asText = real.map((e) => `${e.group}->${e.dest}:${e.from}`).sort();
    expect(asText).toEqual([`${gw}->${ep}:443`, `${gw}->${data}:5432`, `${gw}->${data}:6379`, `${models}->${ep}:443`].sort());
    // data and endpoints keep the "no outbound" placeholder CDK writes for allowAllOutbound: false.
    expect(egress.filter((e) => e.cidr === '255.255.255.255/32').map((e) => e.group).sort()).toEqual([data, ep].sort());
    const dataIngress = ingressRules(t).filter((r) => r.group === data);
    expect(dataIngress.map((r) => `${r.source}:${r.from}`).sort()).toEqual([`${gw}:5432`, `${gw}:6379`]);
    expect(ingressRules(t).filter((r) => r.group === gw || r.group === models)).toEqual([]);
  });

  test('security groups carry the boundary and zone tags Karpenter selects by', () => {
    const tags = (Object.values(t.findResources('AWS::EC2::SecurityGroup')) as any[]).map(tagsOf);
    expect(tags.map((x) => `${x['private-ai-boundary.io/boundary']}/${x['private-ai-boundary.io/zone']}`).sort())
      .toEqual(['acme-prod/data', 'acme-prod/endpoints', 'acme-prod/gateway', 'acme-prod/models']);
  });

  test.each([['private', () => t], ['public', () => pub]])('%s: no security group admits 0.0.0.0/0 or ::/0', (_, get) => {
    const rules = ingressRules(get());
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.filter((r) => r.cidr === '0.0.0.0/0' || r.cidrv6 === '::/0')).toEqual([]);
  });

  test('flow logs: all traffic of the VPC to a log group encrypted with the key, kept ≥ the audit retention', () => {
    const [vpc] = Object.keys(t.findResources('AWS::EC2::VPC'));
    const [group] = Object.keys(t.findResources('AWS::Logs::LogGroup'));
    const [role] = Object.keys(t.findResources('AWS::IAM::Role'));
    const [key] = Object.keys(t.findResources('AWS::KMS::Key'));
    t.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', ResourceId: { Ref: vpc }, TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs', LogGroupName: { Ref: group }, DeliverLogsPermissionArn: { 'Fn::GetAtt': [role, 'Arn'] } });
    t.hasResource('AWS::Logs::LogGroup', { Properties: { LogGroupName: '/private-ai-boundary/acme-prod/vpc-flow-logs', RetentionInDays: 400,
      KmsKeyId: { 'Fn::GetAtt': [key, 'Arn'] }, Tags: Match.anyValue() }, DeletionPolicy: 'Retain' });
    expect(net.flowLogRetentionDays).toBe(400);
    t.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({
      Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' }, ArnLike: { 'aws:SourceArn': Match.anyValue() } } })] } });
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', { PolicyDocument: { Statement: [Match.objectLike({
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: { 'Fn::GetAtt': [group, 'Arn'] } })] } });
  });

  test('checks: zero unacknowledged findings; only the default security group (and public routes) acknowledged, with reasons', () => {
    expect(describeFindings(checked.findings)).toEqual([]);
    const acks = checked.acknowledged.map((a) => `${a.plugin} ${a.rule} @ ${a.path}`).sort();
    expect(acks).toEqual([
      'NIST.800.53.R5 NIST.800.53.R5-VPCDefaultSecurityGroupClosed @ Private/Network/Vpc',
      'NIST.800.53.R5 NIST.800.53.R5-VPCDefaultSecurityGroupClosed @ Public/Network/Vpc',
      ...[0, 1, 2].map((i) => `NIST.800.53.R5 NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW @ Public/Network/DefaultRoute-acme-prod-public-${i}`),
    ].sort());
    expect(checked.acknowledged.every((a) => a.reason.length > 40)).toBe(true);
  });
});

describe('flow log retention', () => {
  test('a retention between two CloudWatch values rounds up; beyond 10 years the group never expires (acknowledged)', () => {
    const checked = synthWithChecks((app) => [build(app, 'Rounded', acme, 500).stack, build(app, 'Forever', acme, 4000).stack], { validator: false });
    checked.templates.Rounded.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 545 });
    const forever = Object.values(checked.templates.Forever.findResources('AWS::Logs::LogGroup')) as any[];
    expect(forever[0].Properties.RetentionInDays).toBeUndefined();
    expect(describeFindings(checked.findings)).toEqual([]);
    expect(checked.acknowledged.filter((a) => a.rule.endsWith('CloudWatchLogGroupRetentionPeriod')).map((a) => a.path))
      .toEqual(['Forever/Network/FlowLogGroup/Resource']);
  });
});

test('synthesis makes no context lookup (cdk synth works without credentials)', () => {
  const app = new App({ builtinCloudFormationValidation: false });
  build(app, 'Offline', publicAcme);
  const assembly = app.synth();
  expect(assembly.manifest.missing ?? []).toEqual([]);
});

describe('props that change security', () => {
  const audit = 'arn:aws:s3:::central-audit-444455556666';
  let templates: CheckedApp['templates'];
  beforeAll(() => {
    // An endpoint whose clients differ from the others' (models subnets only) must not be widened to the shared set.
    const endpoints = acme.network.vpcEndpoints.map((e) => e.type === 'Interface' && e.service === 'sqs'
      ? { ...e, clientCidrs: acme.network.zoneCidrs.models } : e);
    ({ templates } = synthWithChecks((app) => [
      build(app, 'External', acme, undefined, { s3ExternalBucketArns: [audit], tags: { 'cost-center': 'ml-42' } }).stack,
      build(app, 'SplitClients', acme, undefined, { endpoints }).stack,
    ], { validator: false }));
  });

  test('s3ExternalBucketArns: declared buckets outside the account, for this account\'s principals only', () => {
    const s3 = (Object.values(templates.External.findResources('AWS::EC2::VPCEndpoint')) as any[]).filter((r) => r.Properties.ServiceName.endsWith('.s3'));
    expect(s3).toHaveLength(2);
    for (const r of s3) {
      expect(r.Properties.PolicyDocument.Statement[2]).toEqual({ Sid: 'ThisAccountPrincipalsToDeclaredBuckets', Effect: 'Allow', Principal: { AWS: '*' },
        Action: 's3:*', Resource: [audit, `${audit}/*`], Condition: { StringEquals: { 'aws:PrincipalAccount': '111122223333' } } });
    }
  });

  test('tags: extra tags on every resource of the network, next to the boundary tag', () => {
    const tagged = ['AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::RouteTable', 'AWS::EC2::SecurityGroup', 'AWS::EC2::VPCEndpoint', 'AWS::Logs::LogGroup']
      .flatMap((type) => Object.values(templates.External.findResources(type)) as any[]);
    expect(tagged.length).toBeGreaterThan(30);
    for (const r of tagged) expect(tagsOf(r)).toEqual(expect.objectContaining({ 'cost-center': 'ml-42', 'private-ai-boundary.io/boundary': 'acme-prod' }));
  });

  test('an endpoint with its own client CIDRs gets its own security group admitting exactly those', () => {
    const t = templates.SplitClients;
    const sgs = Object.entries(t.findResources('AWS::EC2::SecurityGroup')).filter(([, r]: [string, any]) => tagsOf(r)['private-ai-boundary.io/zone'] === 'endpoints');
    expect(sgs).toHaveLength(2);
    const sqs = (Object.values(t.findResources('AWS::EC2::VPCEndpoint')) as any[]).find((r) => r.Properties.ServiceName.endsWith('.sqs'));
    const [sqsSg] = sqs.Properties.SecurityGroupIds.map((x: any) => x['Fn::GetAtt'][0]);
    expect(ingressRules(t).filter((r) => r.group === sqsSg).map((r) => r.cidr).sort()).toEqual([...acme.network.zoneCidrs.models].sort());
    const models = securityGroupId(t, 'models');
    const gw = securityGroupId(t, 'gateway');
    expect(egressRules(t).filter((e) => e.dest === sqsSg).map((e) => e.group)).toEqual([models]);
    expect(egressRules(t).filter((e) => e.group === gw && e.dest === sqsSg)).toEqual([]);
  });

  test('impossible inputs are refused: a zone missing an AZ, an endpoint outside the network', () => {
    const app = new App();
    const subnets = acme.network.subnets.filter((s) => !(s.zone === 'models' && s.azIndex === 2));
    expect(() => build(app, 'MissingAz', { ...acme, network: { ...acme.network, subnets } })).toThrow(/zone models has subnets in AZs \[0,1\] for 3 AZs/);
    const stray = acme.network.vpcEndpoints.map((e) => e.type === 'Interface' ? { ...e, subnets: [{ zone: 'data' as const, azIndex: 0, cidr: '10.99.0.0/24' }] } : e);
    expect(() => build(app, 'Stray', acme, undefined, { endpoints: stray })).toThrow(/not a subnet of this network/);
  });
});
