import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AuditLogArchive, LEGAL_HOLD_TAG, type AuditLogArchiveProps } from '../../lib/aws/audit-log-archive';
import { BoundaryKey } from '../../lib/aws/boundary-key';
import { CLOUDWATCH_RETENTION_DAYS, logRetentionAtLeast } from '../../lib/aws/log-retention';
import type { BoundaryPlan } from '../../lib/plan';
import { describeFindings, synthWithChecks, type CheckedApp } from '../helpers/aws-checks';
import { examplePlans, exampleVariant } from '../helpers/examples';

const plans = new Map(examplePlans());
const acme = plans.get('acme-prod')!;
const GATEWAY_PREFIX = 'gateway/requests';

/** Archive props as the composing construct derives them from a plan. */
function propsOf(plan: BoundaryPlan): Omit<AuditLogArchiveProps, 'encryptionKey'> {
  const a = plan.spec.audit;
  return { bucketName: plan.names.auditBucket(), retentionDays: a.retentionDays, objectLock: a.objectLock, legalHold: a.legalHold,
    reason: a.reason, clusterName: plan.name };
}

interface Built { checked: CheckedApp; t: Template; stack: Stack; archive: AuditLogArchive }

/** One stack: boundary key, archive, a model bucket recorded by the trail, the gateway role and a legal-hold role. */
function build(plan: BoundaryPlan, extra: Partial<AuditLogArchiveProps> = {}, validator = true): Built {
  let stack!: Stack;
  let archive!: AuditLogArchive;
  const checked = synthWithChecks((app) => {
    stack = new Stack(app, 'Audit', { env: { account: plan.spec.aws!.account, region: plan.spec.aws!.region } });
    const key = new BoundaryKey(stack, 'Key', { aliasName: `alias/${plan.name}-boundary` }).key;
    archive = new AuditLogArchive(stack, 'Archive', { ...propsOf(plan), encryptionKey: key, ...extra });
    archive.recordObjectAccess(s3.Bucket.fromBucketName(stack, 'Models', `${plan.name}-models`));
    archive.grantWriteRequests(new iam.Role(stack, 'Gateway', { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com') }), GATEWAY_PREFIX);
    if (archive.objectLock !== 'none') archive.grantLegalHold(new iam.Role(stack, 'Counsel', { assumedBy: new iam.AccountRootPrincipal() }));
    return [stack];
  }, { validator });
  return { checked, t: checked.templates.Audit, stack, archive };
}

const auditBucket = (t: Template): any => Object.values(t.findResources('AWS::S3::Bucket', { Properties: { BucketName: Match.anyValue() } }))[0];
const bucketId = (t: Template): string => Object.keys(t.findResources('AWS::S3::Bucket', { Properties: { BucketName: Match.anyValue() } }))[0];
const kmsId = (t: Template): string => Object.keys(t.findResources('AWS::KMS::Key'))[0];
const policyOf = (t: Template, id: string): any[] => (Object.values(t.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: id } } }))[0] as any).Properties.PolicyDocument.Statement;
const managedPolicies = (t: Template, prefix: string): any[] => Object.values(t.findResources('AWS::IAM::ManagedPolicy'))
  .filter((p: any) => String(p.Properties.Description).startsWith(prefix)).map((p: any) => p.Properties.PolicyDocument.Statement);

describe('AuditLogArchive, COMPLIANCE (acme-prod: 400 days)', () => {
  let b: Built;
  let id: string;
  beforeAll(() => {
    b = build(acme);
    id = bucketId(b.t);
  });

  test('Object Lock COMPLIANCE for retentionDays, versioning, retained', () => {
    b.t.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({ BucketName: 'acme-prod-audit-111122223333-eu-central-1', ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } },
        VersioningConfiguration: { Status: 'Enabled' } }),
      DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain',
    });
    expect(b.archive.objectLock).toBe('compliance');
    expect(b.archive.legalHold).toBe(false);
    expect(auditBucket(b.t).Properties.Tags).toBeUndefined();
  });

  test('SSE-KMS with the boundary key and a bucket key; public access blocked; ACLs disabled', () => {
    const p = auditBucket(b.t).Properties;
    expect(p.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ BucketKeyEnabled: true,
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [kmsId(b.t), 'Arn'] } } }]);
    expect(p.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(p.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  test('bucket policy denies non-TLS and TLS < 1.2 for everyone', () => {
    const s = policyOf(b.t, id);
    expect(s).toContainEqual(expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(s).toContainEqual(expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }));
  });

  test('CloudTrail may write only its prefix, only for this trail (aws:SourceArn)', () => {
    const trailArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:eu-central-1:111122223333:trail/acme-prod-audit-111122223333-eu-central-1']] };
    const allows = policyOf(b.t, id).filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      { Sid: 'CloudTrailAclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl',
        Resource: { 'Fn::GetAtt': [id, 'Arn'] }, Condition: { StringEquals: { 'aws:SourceArn': trailArn } } },
      { Sid: 'CloudTrailWrite', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/cloudtrail/AWSLogs/111122223333/*']] },
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } } },
    ]);
  });

  test('lifecycle: STANDARD_IA after 30 days, GLACIER_IR after 90, noncurrent versions expire after the retention', () => {
    expect(auditBucket(b.t).Properties.LifecycleConfiguration.Rules).toEqual([{ Id: 'tier-down', Status: 'Enabled',
      Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }, { StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
      NoncurrentVersionExpiration: { NoncurrentDays: 400 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }]);
    expect(auditBucket(b.t).Properties.LifecycleConfiguration.Rules[0].ExpirationInDays).toBeUndefined();
  });

  test('server access logs go to a separate SSE-S3 bucket (no Object Lock), granted to the logging service for this bucket only', () => {
    const { LoggingConfiguration } = auditBucket(b.t).Properties;
    const logsId = LoggingConfiguration.DestinationBucketName.Ref;
    expect(LoggingConfiguration.LogFilePrefix).toBe('acme-prod-audit-111122223333-eu-central-1/');
    const logsBucket = b.t.toJSON().Resources[logsId];
    expect(logsBucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }]);
    expect(logsBucket.Properties.ObjectLockConfiguration).toBeUndefined();
    expect(logsBucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(logsBucket.DeletionPolicy).toBe('Retain');
    expect(policyOf(b.t, logsId)).toContainEqual({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject',
      Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logsId, 'Arn'] }, '/acme-prod-audit-111122223333-eu-central-1/*']] },
      Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [id, 'Arn'] } }, StringEquals: { 'aws:SourceAccount': '111122223333' } } });
  });

  test('trail: multi-Region with global events, log file validation, KMS, under cloudtrail/, to CloudWatch Logs', () => {
    b.t.hasResource('AWS::CloudTrail::Trail', {
      Properties: Match.objectLike({ TrailName: 'acme-prod-audit-111122223333-eu-central-1', S3BucketName: { Ref: id }, S3KeyPrefix: 'cloudtrail',
        IsMultiRegionTrail: true, IncludeGlobalServiceEvents: true, EnableLogFileValidation: true, IsLogging: true,
        KMSKeyId: { 'Fn::GetAtt': [kmsId(b.t), 'Arn'] },
        CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('TrailLogGroup'), 'Arn'] } }),
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('^ArchiveBucketPolicy')]),
    });
    const trail = Object.values(b.t.findResources('AWS::CloudTrail::Trail'))[0] as any;
    expect(trail.Properties.EventSelectors).toBeUndefined();
  });

  test('event selectors: all management events; S3 object data events of the audit and model buckets, not of the trail\'s own deliveries', () => {
    const trail = Object.values(b.t.findResources('AWS::CloudTrail::Trail'))[0] as any;
    expect(trail.Properties.AdvancedEventSelectors).toEqual([
      { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
      { Name: 'Object access in the audit and model buckets', FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
        { Field: 'resources.ARN',
          StartsWith: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/']] }, { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-prod-models/']] }],
          NotStartsWith: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/cloudtrail/']] }] },
      ] },
    ]);
  });

  test('trail → CloudWatch Logs through a customer-managed policy on its own role, scoped to its log group', () => {
    expect(managedPolicies(b.t, 'CloudTrail')).toEqual([[{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/TrailLogGroup/), 'Arn'] } }]]);
  });

  test('log groups: EKS control plane and trail, retention ≥ retentionDays, KMS, retained', () => {
    for (const name of ['/aws/eks/acme-prod/cluster', '/aws/cloudtrail/acme-prod-audit-111122223333-eu-central-1']) {
      b.t.hasResource('AWS::Logs::LogGroup', { Properties: { LogGroupName: name, RetentionInDays: 400,
        KmsKeyId: { 'Fn::GetAtt': [kmsId(b.t), 'Arn'] } }, DeletionPolicy: 'Retain' });
    }
    expect(b.stack.resolve(b.archive.controlPlaneLogGroup.logGroupName)).toEqual({ Ref: expect.stringMatching(/ControlPlaneLogGroup/) });
  });

  test('grantWriteRequests: PutObject under gateway/requests/ only, GenerateDataKey only via S3 for this bucket', () => {
    expect(managedPolicies(b.t, 'WriteRequests')).toEqual([[
      { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/gateway/requests/*']] } },
      { Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: { 'Fn::GetAtt': [kmsId(b.t), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 's3.eu-central-1.amazonaws.com', 'kms:EncryptionContext:aws:s3:arn': { 'Fn::GetAtt': [id, 'Arn'] } } } },
    ]]);
    const attached = Object.values(b.t.findResources('AWS::IAM::ManagedPolicy')).filter((p: any) => String(p.Properties.Description).startsWith('WriteRequests'));
    expect((attached[0] as any).Properties.Roles).toEqual([{ Ref: expect.stringMatching(/^Gateway/) }]);
    b.t.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('grantLegalHold: legal-hold actions on objects, lock configuration on the bucket, nothing else', () => {
    expect(managedPolicies(b.t, 'LegalHold')).toEqual([[
      { Effect: 'Allow', Action: ['s3:PutObjectLegalHold', 's3:GetObjectLegalHold'], Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/*']] } },
      { Effect: 'Allow', Action: 's3:GetBucketObjectLockConfiguration', Resource: { 'Fn::GetAtt': [id, 'Arn'] } },
    ]]);
  });

  test('checks: zero unacknowledged findings; every acknowledgement is expected and has a reason', () => {
    expect(describeFindings(b.checked.findings)).toEqual([]);
    const acks = b.checked.acknowledged.map((a) => `${a.rule} @ ${a.path.replace(/^Audit\//, '')}`).sort();
    expect(acks).toEqual([
      `AwsSolutions-IAM5[Resource::<${id}.Arn>/*] @ Archive/LegalHold2/Resource`,
      `AwsSolutions-IAM5[Resource::<${id}.Arn>/gateway/requests/*] @ Archive/WriteRequests1/Resource`,
      'NIST.800.53.R5-S3BucketReplicationEnabled @ Archive/AccessLogs/Resource',
      'NIST.800.53.R5-S3BucketReplicationEnabled @ Archive/Bucket/Resource',
      'NIST.800.53.R5-S3DefaultEncryptionKMS @ Archive/AccessLogs/Resource',
    ]);
    expect(b.checked.acknowledged.every((a) => a.reason.length > 40)).toBe(true);
  });
});

describe('AuditLogArchive variants (cdk-nag only)', () => {
  test('GOVERNANCE (globex-staging: 90 days) with legal hold: mode and days, tag for the evidence, log retention 90, model buckets from props', () => {
    const globex = exampleVariant('globex-staging', (m) => { m.spec.audit.legalHold = true; });
    const weights = s3.Bucket.fromBucketArn(new Stack(), 'W', 'arn:aws:s3:::globex-weights');
    const { t, archive, checked } = build(globex, { dataEventBuckets: [weights] }, false);
    const arns = (Object.values(t.findResources('AWS::CloudTrail::Trail'))[0] as any).Properties.AdvancedEventSelectors[1].FieldSelectors[2].StartsWith;
    expect(arns.slice(1)).toEqual(['arn:aws:s3:::globex-weights/', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::globex-staging-models/']] }]);
    t.hasResourceProperties('AWS::S3::Bucket', Match.objectLike({
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 90 } } },
      Tags: [{ Key: LEGAL_HOLD_TAG, Value: 'requested' }] }));
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/eks/globex-staging/cluster', RetentionInDays: 90, KmsKeyId: Match.anyValue() });
    expect(archive.legalHold).toBe(true);
    expect(describeFindings(checked.findings)).toEqual([]);
  });

  test('none (with the spec\'s reason): no Object Lock, versioning still on, the reason kept for the evidence', () => {
    const none = exampleVariant('globex-staging', (m) => { m.spec.audit.objectLock = 'none'; });
    const { t, checked, archive } = build(none, {}, false);
    const p = auditBucket(t).Properties;
    expect(p.ObjectLockEnabled).toBeUndefined();
    expect(p.ObjectLockConfiguration).toBeUndefined();
    expect(p.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(describeFindings(checked.findings)).toEqual([]);
    expect(archive.objectLockReason).toBe(none.spec.audit.reason);
    expect(checked.acknowledged.map((a) => a.rule).sort()).toEqual(['AwsSolutions-IAM5[Resource::<ArchiveBucket49F1AC64.Arn>/gateway/requests/*]',
      'NIST.800.53.R5-S3BucketReplicationEnabled', 'NIST.800.53.R5-S3BucketReplicationEnabled', 'NIST.800.53.R5-S3DefaultEncryptionKMS']);
  });

  test('retention beyond CloudWatch\'s longest period: log groups never expire, acknowledged with the reason', () => {
    const { t, checked } = build(acme, { retentionDays: 4000 }, false);
    const groups = Object.values(t.findResources('AWS::Logs::LogGroup')) as any[];
    expect(groups.map((g) => g.Properties.RetentionInDays)).toEqual([undefined, undefined]);
    expect(t.toJSON().Resources[bucketId(t)].Properties.ObjectLockConfiguration.Rule.DefaultRetention).toEqual({ Mode: 'COMPLIANCE', Days: 4000 });
    expect(describeFindings(checked.findings)).toEqual([]);
    expect(checked.acknowledged.filter((a) => a.rule === 'NIST.800.53.R5-CloudWatchLogGroupRetentionPeriod')).toHaveLength(2);
  });

  test('refuses what the spec would refuse and grants that would widen', () => {
    const key = (s: Stack) => new BoundaryKey(s, 'Key', { aliasName: 'alias/x-boundary' }).key;
    const base = (s: Stack): AuditLogArchiveProps => ({ ...propsOf(acme), encryptionKey: key(s) });
    expect(() => new AuditLogArchive(new Stack(), 'A', { ...base(new Stack()), objectLock: 'none', reason: ' ' })).toThrow(/requires a reason/);
    expect(() => new AuditLogArchive(new Stack(), 'A', { ...base(new Stack()), objectLock: 'none', reason: 'r', legalHold: true })).toThrow(/legal holds require Object Lock/);
    expect(() => new AuditLogArchive(new Stack(), 'A', { ...base(new Stack()), retentionDays: 0 })).toThrow(/positive integer/);
    const stack = new Stack();
    const archive = new AuditLogArchive(stack, 'A', base(stack));
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.AccountRootPrincipal() });
    for (const bad of ['', '/', '*', 'gateway/*', 'cloudtrail', 'cloudtrail/x']) expect(() => archive.grantWriteRequests(role, bad)).toThrow();
    expect(() => archive.grantWriteRequests(role, '/gateway/requests/')).not.toThrow();
  });
});

describe('logRetentionAtLeast', () => {
  test('the smallest CloudWatch period at least the requested days; beyond 3653 days, never expire', () => {
    expect(CLOUDWATCH_RETENTION_DAYS).toEqual([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]);
    expect([1, 2, 90, 91, 365, 366, 400, 401, 3653].map(logRetentionAtLeast)).toEqual([1, 3, 90, 120, 365, 400, 400, 545, 3653]);
    expect(logRetentionAtLeast(3654)).toBe(logs.RetentionDays.INFINITE);
    for (const d of CLOUDWATCH_RETENTION_DAYS) expect(Object.values(logs.RetentionDays)).toContain(d);
    expect(() => logRetentionAtLeast(0)).toThrow();
  });
});
