import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { BoundaryKey } from '../../lib/aws/boundary-key';
import { describeFindings, synthWithChecks, type CheckedApp } from '../helpers/aws-checks';
import { examplePlans } from '../helpers/examples';

const plan = examplePlans().find(([n]) => n === 'acme-prod')![1];
const aws = plan.spec.aws!;
const env = { account: aws.account, region: aws.region };
const aliasName = plan.names.kmsAliasArn()!.split(':').pop()!;

/** Key policy statements of the only key in a template. */
function statements(t: Template): any[] {
  const keys = Object.values(t.findResources('AWS::KMS::Key'));
  expect(keys).toHaveLength(1);
  return (keys[0] as any).Properties.KeyPolicy.Statement;
}

function bySid(t: Template, sid: string): any {
  const s = statements(t).find((x) => x.Sid === sid);
  expect(s).toBeDefined();
  return s;
}

describe('BoundaryKey (acme-prod)', () => {
  let checked: CheckedApp;
  let t: Template;
  let stack: Stack;
  let key: BoundaryKey;
  beforeAll(() => {
    checked = synthWithChecks((app) => {
      stack = new Stack(app, 'Key', { env });
      key = new BoundaryKey(stack, 'BoundaryKey', { aliasName });
      return [stack];
    });
    t = checked.templates.Key;
  });

  test('rotation on, retained on delete, alias alias/<boundary>-boundary as the Kubernetes target references it', () => {
    t.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true }), DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/acme-prod-boundary' });
    expect(stack.resolve(key.aliasArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-central-1:111122223333:alias/acme-prod-boundary']] });
    expect(plan.names.kmsAliasArn()).toBe('arn:aws:kms:eu-central-1:111122223333:alias/acme-prod-boundary');
  });

  test('the account root administers the key, so IAM policies of the account can grant its use', () => {
    const root = statements(t).find((s) => JSON.stringify(s.Principal).includes(':root'));
    expect(root).toEqual(expect.objectContaining({ Action: 'kms:*', Effect: 'Allow', Resource: '*' }));
    expect(JSON.stringify(root.Principal)).toContain(':iam::111122223333:root');
  });

  test('CloudWatch Logs: the regional service, for log groups of this account and region only', () => {
    const s = bySid(t, 'CloudWatchLogsOfThisAccount');
    expect(s.Principal).toEqual({ Service: 'logs.eu-central-1.amazonaws.com' });
    expect(s.Action).toEqual(['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*']);
    expect(stack.resolve(s.Condition)).toEqual({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-central-1:111122223333:log-group:*']] } } });
  });

  test('CloudTrail: data keys and DescribeKey only for trails of this account (source ARN and encryption context)', () => {
    const trails = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:eu-central-1:111122223333:trail/*']] };
    const enc = bySid(t, 'CloudTrailOfThisAccountEncrypts');
    expect(enc.Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
    expect(enc.Action).toBe('kms:GenerateDataKey*');
    expect(enc.Condition).toEqual({
      ArnLike: { 'aws:SourceArn': trails },
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:*:111122223333:trail/*']] } },
    });
    const desc = bySid(t, 'CloudTrailOfThisAccountDescribes');
    expect(desc.Action).toBe('kms:DescribeKey');
    expect(desc.Condition).toEqual({ ArnLike: { 'aws:SourceArn': trails } });
  });

  test('EC2 Auto Scaling service-linked role: volume encryption and grants for AWS resources only', () => {
    const role = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' },
      ':iam::111122223333:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling']] };
    const use = bySid(t, 'AutoScalingEncryptedVolumes');
    expect(use.Principal).toEqual({ AWS: role });
    expect(use.Action).toEqual(['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey']);
    const grant = bySid(t, 'AutoScalingGrantsForAwsResources');
    expect(grant.Principal).toEqual({ AWS: role });
    expect(grant.Action).toBe('kms:CreateGrant');
    expect(grant.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': true } });
    t.resourceCountIs('AWS::IAM::ServiceLinkedRole', 0);
  });

  test('no wildcard principal; every service statement carries a condition; nothing else is admitted', () => {
    const all = statements(t);
    expect(all.every((s) => s.Effect === 'Allow')).toBe(true);
    expect(all.filter((s) => JSON.stringify(s.Principal).includes('"*"'))).toEqual([]);
    expect(all.filter((s) => s.Principal.Service && !s.Condition)).toEqual([]);
    expect(all.map((s) => s.Sid ?? 'root')).toEqual(['root', 'CloudWatchLogsOfThisAccount', 'CloudTrailOfThisAccountEncrypts',
      'CloudTrailOfThisAccountDescribes', 'AutoScalingEncryptedVolumes', 'AutoScalingGrantsForAwsResources']);
  });

  test('checks: zero unacknowledged findings, nothing acknowledged', () => {
    expect(describeFindings(checked.findings)).toEqual([]);
    expect(checked.acknowledged).toEqual([]);
  });
});

test('createAutoScalingServiceLinkedRole: the role is created before the key policy names it', () => {
  const { templates } = synthWithChecks((app) => {
    const stack = new Stack(app, 'KeyWithRole', { env });
    new BoundaryKey(stack, 'BoundaryKey', { aliasName, createAutoScalingServiceLinkedRole: true });
    return [stack];
  }, { validator: false });
  const t = templates.KeyWithRole;
  t.hasResourceProperties('AWS::IAM::ServiceLinkedRole', { AWSServiceName: 'autoscaling.amazonaws.com' });
  const [roleId] = Object.keys(t.findResources('AWS::IAM::ServiceLinkedRole'));
  expect(roleId).toBeDefined();
  t.hasResource('AWS::KMS::Key', { DependsOn: [roleId] });
});
