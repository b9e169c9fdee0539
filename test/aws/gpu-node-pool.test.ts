import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { GpuNodePool, NODE_ROLE_MANAGED_POLICIES, type GpuNodePoolProps } from '../../lib/aws/gpu-node-pool';
import { SystemNodeGroup } from '../../lib/aws/system-node-group';
import { GPU_TAINT, LABEL } from '../../lib/plan/names';
import { describeFindings, synthWithChecks, type CheckedApp } from '../helpers/aws-checks';

/** Template assertions under names jest/expect-expect recognizes (they throw on mismatch). */
function expectProps(t: Template, type: string, props: any): void {
  t.hasResourceProperties(type, props);
}
function expectCount(t: Template, type: string, count: number): void {
  t.resourceCountIs(type, count);
}

const CLUSTER_SG = 'sg-0123456789abcdef0';
/** Labels and taints as lib/plan's planPools gives them for pool `l4` of boundary `acme`. */
const POOL_LABELS = { [LABEL.gpuPool]: 'l4', [LABEL.gpuPresent]: 'true', [LABEL.boundary]: 'acme' };
const POOL_TAINTS = [{ ...GPU_TAINT }];

interface Env { stack: Stack; cluster: eks.ICluster; subnets: ec2.ISubnet[]; key: kms.Key }

/** Cluster, subnets and key that exist elsewhere (imported: no resources, no lookup). */
function env(app: App, id: string): Env {
  const stack = new Stack(app, id);
  const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'acme', clusterSecurityGroupId: CLUSTER_SG });
  const subnets = ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'].map((s, i) => ec2.Subnet.fromSubnetId(stack, `Subnet${i}`, s));
  return { stack, cluster, subnets, key: new kms.Key(stack, 'Key', { enableKeyRotation: true }) };
}

function pool(e: Env, extra: Partial<GpuNodePoolProps> = {}): GpuNodePool {
  return new GpuNodePool(e.stack, 'Pool', {
    cluster: e.cluster, name: 'l4', subnets: e.subnets, instanceTypes: ['g6.2xlarge', 'g6.4xlarge'], minNodes: 1, maxNodes: 3,
    diskGiB: 200, labels: POOL_LABELS, taints: POOL_TAINTS, encryptionKey: e.key, ...extra,
  });
}

const keyArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] };
const encryptedGp3 = (size?: number) => ({ DeleteOnTermination: true, Encrypted: true, KmsKeyId: keyArn, VolumeType: 'gp3', ...(size ? { VolumeSize: size } : {}) });

describe('GpuNodePool and SystemNodeGroup', () => {
  let checked: CheckedApp;
  let t: Record<'Bottlerocket' | 'Al2023' | 'System' | 'SystemAl2023', Template>;

  beforeAll(() => {
    checked = synthWithChecks((app) => {
      const br = env(app, 'Bottlerocket');
      pool(br, { nodeRoleName: 'acme-gpu-node', instanceProfileName: 'acme-gpu-node' });
      const al = env(app, 'Al2023');
      const sg = new ec2.SecurityGroup(al.stack, 'Extra', {
        vpc: ec2.Vpc.fromVpcAttributes(al.stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'] }),
        allowAllOutbound: false,
        description: 'extra node group',
      });
      const role = iam.Role.fromRoleArn(al.stack, 'Shared', 'arn:aws:iam::123456789012:role/acme-gpu-node');
      pool(al, {
        amiType: 'AL2023_x86_64_NVIDIA', capacityType: 'spot', nodeRole: role, securityGroups: [sg], releaseVersion: '1.33.5-20251120',
        taints: [...POOL_TAINTS, { key: 'dedicated', value: 'batch', effect: 'PreferNoSchedule' }, { key: 'evict', value: 'x', effect: 'NoExecute' }],
      });
      const sys = env(app, 'System');
      new SystemNodeGroup(sys.stack, 'System', { cluster: sys.cluster, subnets: sys.subnets, encryptionKey: sys.key });
      const sysAl = env(app, 'SystemAl2023');
      new SystemNodeGroup(sysAl.stack, 'System', {
        cluster: sysAl.cluster, subnets: sysAl.subnets, encryptionKey: sysAl.key, amiType: 'AL2023_x86_64_STANDARD', diskGiB: 80,
        labels: { [LABEL.zone]: 'gateway' }, nodeRoleName: 'acme-system-node',
      });
      return [br.stack, al.stack, sys.stack, sysAl.stack];
    });
    t = checked.templates as typeof t;
  });

  test('synthesizes with no unacknowledged cdk-nag or CloudFormation finding', () => {
    expect(describeFindings(checked.findings)).toEqual([]);
  });

  test('acknowledges only the AWS-managed node policies on the roles it creates, with reasons', () => {
    const acks = checked.acknowledged.map((a) => `${a.rule} @ ${a.path}`).sort();
    const expected = ['Bottlerocket/Pool', 'System/System', 'SystemAl2023/System'].flatMap((p) =>
      NODE_ROLE_MANAGED_POLICIES.map((policy) => `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${policy}] @ ${p}/NodeRole/Resource`));
    expect(acks).toEqual(expected.sort());
    for (const a of checked.acknowledged) expect(a.reason.length).toBeGreaterThan(40);
  });

  test('AMI type is always explicit: Bottlerocket NVIDIA by default, AL2023 NVIDIA on request, Bottlerocket x86 for system', () => {
    expectProps(t.Bottlerocket, 'AWS::EKS::Nodegroup', { AmiType: 'BOTTLEROCKET_x86_64_NVIDIA' });
    expectProps(t.Al2023, 'AWS::EKS::Nodegroup', { AmiType: 'AL2023_x86_64_NVIDIA', ReleaseVersion: '1.33.5-20251120' });
    expectProps(t.System, 'AWS::EKS::Nodegroup', { AmiType: 'BOTTLEROCKET_x86_64', ReleaseVersion: Match.absent() });
    expectProps(t.SystemAl2023, 'AWS::EKS::Nodegroup', { AmiType: 'AL2023_x86_64_STANDARD' });
  });

  test('labels and taints are exactly the input, effects in EKS API spelling', () => {
    expectProps(t.Bottlerocket, 'AWS::EKS::Nodegroup', {
      Labels: POOL_LABELS,
      Taints: [{ Key: 'nvidia.com/gpu', Value: 'true', Effect: 'NO_SCHEDULE' }],
    });
    expectProps(t.Al2023, 'AWS::EKS::Nodegroup', {
      Taints: [
        { Key: 'nvidia.com/gpu', Value: 'true', Effect: 'NO_SCHEDULE' },
        { Key: 'dedicated', Value: 'batch', Effect: 'PREFER_NO_SCHEDULE' },
        { Key: 'evict', Value: 'x', Effect: 'NO_EXECUTE' },
      ],
    });
    expectProps(t.System, 'AWS::EKS::Nodegroup', { Labels: Match.absent(), Taints: Match.absent() });
    expectProps(t.SystemAl2023, 'AWS::EKS::Nodegroup', { Labels: { [LABEL.zone]: 'gateway' } });
  });

  test('every launch template requires IMDSv2 with hop limit 1', () => {
    for (const tpl of Object.values(t)) {
      expectCount(tpl, 'AWS::EC2::LaunchTemplate', 1);
      expectProps(tpl, 'AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 1, InstanceMetadataTags: 'disabled' } }),
      });
    }
  });

  test('every volume is encrypted gp3 with the key: Bottlerocket OS + data volume, AL2023 root volume', () => {
    const devices = (tpl: Template) => Object.values(tpl.findResources('AWS::EC2::LaunchTemplate'))[0].Properties.LaunchTemplateData.BlockDeviceMappings;
    expectProps(t.Bottlerocket, 'AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: encryptedGp3() }, { DeviceName: '/dev/xvdb', Ebs: encryptedGp3(200) }],
      }),
    });
    expectProps(t.Al2023, 'AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: encryptedGp3(200) }] }),
    });
    expectProps(t.System, 'AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: encryptedGp3() }, { DeviceName: '/dev/xvdb', Ebs: encryptedGp3(50) }] }),
    });
    expectProps(t.SystemAl2023, 'AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: encryptedGp3(80) }] }),
    });
    for (const tpl of Object.values(t)) for (const d of devices(tpl)) expect(d.Ebs.Encrypted).toBe(true);
  });

  test('no SSH key, no remote access, no user data, no public address; disk size only in the launch template', () => {
    for (const tpl of Object.values(t)) {
      expectProps(tpl, 'AWS::EKS::Nodegroup', { RemoteAccess: Match.absent(), DiskSize: Match.absent() });
      expectProps(tpl, 'AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: Match.objectLike({ KeyName: Match.absent(), UserData: Match.absent(), NetworkInterfaces: Match.absent(), ImageId: Match.absent() }),
      });
      expectProps(tpl, 'AWS::EKS::Nodegroup', {
        LaunchTemplate: { Id: { Ref: Match.stringLikeRegexp('LaunchTemplate') }, Version: { 'Fn::GetAtt': [Match.stringLikeRegexp('LaunchTemplate'), 'LatestVersionNumber'] } },
      });
    }
  });

  test('capacity, scaling and placement follow the props; system nodes are on-demand 2..4 m7i.large by default', () => {
    expectProps(t.Bottlerocket, 'AWS::EKS::Nodegroup', {
      NodegroupName: 'l4', ClusterName: 'acme', CapacityType: 'ON_DEMAND', InstanceTypes: ['g6.2xlarge', 'g6.4xlarge'],
      ScalingConfig: { MinSize: 1, DesiredSize: 1, MaxSize: 3 }, Subnets: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    });
    expectProps(t.Al2023, 'AWS::EKS::Nodegroup', { CapacityType: 'SPOT' });
    expectProps(t.System, 'AWS::EKS::Nodegroup', {
      NodegroupName: 'system', CapacityType: 'ON_DEMAND', InstanceTypes: ['m7i.large'], ScalingConfig: { MinSize: 2, DesiredSize: 2, MaxSize: 4 },
    });
  });

  test('node role: created with the node policies and named, with the Karpenter instance profile when asked', () => {
    expectProps(t.Bottlerocket, 'AWS::IAM::Role', {
      RoleName: 'acme-gpu-node',
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } }], Version: '2012-10-17' },
      ManagedPolicyArns: NODE_ROLE_MANAGED_POLICIES.map((p) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::aws:policy/${p}`]] })),
    });
    expectProps(t.Bottlerocket, 'AWS::IAM::InstanceProfile', { InstanceProfileName: 'acme-gpu-node', Roles: [{ Ref: Match.stringLikeRegexp('^PoolNodeRole') }] });
    expectProps(t.Bottlerocket, 'AWS::EKS::Nodegroup', { NodeRole: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PoolNodeRole'), 'Arn'] } });
    expectProps(t.SystemAl2023, 'AWS::IAM::Role', { RoleName: 'acme-system-node' });
    expectCount(t.System, 'AWS::IAM::InstanceProfile', 0);
  });

  test('a given node role is used as is: no role, no instance profile created', () => {
    expectCount(t.Al2023, 'AWS::IAM::Role', 0);
    expectCount(t.Al2023, 'AWS::IAM::InstanceProfile', 0);
    expectProps(t.Al2023, 'AWS::EKS::Nodegroup', { NodeRole: 'arn:aws:iam::123456789012:role/acme-gpu-node' });
  });

  test('extra security groups keep the cluster security group; none by default (EKS attaches it)', () => {
    expectProps(t.Al2023, 'AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ SecurityGroupIds: [CLUSTER_SG, { 'Fn::GetAtt': [Match.stringLikeRegexp('^Extra'), 'GroupId'] }] }),
    });
    expectProps(t.Bottlerocket, 'AWS::EC2::LaunchTemplate', { LaunchTemplateData: Match.objectLike({ SecurityGroupIds: Match.absent() }) });
  });

  test('no Lambda and no custom resource', () => {
    for (const tpl of Object.values(t)) {
      const types = Object.values(tpl.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type);
      expect(types.filter((type) => type.startsWith('AWS::Lambda::') || type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource')).toEqual([]);
    }
  });
});

describe('GpuNodePool input checks', () => {
  test('refuses an impossible scaling range and an empty instance type list', () => {
    const fresh = () => env(new App(), 'S');
    expect(() => pool(fresh(), { minNodes: 3, maxNodes: 2 })).toThrow(/minNodes <= maxNodes/);
    expect(() => pool(fresh(), { minNodes: 0, maxNodes: 0 })).toThrow(/maxNodes >= 1/);
    expect(() => pool(fresh(), { instanceTypes: [] })).toThrow(/instanceTypes is empty/);
    expect(() => pool(fresh(), { minNodes: 0, maxNodes: 1 })).not.toThrow();
  });
});
