import { CfnElement, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { deliverServerAccessLogs } from './audit-log-archive';

/** Properties of a {@link ModelStore}. */
export interface ModelStoreProps {
  /** Name of the weights bucket (the bucket of the spec's `s3://<bucket>/<prefix>/` model weights). */
  readonly bucketName: string;
  /** The boundary's customer-managed key (SSE-KMS with a bucket key). */
  readonly encryptionKey: kms.IKey;
  /**
   * VPC endpoints of the boundary through which object data may be read or written: the S3 interface endpoint pods
   * use, and the S3 gateway endpoint nodes use (`aws:SourceVpce`). At least one.
   */
  readonly vpcEndpointIds: readonly string[];
  /**
   * Principals allowed to reach objects from outside those endpoints, e.g. the pipeline role that publishes weights
   * or the break-glass role; IAM ARN patterns matched against `aws:PrincipalArn` (for a role session, the role's
   * ARN), so `arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/*` style patterns work.
   * @default - none: object data moves only through the endpoints
   */
  readonly adminPrincipalArns?: readonly string[];
  /** Bucket that receives the S3 server access logs (the audit archive's `accessLogsBucket`; SSE-S3). */
  readonly serverAccessLogsBucket: s3.IBucket;
  /**
   * Days a replaced or deleted weights version is kept before it expires.
   * @default 90
   */
  readonly noncurrentVersionRetentionDays?: number;
}

/** Object-level actions that list a bucket; `s3:*` on the object ARNs covers every other data action. */
const LIST_ACTIONS = ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'];

/**
 * S3 bucket for model weights: SSE-KMS with the boundary key and a bucket key, versioned, no public access, TLS 1.2+
 * only, retained — and a bucket policy that denies every object read, write, delete and listing that does not come
 * through the boundary's VPC endpoints, except for the named administration principals.
 *
 * The deny covers object data and listing only, not bucket configuration: CloudFormation (from the AWS service,
 * never through the boundary's endpoints) and the account's administrators keep managing the bucket and its
 * policy through IAM, and every such change is a CloudTrail management event. Denying `s3:*` on the bucket itself
 * would lock CloudFormation out of its own stack. Within the endpoints, IAM still decides: only roles granted by
 * {@link ModelStore.grantReadWeights} (the model runtimes) can read.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html
 */
export class ModelStore extends Construct {
  /** The weights bucket. */
  readonly bucket: s3.IBucket;
  private readonly key: kms.IKey;
  private grants = 0;

  constructor(scope: Construct, id: string, props: ModelStoreProps) {
    super(scope, id);
    if (props.vpcEndpointIds.length === 0) throw new Error('ModelStore: vpcEndpointIds needs at least one VPC endpoint');
    const bad = props.vpcEndpointIds.filter((e) => !Token.isUnresolved(e) && !/^vpce-[0-9a-f]+$/.test(e));
    if (bad.length) throw new Error(`ModelStore: not VPC endpoint IDs: ${bad.join(', ')}`);
    const noncurrentDays = props.noncurrentVersionRetentionDays ?? 90;
    this.key = props.encryptionKey;

    const bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'expire-replaced-versions', noncurrentVersionExpiration: Duration.days(noncurrentDays),
        abortIncompleteMultipartUploadAfter: Duration.days(7) }],
    });
    this.bucket = bucket;
    deliverServerAccessLogs(bucket, props.serverAccessLogsBucket, `${props.bucketName}/`);

    // A request outside the endpoints carries no aws:SourceVpce; the negated operator then matches and the deny applies.
    const conditions: Record<string, Record<string, unknown>> = { StringNotEquals: { 'aws:SourceVpce': [...props.vpcEndpointIds] } };
    if (props.adminPrincipalArns?.length) conditions.ArnNotLike = { 'aws:PrincipalArn': [...props.adminPrincipalArns] };
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyObjectAccessOutsideBoundaryEndpoints', effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()],
      actions: ['s3:*'], resources: [bucket.arnForObjects('*')], conditions,
    }));
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyListingOutsideBoundaryEndpoints', effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()],
      actions: LIST_ACTIONS, resources: [bucket.bucketArn], conditions,
    }));

    Validations.of(bucket).acknowledge({ id: 'NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled',
      reason: 'Weights are published by the customer from their own source of record and can be re-published; replicating them would copy them out of the boundary\'s Region and endpoints. Versioning keeps replaced versions.' });
  }

  /**
   * Lets `role` (a model runtime's) read weights through a customer-managed policy returned here: `s3:GetObject` on
   * the objects (under `prefix/` when given), `s3:ListBucket` on the bucket (held to `prefix/` by `s3:prefix`), and
   * `kms:Decrypt` on the key only through S3 for this bucket (`kms:EncryptionContext:aws:s3:arn` is the bucket ARN
   * with a bucket key, the object ARN for an object uploaded without one). No write, delete, versions, ACL or tags.
   */
  grantReadWeights(role: iam.IRole, prefix?: string): iam.ManagedPolicy {
    const p = prefix === undefined ? undefined : objectPrefix(prefix);
    const objects = p ? `${p}/*` : '*';
    const policy = new iam.ManagedPolicy(this, `ReadWeights${++this.grants}`, { roles: [role],
      description: `Read model weights in ${this.bucket.bucketName}${p ? `/${p}/` : ''}`, statements: [
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(objects)] }),
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn],
        conditions: p ? { StringLike: { 's3:prefix': [`${p}/*`] } } : undefined }),
      new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [this.key.keyArn], conditions: {
        StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': [this.bucket.bucketArn, this.bucket.arnForObjects('*')] },
      } }),
    ] });
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement);
    Validations.of(policy).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${objects}]`,
      reason: `Weights are many objects (shards, tokenizer, config) under ${p ? `${p}/` : 'the bucket'}; the grant is read-only (GetObject).` });
    return policy;
  }
}

/** `a/b/` → `a/b`; refuses empty prefixes and wildcards, which would widen a grant. */
function objectPrefix(prefix: string): string {
  const p = prefix.replace(/^\/+|\/+$/g, '');
  if (Token.isUnresolved(prefix) || p === '' || /[*?]/.test(p)) throw new Error(`ModelStore: invalid object prefix '${prefix}'`);
  return p;
}
