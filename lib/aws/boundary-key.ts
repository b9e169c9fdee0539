import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Properties of a {@link BoundaryKey}. */
export interface BoundaryKeyProps {
  /**
   * Alias of the key: `alias/<boundary>-boundary` (the plan's `names.kmsAliasArn()`), which the Kubernetes target
   * references (EC2NodeClass volumes) without any lookup.
   */
  readonly aliasName: string;
  /**
   * Description of the key.
   * @default - `Customer-managed key of the private AI boundary (<aliasName>)`
   */
  readonly description?: string;
  /**
   * Create the EC2 Auto Scaling service-linked role in this stack. KMS refuses a key policy that names a role that
   * does not exist, and the role only appears once the account's first Auto Scaling group is created: set this in
   * an account that never had one (CloudFormation fails if the role already exists).
   * @default false - the role `AWSServiceRoleForAutoScaling` must already exist
   */
  readonly createAutoScalingServiceLinkedRole?: boolean;
}

/** Name of the EC2 Auto Scaling service-linked role that launches managed node group instances. */
export const AUTOSCALING_SERVICE_LINKED_ROLE = 'AWSServiceRoleForAutoScaling';

/**
 * The boundary's customer-managed KMS key: rotation on, retained on stack deletion, and a key policy that admits,
 * besides the account's IAM policies (the standard root statement), only the services that encrypt the boundary's
 * data on their own behalf — each held by a condition to this account:
 * - CloudWatch Logs, for log groups of this account and region
 *   (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html);
 * - CloudTrail, for this account's trails
 *   (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html);
 * - the EC2 Auto Scaling service-linked role, for the encrypted EBS volumes of managed node groups
 *   (https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html).
 * Everything else (Secrets Manager, S3, EKS, RDS, ElastiCache, Karpenter) uses the key through IAM grants to roles.
 */
export class BoundaryKey extends Construct {
  /** The key. */
  readonly key: kms.IKey;
  /** The alias. */
  readonly alias: kms.IAlias;
  /** ARN of the alias, `arn:<partition>:kms:<region>:<account>:alias/<boundary>-boundary`. */
  readonly aliasArn: string;

  constructor(scope: Construct, id: string, props: BoundaryKeyProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);

    // Without an explicit policy, CDK writes the standard root statement (kms:* for the account), so IAM policies
    // of the account can grant use of the key (@aws-cdk/aws-kms:defaultKeyPolicies, on in CDK v2).
    const key = new kms.Key(this, 'Key', {
      description: props.description ?? `Customer-managed key of the private AI boundary (${props.aliasName})`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudWatchLogsOfThisAccount',
      principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` } },
    }));

    const trails = `arn:${partition}:cloudtrail:${region}:${account}:trail/*`;
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailOfThisAccountEncrypts',
      principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        ArnLike: { 'aws:SourceArn': trails },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${partition}:cloudtrail:*:${account}:trail/*` },
      },
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CloudTrailOfThisAccountDescribes',
      principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
      conditions: { ArnLike: { 'aws:SourceArn': trails } },
    }));

    const autoScaling = new iam.ArnPrincipal(
      `arn:${partition}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/${AUTOSCALING_SERVICE_LINKED_ROLE}`);
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AutoScalingEncryptedVolumes',
      principals: [autoScaling],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      resources: ['*'],
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AutoScalingGrantsForAwsResources',
      principals: [autoScaling],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': true } },
    }));
    if (props.createAutoScalingServiceLinkedRole) {
      const role = new iam.CfnServiceLinkedRole(this, 'AutoScalingServiceLinkedRole', { awsServiceName: 'autoscaling.amazonaws.com' });
      key.node.addDependency(role);
    }

    this.key = key;
    const alias = new kms.Alias(this, 'Alias', { aliasName: props.aliasName, targetKey: key });
    this.alias = alias;
    this.aliasArn = alias.aliasArn;
  }
}
