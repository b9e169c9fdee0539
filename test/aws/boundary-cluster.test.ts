import { App, Aws, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { BoundaryCluster, type BoundaryClusterProps } from '../../lib/aws/boundary-cluster';
import { EKS_ADDON_VERSIONS, SUPPORTED_KUBERNETES_VERSIONS, VPC_CNI_CONFIGURATION, addonVersionsFor } from '../../lib/aws/eks-addons';
import { describeFindings, synthWithChecks, type CheckedApp } from '../helpers/aws-checks';

/** Template assertions under names jest/expect-expect recognizes (they throw on mismatch). */
function expectProps(t: Template, type: string, props: any): void {
  t.hasResourceProperties(type, props);
}
function expectResource(t: Template, type: string, props: any): void {
  t.hasResource(type, props);
}
function expectCount(t: Template, type: string, count: number): void {
  t.resourceCountIs(type, count);
}

const BREAK_GLASS = 'arn:aws:iam::123456789012:role/acme-break-glass';
const VIEWER = 'arn:aws:iam::123456789012:role/acme-viewer';

/** A VPC and subnets that exist elsewhere: no resources, no AZ lookup. */
function stub(stack: Stack): { vpc: ec2.IVpc; key: kms.Key } {
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    isolatedSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  });
  return { vpc, key: new kms.Key(stack, 'Key', { enableKeyRotation: true }) };
}

function clusterStack(app: App, id: string, extra: (stack: Stack, base: BoundaryClusterProps) => Partial<BoundaryClusterProps> = () => ({})): BoundaryCluster {
  const stack = new Stack(app, id);
  const { vpc, key } = stub(stack);
  const base: BoundaryClusterProps = { clusterName: 'acme', version: '1.33', vpc, subnets: vpc.isolatedSubnets, encryptionKey: key };
  return new BoundaryCluster(stack, 'Cluster', { ...base, ...extra(stack, base) });
}

function resourcesOf(t: Template, type: string): Record<string, any> {
  return t.findResources(type);
}

describe('BoundaryCluster', () => {
  let checked: CheckedApp;
  let full: Template;
  let minimal: Template;

  beforeAll(() => {
    checked = synthWithChecks((app) => {
      const c = clusterStack(app, 'Full', () => ({
        oidc: { issuerUrl: 'https://idp.example.com', clientId: 'kubernetes', groupsClaim: 'groups', groupsPrefix: 'oidc:', usernameClaim: 'email' },
      }));
      c.addAccessEntry(BREAK_GLASS, {
        kubernetesGroups: ['pab:break-glass'],
        policies: [{ policyArn: eks.AccessPolicyArn.AMAZON_EKS_CLUSTER_ADMIN_POLICY.policyArn, scope: 'cluster' }],
      });
      c.addAccessEntry(VIEWER, {
        kubernetesGroups: ['pab:grant:viewer'],
        policies: [{ policyArn: eks.AccessPolicyArn.AMAZON_EKS_VIEW_POLICY.policyArn, scope: { namespaces: ['acme-models'] } }],
      });
      c.addCompute(new CfnResource(c, 'Compute', { type: 'AWS::CloudFormation::WaitConditionHandle' }));
      const m = clusterStack(app, 'Minimal', (stack, base) => ({
        version: '1.30',
        controlPlaneLogGroup: new logs.LogGroup(stack, 'Given', {
          logGroupName: '/aws/eks/acme/cluster', encryptionKey: base.encryptionKey, retention: logs.RetentionDays.THIRTEEN_MONTHS,
        }),
        securityGroup: new ec2.SecurityGroup(stack, 'Sg', { vpc: base.vpc, allowAllOutbound: false, description: 'control plane' }),
      }));
      return [c, m].map((x) => Stack.of(x));
    });
    full = checked.templates.Full;
    minimal = checked.templates.Minimal;
  });

  test('synthesizes with no unacknowledged cdk-nag or CloudFormation finding', () => {
    expect(describeFindings(checked.findings)).toEqual([]);
  });

  test('acknowledges exactly the managed cluster policy and the deprecated EncryptionConfig property, with reasons', () => {
    const acks = checked.acknowledged.map((a) => `${a.plugin} ${a.rule} @ ${a.path}`).sort();
    expect(acks).toEqual([
      'AwsSolutions AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy] @ Full/Cluster/Cluster/Role/Resource',
      'AwsSolutions AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonEKSClusterPolicy] @ Minimal/Cluster/Cluster/Role/Resource',
      'CloudFormation Validate W9009 @ Full/Cluster/Cluster/Resource',
      'CloudFormation Validate W9009 @ Minimal/Cluster/Cluster/Resource',
    ]);
    for (const a of checked.acknowledged) expect(a.reason.length).toBeGreaterThan(40);
  });

  test('API endpoint is private only', () => {
    for (const t of [full, minimal]) {
      expectProps(t, 'AWS::EKS::Cluster', {
        ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: false, EndpointPrivateAccess: true, PublicAccessCidrs: Match.absent() }),
      });
    }
  });

  test('every control-plane log type is on', () => {
    expectProps(full, 'AWS::EKS::Cluster', {
      Logging: { ClusterLogging: { EnabledTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((Type) => ({ Type })) } },
    });
  });

  test('Secrets are envelope-encrypted with the boundary key, which the cluster role may use', () => {
    expectProps(full, 'AWS::EKS::Cluster', {
      EncryptionConfig: [{ Provider: { KeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } }, Resources: ['secrets'] }],
    });
    expectProps(full, 'AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:DescribeKey'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } },
          Match.objectLike({ Action: 'kms:CreateGrant', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }),
        ],
        Version: '2012-10-17',
      },
    });
  });

  test('API authentication with access entries only, no creator admin, no Auto Mode, no self-managed add-ons', () => {
    expectProps(full, 'AWS::EKS::Cluster', {
      AccessConfig: { AuthenticationMode: 'API', BootstrapClusterCreatorAdminPermissions: false },
      BootstrapSelfManagedAddons: false,
      ComputeConfig: { Enabled: false },
      Name: 'acme',
      Version: '1.33',
    });
    expect(Object.keys(resourcesOf(full, 'AWS::EKS::Nodegroup'))).toEqual([]);
    expect(Object.keys(resourcesOf(full, 'AWS::AutoScaling::AutoScalingGroup'))).toEqual([]);
  });

  test('no Lambda, no custom resource, no kubectl provider', () => {
    for (const t of [full, minimal]) {
      const types = Object.values(t.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type);
      expect(types.filter((type) => type === 'AWS::Lambda::Function' || type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource')).toEqual([]);
      expect(types.filter((type) => type.startsWith('AWS::Lambda::'))).toEqual([]);
    }
  });

  test('add-ons are pinned per Kubernetes minor, overwrite conflicts, and vpc-cni enforces NetworkPolicy in strict mode', () => {
    for (const [t, version] of [[full, '1.33'], [minimal, '1.30']] as const) {
      const addons = Object.values(resourcesOf(t, 'AWS::EKS::Addon')).map((r) => r.Properties);
      const pinned = Object.fromEntries(addons.map((p) => [p.AddonName, p.AddonVersion]));
      expect(pinned).toEqual(EKS_ADDON_VERSIONS[version]);
      for (const p of addons) expect(p.ResolveConflicts).toBe('OVERWRITE');
    }
    const cni = Object.values(resourcesOf(full, 'AWS::EKS::Addon')).find((r) => r.Properties.AddonName === 'vpc-cni')!;
    expect(JSON.parse(cni.Properties.ConfigurationValues)).toEqual({
      enableNetworkPolicy: 'true',
      nodeAgent: { enablePolicyEventLogs: 'true' },
      env: { NETWORK_POLICY_ENFORCING_MODE: 'strict' },
    });
    expect(JSON.parse(cni.Properties.ConfigurationValues)).toEqual(VPC_CNI_CONFIGURATION);
  });

  test('the add-on table covers every supported minor with EKS build versions, kube-proxy matching the minor', () => {
    expect(SUPPORTED_KUBERNETES_VERSIONS).toEqual(['1.30', '1.31', '1.32', '1.33', '1.34']);
    for (const minor of SUPPORTED_KUBERNETES_VERSIONS) {
      const row = addonVersionsFor(minor);
      for (const v of Object.values(row)) expect(v).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
      expect(row['kube-proxy'].startsWith(`v${minor}.`)).toBe(true);
    }
    expect(() => addonVersionsFor('1.29')).toThrow(/1\.30, 1\.31, 1\.32, 1\.33, 1\.34/);
  });

  test('a node group registered with addCompute starts after the networking add-ons, CoreDNS after it', () => {
    const addons = resourcesOf(full, 'AWS::EKS::Addon');
    const idOf = (name: string) => Object.keys(addons).find((k) => addons[k].Properties.AddonName === name)!;
    const compute = Object.keys(resourcesOf(full, 'AWS::CloudFormation::WaitConditionHandle'))[0];
    expect(full.toJSON().Resources[compute].DependsOn).toEqual([idOf('kube-proxy'), idOf('eks-pod-identity-agent'), idOf('vpc-cni')].sort());
    expect(addons[idOf('coredns')].DependsOn).toEqual([compute]);
    expect(addons[idOf('vpc-cni')].DependsOn).toBeUndefined();
  });

  test('IAM OIDC provider is native (no thumbprint custom resource) and trusts the cluster issuer for STS', () => {
    expectProps(full, 'AWS::IAM::OIDCProvider', {
      Url: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Cluster[0-9A-F]{8}$'), 'OpenIdConnectIssuerUrl'] },
      ClientIdList: ['sts.amazonaws.com'],
      ThumbprintList: Match.absent(),
    });
  });

  test('OIDC identity provider config maps the IdP groups with their prefix; absent without oidc', () => {
    expectProps(full, 'AWS::EKS::IdentityProviderConfig', {
      Type: 'oidc',
      IdentityProviderConfigName: 'acme-oidc',
      Oidc: { IssuerUrl: 'https://idp.example.com', ClientId: 'kubernetes', GroupsClaim: 'groups', GroupsPrefix: 'oidc:', UsernameClaim: 'email' },
    });
    expectCount(minimal, 'AWS::EKS::IdentityProviderConfig', 0);
  });

  test('control-plane logs go to /aws/eks/<name>/cluster with the key and a retention, created before the cluster', () => {
    expectProps(full, 'AWS::Logs::LogGroup', {
      LogGroupName: '/aws/eks/acme/cluster',
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
      RetentionInDays: 365,
    });
    const [logGroupId] = Object.keys(resourcesOf(full, 'AWS::Logs::LogGroup'));
    expectResource(full, 'AWS::EKS::Cluster', { DependsOn: Match.arrayWith([logGroupId]) });
  });

  test('a given log group is used as is: no second group, the cluster waits for it', () => {
    const groups = resourcesOf(minimal, 'AWS::Logs::LogGroup');
    expect(Object.keys(groups)).toEqual([expect.stringMatching(/^Given/)]);
    expect(Object.values(groups)[0].Properties.RetentionInDays).toBe(logs.RetentionDays.THIRTEEN_MONTHS);
    expectResource(minimal, 'AWS::EKS::Cluster', { DependsOn: Match.arrayWith([Object.keys(groups)[0]]) });
  });

  test('control-plane security group admits nothing and sends nothing; a given group is used instead', () => {
    expectProps(full, 'AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
    });
    expectCount(minimal, 'AWS::EC2::SecurityGroup', 1);
    expectProps(minimal, 'AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({ SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Sg'), 'GroupId'] }] }),
    });
  });

  test('access entries map principals to groups and scoped EKS access policies', () => {
    expectProps(full, 'AWS::EKS::AccessEntry', {
      PrincipalArn: BREAK_GLASS,
      Type: 'STANDARD',
      KubernetesGroups: ['pab:break-glass'],
      AccessPolicies: [{
        PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy']] },
        AccessScope: { Type: 'cluster' },
      }],
    });
    expectProps(full, 'AWS::EKS::AccessEntry', {
      PrincipalArn: VIEWER,
      AccessPolicies: [Match.objectLike({ AccessScope: { Type: 'namespace', Namespaces: ['acme-models'] } })],
    });
    expectCount(minimal, 'AWS::EKS::AccessEntry', 0);
  });
});

describe('BoundaryCluster input checks and determinism', () => {
  function build(props: Partial<BoundaryClusterProps> = {}): { stack: Stack; cluster: BoundaryCluster } {
    const app = new App();
    const stack = new Stack(app, 'S');
    const { vpc, key } = stub(stack);
    const cluster = new BoundaryCluster(stack, 'Cluster', { clusterName: 'acme', version: '1.34', vpc, subnets: vpc.isolatedSubnets, encryptionKey: key, ...props });
    return { stack, cluster };
  }

  test('refuses a Kubernetes version without pinned add-ons and a token cluster name', () => {
    expect(() => build({ version: '1.35' })).toThrow(/no pinned EKS add-ons/);
    expect(() => build({ clusterName: Aws.STACK_NAME })).toThrow(/plain string/);
  });

  test('access entry ids are derived from the ARN; a token ARN needs an explicit id', () => {
    const { stack, cluster } = build();
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => cluster.addAccessEntry(role.roleArn)).toThrow(/options.id/);
    expect(cluster.addAccessEntry(role.roleArn, { id: 'Ops' }).node.id).toBe('Ops');
    expect(cluster.addAccessEntry(BREAK_GLASS).node.id).toMatch(/^AccessEntry[0-9a-f]{12}$/);
  });

  test('same input, byte-identical template', () => {
    const a = JSON.stringify(Template.fromStack(build().stack).toJSON());
    const b = JSON.stringify(Template.fromStack(build().stack).toJSON());
    expect(a).toBe(b);
  });
});
