import { SECRET_METADATA_KEY as AWS_SECRET_METADATA_KEY } from '../../lib/aws/secrets-store';
import { iamStatements, resolveString } from '../../lib/posture/normalize-iam';
import { readCloudFormationTemplate, SECRET_METADATA_KEY } from '../../lib/posture/read-cloudformation';

/** Reading hand-written templates: each rule of the reader, with the case that must be flagged and the one that must not. */

const read = (resources: Record<string, unknown>) => readCloudFormationTemplate({ Resources: resources }, 'stack');
const getAtt = (id: string, attr = 'Arn') => ({ 'Fn::GetAtt': [id, attr] });
const sg = (props: Record<string, unknown> = {}) => ({ Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'x', VpcId: 'vpc-1', ...props } });
const placeholder = { CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', FromPort: 252, IpProtocol: 'icmp', ToPort: 86 };

describe('security groups', () => {
  test('a group declaring no egress keeps EC2\'s allow-all egress (public); the CDK placeholder means no egress', () => {
    const rules = read({ Open: sg(), Closed: sg({ SecurityGroupEgress: [placeholder] }) }).network;
    const egress = Object.fromEntries(rules.filter((r) => r.direction === 'egress').map((r) => [r.subject.kind === 'security-group' ? r.subject.name : '', r]));
    expect(egress.Open).toEqual(expect.objectContaining({ mechanism: 'SecurityGroup', public: true, peers: [{ kind: 'internet' }], ports: [{ protocol: 'all', from: 0, to: 65535 }] }));
    expect(egress.Closed).toEqual(expect.objectContaining({ mechanism: 'default-deny', public: false, peers: [] }));
  });

  test('standalone rules count (and remove the default egress); rules to other groups keep a key naming the group', () => {
    const rules = read({
      App: sg(),
      Db: sg({ SecurityGroupEgress: [placeholder], SecurityGroupIngress: [{ CidrIp: '10.0.0.0/16', IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, Description: 'vpc' }] }),
      Cache: sg({ SecurityGroupEgress: [placeholder] }),
      AppToDb: { Type: 'AWS::EC2::SecurityGroupEgress', Properties: { GroupId: getAtt('App', 'GroupId'), DestinationSecurityGroupId: getAtt('Db', 'GroupId'), IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 } },
      AppToCache: { Type: 'AWS::EC2::SecurityGroupEgress', Properties: { GroupId: getAtt('App', 'GroupId'), DestinationSecurityGroupId: getAtt('Cache', 'GroupId'), IpProtocol: '6', FromPort: 6379, ToPort: 6379 } },
    }).network;
    expect(rules.filter((r) => r.key.startsWith('network/aws/security-group/App/egress')).map((r) => [r.key, r.peers, r.ports, r.evidence.map((e) => e.ref)])).toEqual([
      ['network/aws/security-group/App/egress/Cache', [{ kind: 'security-group', name: 'Cache' }], [{ protocol: 'tcp', from: 6379, to: 6379 }], ['stack:App', 'stack:AppToCache']],
      ['network/aws/security-group/App/egress/Db', [{ kind: 'security-group', name: 'Db' }], [{ protocol: 'tcp', from: 5432, to: 5432 }], ['stack:App', 'stack:AppToDb']],
    ]);
    expect(rules.find((r) => r.key === 'network/aws/security-group/Db/ingress')).toEqual(expect.objectContaining({ peers: [{ kind: 'cidr', cidr: '10.0.0.0/16' }], purpose: 'vpc' }));
  });
});

describe('routes, endpoints, the EKS endpoint', () => {
  test('a route through a NAT gateway is internet egress of the subnets of its table; an EKS endpoint left at its defaults is public', () => {
    const rules = read({
      Subnet: { Type: 'AWS::EC2::Subnet', Properties: { CidrBlock: '10.0.1.0/24', VpcId: 'v', Tags: [{ Key: 'Name', Value: 'app-0' }] } },
      Table: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: 'v' } },
      Assoc: { Type: 'AWS::EC2::SubnetRouteTableAssociation', Properties: { RouteTableId: { Ref: 'Table' }, SubnetId: { Ref: 'Subnet' } } },
      Default: { Type: 'AWS::EC2::Route', Properties: { RouteTableId: { Ref: 'Table' }, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1' } },
      Cluster: { Type: 'AWS::EKS::Cluster', Properties: { Name: 'c', ResourcesVpcConfig: { SubnetIds: [] } } },
    }).network;
    expect(rules.find((r) => r.mechanism === 'Route')).toEqual(expect.objectContaining({
      key: 'network/aws/route/app-0/Default', subject: { kind: 'cidr', cidr: '10.0.1.0/24' }, peers: [{ kind: 'internet' }], public: true,
    }));
    expect(rules.filter((r) => r.mechanism === 'ClusterEndpoint' || r.key.startsWith('network/aws/eks-endpoint/')).map((r) => [r.key, r.mechanism, r.public])).toEqual([
      ['network/aws/eks-endpoint/c/public', 'ClusterEndpoint', true],
      ['network/aws/eks-endpoint/c/private', 'default-deny', false],
    ]);
  });

  test('a VPC endpoint carries its policy, principals included; none = full access', () => {
    const rules = read({
      S3: { Type: 'AWS::EC2::VPCEndpoint', Properties: { ServiceName: 'com.amazonaws.eu-west-1.s3', VpcId: 'v', VpcEndpointType: 'Gateway',
        PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] } } },
      Sts: { Type: 'AWS::EC2::VPCEndpoint', Properties: { ServiceName: 'com.amazonaws.eu-west-1.sts', VpcId: 'v', VpcEndpointType: 'Interface' } },
    }).network;
    expect(rules.map((r) => [r.key, r.policy])).toEqual([
      ['network/aws/vpc-endpoint/gateway/s3', [{ effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'], conditions: [], principals: ['*'] }]],
      ['network/aws/vpc-endpoint/interface/sts', undefined],
    ]);
    expect(rules[1].purpose).toContain('no endpoint policy (full access)');
  });
});

describe('IAM roles and access entries', () => {
  const role = (statements: unknown[], props: Record<string, unknown> = {}) => ({
    Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: statements }, ...props },
  });

  test('MFA and expiry come from the trust policy; one statement without MFA makes the role assumable without it', () => {
    const mfa = { Bool: { 'aws:MultiFactorAuthPresent': 'true' } };
    const until = { DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } };
    const identity = read({
      Strict: role([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 'sts:AssumeRole', Condition: { ...mfa, ...until } }], { RoleName: 'strict' }),
      Loose: role([
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 'sts:AssumeRole', Condition: { ...mfa, ...until } },
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:role/ci' }, Action: 'sts:AssumeRole' },
      ], { RoleName: 'loose' }),
      Service: role([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
    }).identity;
    const by = Object.fromEntries(identity.map((g) => [g.principal.name, g]));
    expect([by.strict.mfa, by.strict.expires]).toEqual([true, '2027-01-01T00:00:00Z']);
    expect([by.loose.mfa, by.loose.expires]).toEqual([false, undefined]);
    expect([by.Service.mfa, by.Service.trust?.principals]).toEqual([undefined, ['ec2.amazonaws.com']]);
  });

  test('a trust policy written as Fn::Join of JSON is read; web-identity subjects give the namespaces', () => {
    const doc = { 'Fn::Join': ['', ['{"Statement":[{"Effect":"Allow","Principal":{"Federated":"', { Ref: 'Oidc' },
      '"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"', { 'Fn::Select': [1, { 'Fn::Split': [':oidc-provider/', { Ref: 'Oidc' }] }] },
      ':sub":["system:serviceaccount:b:reader","system:serviceaccount:a:reader"]}}}]}']] };
    const [g] = read({ Reader: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'reader', AssumeRolePolicyDocument: doc } } }).identity;
    expect(g.scope).toEqual(['a', 'b']);
    expect(g.trust).toEqual({ principals: ['Oidc'], conditions: [{ operator: 'StringEquals', key: 'Oidc:sub', values: ['system:serviceaccount:a:reader', 'system:serviceaccount:b:reader'] }] });
  });

  test('permissions: template policies attached either way; AWS-managed policies by ARN', () => {
    const [g] = read({
      R: role([{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }], {
        ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonEKSClusterPolicy']] }, { Ref: 'Mine' }],
      }),
      Mine: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: getAtt('Key') }] } } },
      Other: { Type: 'AWS::IAM::ManagedPolicy', Properties: { Roles: [{ Ref: 'R' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } } },
    }).identity;
    expect(g.managedPolicyArns).toEqual(['arn:${AWS::Partition}:iam::aws:policy/AmazonEKSClusterPolicy']);
    expect(g.permissions?.map((s) => [s.actions, s.resources])).toEqual([[['kms:Decrypt'], ['Key']], [['s3:GetObject'], ['*']]]);
  });

  test('an access entry: level from its access policy, namespace scope, expiry from its role', () => {
    const identity = read({
      Grant: role([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:role/vendor' }, Action: 'sts:AssumeRole',
        Condition: { DateLessThan: { 'aws:CurrentTime': '2027-07-01T00:00:00Z' } } }], { RoleName: 'grant' }),
      Entry: { Type: 'AWS::EKS::AccessEntry', Properties: { ClusterName: 'c', PrincipalArn: getAtt('Grant'), AccessPolicies: [{
        PolicyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy', AccessScope: { Type: 'namespace', Namespaces: ['b', 'a'] } }] } },
    }).identity;
    expect(identity.find((g) => g.key.endsWith('/access-entry'))).toEqual(expect.objectContaining({
      key: 'identity/aws/iam-role/grant/access-entry', level: 'edit', scope: ['a', 'b'], mfa: false, expires: '2027-07-01T00:00:00Z',
    }));
  });

  test('an access entry without access policies: node permissions for a node entry, its groups for a standard one', () => {
    const identity = read({
      Node: { Type: 'AWS::EKS::AccessEntry', Properties: { ClusterName: 'c', PrincipalArn: 'arn:aws:iam::1:role/node', Type: 'EC2_LINUX' } },
      Team: { Type: 'AWS::EKS::AccessEntry', Properties: { ClusterName: 'c', PrincipalArn: 'arn:aws:iam::1:user/u', KubernetesGroups: ['t', 's'] } },
    }).identity;
    expect(identity.map((g) => [g.key, g.principal.kind, g.level])).toEqual([
      ['identity/aws/iam-role/arn:aws:iam::1:role/node/access-entry', 'iam-role', 'node:EC2_LINUX'],
      ['identity/aws/iam-principal/arn:aws:iam::1:user/u/access-entry', 'iam-principal', 'kubernetes-groups:s,t'],
    ]);
  });
});

describe('secrets, encryption, retention', () => {
  const secret = (props: Record<string, unknown>, metadata?: unknown) => ({
    Type: 'AWS::SecretsManager::Secret', Properties: { Name: `s/${Object.keys(props).join('-') || 'plain'}`, ...props },
    ...(metadata ? { Metadata: { [SECRET_METADATA_KEY]: metadata } } : {}),
  });

  test('the metadata key is the one the SecretsStore construct writes', () => {
    expect(SECRET_METADATA_KEY).toBe(AWS_SECRET_METADATA_KEY);
  });

  test('rotation: a schedule is the template\'s; recorded owner rotation is the customer\'s; nothing is none', () => {
    const secrets = read({
      Key: { Type: 'AWS::KMS::Key', Properties: {} },
      Scheduled: secret({ KmsKeyId: getAtt('Key') }),
      Schedule: { Type: 'AWS::SecretsManager::RotationSchedule', Properties: { SecretId: { Ref: 'Scheduled' }, RotationRules: { ScheduleExpression: 'rate(14 days)' } } },
      Owned: secret({ Description: 'owned' }, { value: 'set-by-owner', rotation: { mode: 'owner', everyDays: 45, by: 'o@x.example' } }),
      Plain: secret({}),
    });
    expect(secrets.secrets.map((s) => [s.name, s.atRest, s.kmsKey, s.rotation, s.readers])).toEqual([
      ['s/Description', 'aws-managed', undefined, { by: 'customer', days: 45 }, ['*']],
      ['s/plain', 'aws-managed', undefined, { by: 'none' }, ['*']],
      ['s/KmsKeyId', 'cmk', 'Key', { by: 'template', days: 14 }, ['*']],
    ]);
    expect(secrets.owners.secretOwners).toEqual([{ secret: 's/Description', owner: 'o@x.example' }]);
  });

  test('readers: the principals a resource policy does not deny', () => {
    const [s] = read({
      Reader: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'reader', AssumeRolePolicyDocument: {} } },
      S: secret({}),
      P: { Type: 'AWS::SecretsManager::ResourcePolicy', Properties: { SecretId: { Ref: 'S' }, ResourcePolicy: { Statement: [{
        Effect: 'Deny', Principal: { AWS: '*' }, Action: 'secretsmanager:GetSecretValue', Resource: '*',
        Condition: { StringNotLike: { 'aws:PrincipalArn': [getAtt('Reader'), 'arn:aws:iam::1:role/admin'] } } }] } } },
    }).secrets;
    expect(s.readers).toEqual(['arn:aws:iam::1:role/admin', 'reader']);
  });

  test('encryption: none, AWS-managed and CMK are told apart; TLS is enforced only by a policy or setting', () => {
    const encryption = read({
      Key: { Type: 'AWS::KMS::Key', Properties: {} },
      Alias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/b', TargetKeyId: { Ref: 'Key' } } },
      Bare: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'bare' } },
      Db: { Type: 'AWS::RDS::DBInstance', Properties: { DBInstanceIdentifier: 'db', StorageEncrypted: false } },
      Cache: { Type: 'AWS::ElastiCache::ReplicationGroup', Properties: { ReplicationGroupId: 'cache', AtRestEncryptionEnabled: true, KmsKeyId: getAtt('Key'), TransitEncryptionEnabled: true, TransitEncryptionMode: 'preferred' } },
      Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'q', SqsManagedSseEnabled: false } },
    }).encryption;
    expect(encryption.map((e) => [e.key, e.atRest, e.inTransit, e.publicAccessBlocked])).toEqual([
      ['encryption/s3/bare', 'aws-managed', 'available', false],
      ['encryption/rds/db', 'none', 'available', undefined],
      ['encryption/elasticache/cache', 'cmk', 'available', undefined],
      ['encryption/sqs/q', 'none', 'available', undefined],
    ]);
  });

  test('retention: lifecycle expiration, Object Lock in years, legal hold tag, log groups that never expire', () => {
    const retention = read({
      B: { Type: 'AWS::S3::Bucket', Properties: {
        BucketName: 'b', ObjectLockEnabled: true, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Years: 2 } } },
        LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: 800 }, { Status: 'Enabled', Prefix: 'tmp/', ExpirationInDays: 1 }] },
        Tags: [{ Key: 'private-ai-boundary.io/legal-hold', Value: 'requested' }],
      } },
      L: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'l' } },
    }).retention;
    expect(retention).toEqual([
      { key: 'retention/bucket/b', evidence: [{ source: 'cloudformation', ref: 'stack:B' }], kind: 'bucket', name: 'b', days: 800, lock: 'GOVERNANCE', lockDays: 730, legalHold: true, versioned: false },
      { key: 'retention/log-group/l', evidence: [{ source: 'cloudformation', ref: 'stack:L' }], kind: 'log-group', name: 'l' },
    ]);
  });
});

describe('intrinsics', () => {
  test.each([
    [{ Ref: 'Bucket' }, 'Bucket'],
    [{ Ref: 'AWS::Partition' }, '${AWS::Partition}'],
    [{ 'Fn::GetAtt': ['Role', 'Arn'] }, 'Role'],
    [{ 'Fn::GetAtt': ['Cluster', 'ClusterSecurityGroupId'] }, 'Cluster.ClusterSecurityGroupId'],
    [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::b']] }, 'arn:${AWS::Partition}:s3:::b'],
    [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::1:role/${Role.Arn}' }, 'arn:${AWS::Partition}:iam::1:role/Role'],
    [{ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] }, 'b'],
    [{ 'Fn::ImportValue': 'x' }, '${Fn::ImportValue}'],
  ])('resolveString(%j) = %s', (value, expected) => {
    expect(resolveString(value)).toBe(expected);
  });

  test('NotAction / NotPrincipal are kept, negated, so nothing reads wider or narrower than written', () => {
    expect(iamStatements({ Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::1:root' }, NotAction: 's3:Get*', Resource: '*' }] }))
      .toEqual([{ effect: 'Deny', actions: ['!s3:Get*'], resources: ['*'], conditions: [], principals: ['!arn:aws:iam::1:root'] }]);
  });
});
