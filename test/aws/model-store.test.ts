import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BoundaryKey } from '../../lib/aws/boundary-key';
import { ModelStore, type ModelStoreProps } from '../../lib/aws/model-store';
import { describeFindings, synthWithChecks, type CheckedApp } from '../helpers/aws-checks';
import { examplePlans } from '../helpers/examples';

const acme = new Map(examplePlans()).get('acme-prod')!;
const env = { account: acme.spec.aws!.account, region: acme.spec.aws!.region };
/** The weights bucket of acme-prod's S3 models, as the composing construct maps it. */
const weights = acme.models.flatMap((m) => (m.weights.kind === 's3' ? [m.weights] : []));
const bucketName = weights[0]?.bucket ?? 'acme-prod-models';
const INTERFACE = 'vpce-0a1b2c3d4e5f60718';
const GATEWAY = 'vpce-0fedcba9876543210';
const PUBLISHER = 'arn:aws:iam::111122223333:role/acme-weights-publisher';

const kmsId = (t: Template): string => Object.keys(t.findResources('AWS::KMS::Key'))[0];
const bucketId = (t: Template): string => Object.keys(t.findResources('AWS::S3::Bucket'))[0];
const bucketProps = (t: Template): any => (Object.values(t.findResources('AWS::S3::Bucket'))[0] as any).Properties;
const bucketPolicy = (t: Template): any[] => (Object.values(t.findResources('AWS::S3::BucketPolicy'))[0] as any).Properties.PolicyDocument.Statement;
const readPolicies = (t: Template): any[] => Object.values(t.findResources('AWS::IAM::ManagedPolicy')).map((p: any) => p.Properties);
const arn = (t: Template, suffix = ''): any => (suffix ? { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(t), 'Arn'] }, suffix]] } : { 'Fn::GetAtt': [bucketId(t), 'Arn'] });

function storeIn(stack: Stack, key: kms.IKey, extra: Partial<ModelStoreProps> = {}): ModelStore {
  return new ModelStore(stack, 'Store', { bucketName, encryptionKey: key, vpcEndpointIds: [INTERFACE, GATEWAY],
    serverAccessLogsBucket: s3.Bucket.fromBucketName(stack, 'AccessLogs', `${acme.name}-access-logs`), ...extra });
}

describe('ModelStore (acme-prod)', () => {
  let checked: CheckedApp;
  let t: Template;
  beforeAll(() => {
    checked = synthWithChecks((app) => {
      const stack = new Stack(app, 'Models', { env });
      const store = storeIn(stack, new BoundaryKey(stack, 'Key', { aliasName: 'alias/acme-prod-boundary' }).key, { adminPrincipalArns: [PUBLISHER] });
      const runtime = new iam.Role(stack, 'Runtime', { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com') });
      store.grantReadWeights(runtime, 'llama-3-8b/');
      store.grantReadWeights(new iam.Role(stack, 'Whole', { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com') }));
      return [stack];
    });
    t = checked.templates.Models;
  });

  test('SSE-KMS with the boundary key and a bucket key, versioned, no public access, ACLs disabled, retained', () => {
    t.hasResource('AWS::S3::Bucket', { Properties: Match.objectLike({
      BucketName: bucketName,
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [kmsId(t), 'Arn'] } } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    }), DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(bucketProps(t).LifecycleConfiguration.Rules).toEqual([{ Id: 'expire-replaced-versions', Status: 'Enabled',
      NoncurrentVersionExpiration: { NoncurrentDays: 90 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }]);
    expect(bucketProps(t).LoggingConfiguration).toEqual({ DestinationBucketName: 'acme-prod-access-logs', LogFilePrefix: `${bucketName}/` });
  });

  test('TLS only: deny without TLS and below TLS 1.2', () => {
    expect(bucketPolicy(t)).toContainEqual(expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(bucketPolicy(t)).toContainEqual(expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }));
  });

  test('object data and listing only through the boundary endpoints, except the administration principals', () => {
    const condition = { StringNotEquals: { 'aws:SourceVpce': [INTERFACE, GATEWAY] }, ArnNotLike: { 'aws:PrincipalArn': [PUBLISHER] } };
    expect(bucketPolicy(t).filter((s) => s.Sid)).toEqual([
      { Sid: 'DenyObjectAccessOutsideBoundaryEndpoints', Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Resource: arn(t, '/*'), Condition: condition },
      { Sid: 'DenyListingOutsideBoundaryEndpoints', Effect: 'Deny', Principal: { AWS: '*' },
        Action: ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'], Resource: arn(t), Condition: condition },
    ]);
    // Bucket configuration stays manageable by CloudFormation and administrators through IAM; nothing is allowed here.
    expect(bucketPolicy(t).filter((s) => s.Effect === 'Allow')).toEqual([]);
  });

  test('grantReadWeights(role, prefix): GetObject under the prefix, ListBucket held to it, Decrypt only via S3 for this bucket', () => {
    const decrypt = { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [kmsId(t), 'Arn'] }, Condition: {
      StringEquals: { 'kms:ViaService': 's3.eu-central-1.amazonaws.com' }, StringLike: { 'kms:EncryptionContext:aws:s3:arn': [arn(t), arn(t, '/*')] } } };
    const [prefixed, whole] = readPolicies(t);
    expect(prefixed.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: arn(t, '/llama-3-8b/*') },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: arn(t), Condition: { StringLike: { 's3:prefix': ['llama-3-8b/*'] } } },
      decrypt,
    ]);
    expect(prefixed.Roles).toEqual([{ Ref: expect.stringMatching(/^Runtime/) }]);
    expect(whole.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: arn(t, '/*') },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: arn(t) },
      decrypt,
    ]);
    t.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('checks: zero unacknowledged findings; acknowledgements expected and explained', () => {
    expect(describeFindings(checked.findings)).toEqual([]);
    expect(checked.acknowledged.map((a) => `${a.rule} @ ${a.path}`).sort()).toEqual([
      `AwsSolutions-IAM5[Resource::<${bucketId(t)}.Arn>/*] @ Models/Store/ReadWeights2/Resource`,
      `AwsSolutions-IAM5[Resource::<${bucketId(t)}.Arn>/llama-3-8b/*] @ Models/Store/ReadWeights1/Resource`,
      'NIST.800.53.R5-S3BucketReplicationEnabled @ Models/Store/Bucket/Resource',
    ]);
    expect(checked.acknowledged.every((a) => a.reason.length > 40)).toBe(true);
  });
});

describe('ModelStore props', () => {
  const plain = (extra: Partial<ModelStoreProps> = {}, logs?: (s: Stack) => s3.IBucket): Template => {
    const stack = new Stack(undefined, 'S', { env });
    storeIn(stack, new kms.Key(stack, 'Key', { enableKeyRotation: true }), { ...extra, ...(logs ? { serverAccessLogsBucket: logs(stack) } : {}) });
    return Template.fromStack(stack);
  };

  test('without administration principals, no exemption at all', () => {
    const t = plain();
    for (const s of bucketPolicy(t).filter((x) => x.Sid)) expect(s.Condition).toEqual({ StringNotEquals: { 'aws:SourceVpce': [INTERFACE, GATEWAY] } });
  });

  test('noncurrentVersionRetentionDays sets the expiry of replaced versions', () => {
    expect(bucketProps(plain({ noncurrentVersionRetentionDays: 30 })).LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 30 });
  });

  test('a destination bucket of this stack gets the logging grant, held to this source bucket and account', () => {
    const t = plain({}, (s) => new s3.Bucket(s, 'Logs', { encryption: s3.BucketEncryption.S3_MANAGED }));
    const logsPolicy = Object.values(t.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: Match.stringLikeRegexp('^Logs') } } }))[0] as any;
    const storeId = Object.keys(t.findResources('AWS::S3::Bucket', { Properties: { BucketName: bucketName } }))[0];
    expect(logsPolicy.Properties.PolicyDocument.Statement).toContainEqual(expect.objectContaining({ Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject', Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [storeId, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': '111122223333' } } }));
  });

  test('refuses no endpoint, non-endpoint IDs and widening prefixes', () => {
    expect(() => plain({ vpcEndpointIds: [] })).toThrow(/at least one/);
    expect(() => plain({ vpcEndpointIds: ['vpc-123'] })).toThrow(/not VPC endpoint IDs: vpc-123/);
    const stack = new Stack(undefined, 'P', { env });
    const store = storeIn(stack, new kms.Key(stack, 'Key'));
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    for (const bad of ['', '/', '*', 'models/*']) expect(() => store.grantReadWeights(role, bad)).toThrow(/invalid object prefix/);
  });
});
