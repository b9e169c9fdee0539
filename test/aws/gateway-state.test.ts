import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DATABASE_USER, GatewayState, type GatewayStateProps } from '../../lib/aws/gateway-state';
import { SECRET_METADATA_KEY } from '../../lib/aws/secrets-store';
import type { BoundaryPlan } from '../../lib/plan';
import { describeFindings, synthWithChecks, type CheckedApp } from '../helpers/aws-checks';
import { examplePlans } from '../helpers/examples';

const plans = Object.fromEntries(examplePlans());
const CLIENT_SG = 'sg-0a1b2c3d4e5f60718';
const SUBNETS = ['subnet-0a1b2c3d4e5f60711', 'subnet-0a1b2c3d4e5f60722'];

/** Remote key of a planned secret's key (the contract with the Kubernetes target). */
function remoteKeyOf(plan: BoundaryPlan, id: string, secretKey?: string): string {
  const secret = plan.secrets.secrets.find((s) => s.id === id)!;
  return secret.keys.find((k) => k.secretKey === secretKey)?.remoteKey ?? secret.remoteKey;
}

/** The gateway state of a plan, mapped as the composing construct maps it, over stub network and key. */
function stateStack(app: any, plan: BoundaryPlan): { stack: Stack; state: GatewayState; readPolicy: iam.ManagedPolicy } {
  const aws = plan.spec.aws!;
  const stack = new Stack(app, plan.name, { env: { account: aws.account, region: aws.region } });
  const key = new kms.Key(stack, 'BoundaryKey', { enableKeyRotation: true });
  const azs = [`${aws.region}a`, `${aws.region}b`];
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0a1b2c3d4e5f60700', availabilityZones: azs });
  const dataSubnets = SUBNETS.map((subnetId, i) => ec2.Subnet.fromSubnetAttributes(stack, `Data${i}`, { subnetId, availabilityZone: azs[i] }));
  const props: GatewayStateProps = {
    identifier: `${plan.name}-gateway`, vpc, dataSubnets, encryptionKey: key,
    clientSecurityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Gateway', CLIENT_SG),
    databaseSecretName: remoteKeyOf(plan, 'gateway/database'),
    multiAz: plan.spec.resilience.rtoMinutes < 240,
    backupRetentionDays: 7, logRetentionDays: plan.spec.audit.retentionDays,
    rotationDays: plan.secrets.rotationDays, rotationOwner: plan.spec.owner,
    readerRoleArns: [plan.secrets.readerRoleArn!],
    sharedCounters: plan.gateway.sharedCounters
      ? { authSecretName: remoteKeyOf(plan, 'gateway/redis', 'REDIS_PASSWORD'), endpointSecretName: remoteKeyOf(plan, 'gateway/redis', 'REDIS_HOST') }
      : undefined,
  };
  const state = new GatewayState(stack, 'GatewayState', props);
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com') });
  return { stack, state, readPolicy: state.grantRead(reader) };
}

const only = (t: Template, type: string): [string, any] => {
  const found = Object.entries(t.findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
};

describe.each([
  ['acme-prod', { multiAz: true, cache: true }],
  ['globex-staging', { multiAz: false, cache: false }],
] as const)('GatewayState (%s)', (name, expected) => {
  const plan = plans[name];
  const secretNames = [remoteKeyOf(plan, 'gateway/database'),
    ...(expected.cache ? [remoteKeyOf(plan, 'gateway/redis', 'REDIS_PASSWORD'), remoteKeyOf(plan, 'gateway/redis', 'REDIS_HOST')] : [])];
  let checked: CheckedApp;
  let t: Template;
  let stack: Stack;
  let state: GatewayState;
  let readPolicy: iam.ManagedPolicy;
  let keyArn: unknown;
  beforeAll(() => {
    checked = synthWithChecks((app) => {
      ({ stack, state, readPolicy } = stateStack(app, plan));
      return [stack];
    });
    t = checked.templates[name];
    keyArn = { 'Fn::GetAtt': [Object.keys(t.findResources('AWS::KMS::Key'))[0], 'Arn'] };
  });

  test('the plan asks for what this example tests', () => {
    expect([plan.spec.resilience.rtoMinutes < 240, plan.gateway.sharedCounters]).toEqual([expected.multiAz, expected.cache]);
  });

  test('PostgreSQL 16: encrypted with the boundary key, private, IAM auth, deletion protection, backups, Multi-AZ as asked', () => {
    expect(only(t, 'AWS::RDS::DBInstance')[1].Properties).toEqual(expect.objectContaining({
      Engine: 'postgres', EngineVersion: '16', DBInstanceIdentifier: `${name}-gateway`, DBInstanceClass: 'db.t4g.small', DBName: 'litellm',
      StorageEncrypted: true, KmsKeyId: keyArn, PubliclyAccessible: false, MultiAZ: expected.multiAz,
      BackupRetentionPeriod: 7, DeletionProtection: true, EnableIAMDatabaseAuthentication: true, Port: '5432',
      PerformanceInsightsKMSKeyId: keyArn, EnablePerformanceInsights: true, MonitoringInterval: 60, CACertificateIdentifier: 'rds-ca-rsa2048-g1',
      EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
    }));
    t.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    t.hasResourceProperties('AWS::RDS::DBParameterGroup', { Family: 'postgres16', Parameters: Match.objectLike({ 'rds.force_ssl': '1' }) });
  });

  test('only in the data subnets', () => {
    expect(only(t, 'AWS::RDS::DBSubnetGroup')[1].Properties.SubnetIds).toEqual(SUBNETS);
    const groups = Object.values(t.findResources('AWS::ElastiCache::SubnetGroup')).map((g: any) => g.Properties.SubnetIds);
    expect(groups).toEqual(expected.cache ? [SUBNETS] : []);
  });

  test('reachable only from the gateway security group, on 5432 (and 6379 for the cache); no egress', () => {
    const [sgId, sg] = only(t, 'AWS::EC2::SecurityGroup');
    expect(sg.Properties.SecurityGroupIngress).toBeUndefined();
    expect(sg.Properties.SecurityGroupEgress).toEqual([{ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', FromPort: 252, IpProtocol: 'icmp', ToPort: 86 }]);
    const ingress = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => r.Properties);
    expect(ingress.map((r) => [r.GroupId, r.SourceSecurityGroupId, r.IpProtocol, r.FromPort, r.ToPort, r.CidrIp])).toEqual([
      [{ 'Fn::GetAtt': [sgId, 'GroupId'] }, CLIENT_SG, 'tcp', 5432, 5432, undefined],
      ...(expected.cache ? [[{ 'Fn::GetAtt': [sgId, 'GroupId'] }, CLIENT_SG, 'tcp', 6379, 6379, undefined]] : []),
    ]);
    expect(stack.resolve(state.securityGroup.securityGroupId)).toEqual({ 'Fn::GetAtt': [sgId, 'GroupId'] });
  });

  test('exported logs go to log groups encrypted with the key, kept at least the audit retention, created before the instance', () => {
    const groups = t.findResources('AWS::Logs::LogGroup');
    expect(Object.values(groups).map((g: any) => [g.Properties.LogGroupName, g.Properties.KmsKeyId, g.Properties.RetentionInDays >= plan.spec.audit.retentionDays]))
      .toEqual(['postgresql', 'upgrade'].map((type) => [`/aws/rds/instance/${name}-gateway/${type}`, keyArn, true]));
    expect(only(t, 'AWS::RDS::DBInstance')[1].DependsOn).toEqual(expect.arrayContaining(Object.keys(groups)));
  });

  test('credentials: a generated secret under the fixed name, with username and dbname, attached to the instance, no value in the template', () => {
    const secrets = t.findResources('AWS::SecretsManager::Secret');
    const [dbSecretId, dbSecret] = Object.entries(secrets).find(([, s]: [string, any]) => s.Properties.Name === remoteKeyOf(plan, 'gateway/database')) as [string, any];
    expect(dbSecret.Properties.GenerateSecretString).toEqual(expect.objectContaining({
      SecretStringTemplate: JSON.stringify({ username: DATABASE_USER, dbname: 'litellm' }), GenerateStringKey: 'password',
    }));
    expect(dbSecret.Properties.GenerateSecretString.ExcludeCharacters).toEqual(expect.stringContaining('@'));
    const [dbId, db] = only(t, 'AWS::RDS::DBInstance');
    expect(db.Properties.MasterUserPassword).toEqual({ 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: dbSecretId }, ':SecretString:password::}}']] });
    t.hasResourceProperties('AWS::SecretsManager::SecretTargetAttachment', { SecretId: { Ref: dbSecretId }, TargetId: { Ref: dbId }, TargetType: 'AWS::RDS::DBInstance' });
    expect(Object.values(secrets).map((s: any) => s.Properties.Name).sort()).toEqual([...secretNames].sort());
  });

  test('no secret value anywhere: secrets are generated, or (the cache endpoint) composed only of the cache attributes', () => {
    const all = Object.values(t.findResources('AWS::SecretsManager::Secret')) as any[];
    const composed = all.filter((s) => s.Properties.SecretString !== undefined);
    expect(all.filter((s) => s.Properties.SecretString === undefined && s.Properties.GenerateSecretString === undefined)).toEqual([]);
    expect(composed).toHaveLength(expected.cache ? 1 : 0);
    const parts: unknown[] = composed.flatMap((s) => s.Properties.SecretString['Fn::Join'][1]);
    expect(parts.filter((p) => typeof p === 'string')).toEqual(expected.cache ? ['{"host":"', '","port":"', '"}'] : []);
    expect(parts.filter((p) => typeof p !== 'string').map((p: any) => p['Fn::GetAtt'][1])).toEqual(expected.cache ? ['PrimaryEndPoint.Address', 'PrimaryEndPoint.Port'] : []);
  });

  test('every secret: the boundary key, only the readers and administrators read values, rotation recorded', () => {
    const secrets = Object.entries(t.findResources('AWS::SecretsManager::Secret')) as [string, any][];
    expect(secrets).toHaveLength(secretNames.length);
    const policies = Object.values(t.findResources('AWS::SecretsManager::ResourcePolicy')).map((p: any) => p.Properties);
    const readerRole = Object.keys(t.findResources('AWS::IAM::Role')).find((id) => id.startsWith('Reader'))!;
    for (const [id, s] of secrets) {
      expect(s.Properties.KmsKeyId).toEqual(keyArn);
      const policy = policies.filter((p) => p.SecretId.Ref === id || JSON.stringify(p.SecretId).includes(id));
      expect(policy.map((p) => [p.BlockPublicPolicy, p.ResourcePolicy.Statement.map((st: any) => [st.Effect, st.Action, st.Condition.StringNotLike['aws:PrincipalArn']])]))
        .toEqual([[true, [['Deny', 'secretsmanager:GetSecretValue', [plan.secrets.readerRoleArn, { 'Fn::GetAtt': [readerRole, 'Arn'] },
          { 'Fn::Sub': `arn:\${AWS::Partition}:iam::${plan.spec.aws!.account}:role/cdk-hnb659fds-cfn-exec-role-${plan.spec.aws!.account}-${plan.spec.aws!.region}` }]]]]]);
      const endpoint = s.Properties.SecretString !== undefined;
      expect(s.Metadata[SECRET_METADATA_KEY]).toEqual(endpoint
        ? { value: 'resource-attributes', rotation: { mode: 'not-a-credential' } }
        : { value: 'generated', rotation: { mode: 'owner', everyDays: plan.secrets.rotationDays, by: plan.spec.owner } });
    }
    t.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
  });

  test('grantRead: one managed policy reads exactly the state secrets, and the key only through Secrets Manager', () => {
    const [policyId, policy] = only(t, 'AWS::IAM::ManagedPolicy');
    expect(policyId).toBe(stack.getLogicalId(readPolicy.node.defaultChild as any));
    const [read, decrypt] = policy.Properties.PolicyDocument.Statement;
    const resources = [read.Resource].flat();
    expect(resources).toEqual(state.secrets.map((s) => stack.resolve(s.secretArn)));
    expect(resources).toHaveLength(secretNames.length);
    expect(read.Action).toEqual(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']);
    expect(decrypt).toEqual({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn,
      Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${plan.spec.aws!.region}.amazonaws.com` } } });
  });

  test('Valkey only for shared counters: TLS, encrypted with the key, AUTH token by dynamic reference, failover with Multi-AZ', () => {
    const groups = Object.values(t.findResources('AWS::ElastiCache::ReplicationGroup')) as any[];
    expect(groups).toHaveLength(expected.cache ? 1 : 0);
    expect(state.cache === undefined).toBe(!expected.cache);
    for (const g of groups) {
      const authId = Object.entries(t.findResources('AWS::SecretsManager::Secret'))
        .find(([, s]: [string, any]) => s.Properties.Name === remoteKeyOf(plan, 'gateway/redis', 'REDIS_PASSWORD'))![0];
      expect(g.Properties).toEqual(expect.objectContaining({
        Engine: 'valkey', Port: 6379, TransitEncryptionEnabled: true, AtRestEncryptionEnabled: true, KmsKeyId: keyArn,
        AuthToken: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: authId }, ':SecretString:password::}}']] },
        AutomaticFailoverEnabled: expected.multiAz, MultiAZEnabled: expected.multiAz, NumCacheClusters: expected.multiAz ? 2 : 1,
      }));
    }
  });

  test('checks: no unacknowledged finding; exactly the expected acknowledgements, each with a reason', () => {
    expect(describeFindings(checked.findings)).toEqual([]);
    const secretAcks = (path: string) => ['AwsSolutions-SMG4', 'NIST.800.53.R5-SecretsManagerRotationEnabled'].map((r) => `${r} @ ${path}`);
    const base = `${name}/GatewayState`;
    expect(checked.acknowledged.map((a) => `${a.rule} @ ${a.path.replace(/\/Resource$/, '')}`).sort()).toEqual([
      ...secretAcks(`${base}/DatabaseCredentials`),
      `AwsSolutions-RDS11 @ ${base}/Database`,
      `NIST.800.53.R5-RDSInBackupPlan @ ${base}/Database`,
      `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole] @ ${base}/Database/MonitoringRole`,
      ...(expected.multiAz ? [] : [`AwsSolutions-RDS3 @ ${base}/Database`, `NIST.800.53.R5-RDSMultiAZSupport @ ${base}/Database`]),
      ...(expected.cache ? [
        ...secretAcks(`${base}/CacheAuthToken`), ...secretAcks(`${base}/CacheEndpoint`),
        `NIST.800.53.R5-ElastiCacheRedisClusterAutomaticBackup @ ${base}/Cache`,
        ...(expected.multiAz ? [] : [`AwsSolutions-AEC4 @ ${base}/Cache`]),
      ] : []),
    ].sort());
    expect(checked.acknowledged.filter((a) => a.reason.trim().length < 40)).toEqual([]);
  });
});

describe('GatewayState: refused props', () => {
  const build = (change: Partial<GatewayStateProps>) => () => {
    const stack = new Stack(undefined, 'S', { env: { account: '111122223333', region: 'eu-central-1' } });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0a1b2c3d4e5f60700', availabilityZones: ['eu-central-1a', 'eu-central-1b'] });
    const dataSubnets = SUBNETS.map((subnetId, i) => ec2.Subnet.fromSubnetAttributes(stack, `Data${i}`, { subnetId, availabilityZone: `eu-central-1${'ab'[i]}` }));
    new GatewayState(stack, 'State', {
      identifier: 'acme-prod-gateway', vpc, dataSubnets, encryptionKey: new kms.Key(stack, 'K'),
      clientSecurityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Gateway', CLIENT_SG), databaseSecretName: 'pab/x/gateway/database-credentials',
      multiAz: true, backupRetentionDays: 7, logRetentionDays: 30, rotationDays: 30, rotationOwner: 'o@x.example', readerRoleArns: ['arn:aws:iam::111122223333:role/r'],
      ...change,
    });
  };

  test('a bad identifier, subnets in one AZ, backups off', () => {
    expect(build({})).not.toThrow();
    expect(build({ identifier: 'Acme--gateway-' })).toThrow(/identifier "Acme--gateway-"/);
    expect(build({ identifier: 'a'.repeat(41) })).toThrow(/2–40/);
    expect(build({ dataSubnets: [] })).toThrow(/0 availability zone/);
    expect(build({ backupRetentionDays: 0 })).toThrow(/backupRetentionDays 0/);
  });
});
