import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Default audience of projected service-account tokens exchanged with STS (the External Secrets default for AWS). */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/** Props of {@link WebIdentityRole}. */
export interface WebIdentityRoleProps {
  /** IAM role name, e.g. `acme-prod-external-secrets` (`BoundaryNames.workloadRole('external-secrets')`). */
  readonly roleName: string;
  /** ARN of the cluster's IAM OIDC identity provider (`AWS::IAM::OIDCProvider`). */
  readonly oidcProviderArn: string;
  /**
   * Issuer host and path without `https://`, e.g. `oidc.eks.eu-west-1.amazonaws.com/id/0123…`; the prefix of the
   * `:sub` / `:aud` condition keys. May be a token (the cluster's issuer is only known at deploy time).
   */
  readonly issuer: string;
  /**
   * The only token subjects that may assume the role, exactly: `system:serviceaccount:<namespace>:<name>`
   * (e.g. `SecretsPlan.readerSubjects`). Wildcards are refused.
   */
  readonly subjects: readonly string[];
  /**
   * Audience the tokens must carry.
   * @default 'sts.amazonaws.com'
   */
  readonly audience?: string;
  /**
   * Description of the role.
   * @default - `IRSA role of <subjects>`
   */
  readonly description?: string;
}

const SUBJECT = /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Maximum session of the role: the STS default; ESO refreshes its credentials per reconcile. */
export const WEB_IDENTITY_MAX_SESSION = Duration.hours(1);

/**
 * An IAM role assumable with `sts:AssumeRoleWithWebIdentity` (IRSA) by an exact list of Kubernetes service accounts —
 * the External Secrets `secrets-reader` accounts, whose tokens ESO requests per SecretStore. Trust:
 * `Federated: <oidcProviderArn>` with `StringEquals` `<issuer>:aud` = audience and `<issuer>:sub` = the subjects
 * (https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html). Never `StringLike`.
 *
 * Condition KEYS embed the issuer, and CloudFormation cannot compute an object key. CDK's `CfnJson` works around that
 * with a Lambda-backed custom resource (aws-cdk-lib `core/lib/cfn-json.js` creates a `CustomResource` served by
 * `CfnUtilsProvider`), which this boundary does not allow. Instead, when `issuer` is a token, the trust policy is
 * rendered as a JSON *string* built with `Fn::Join` (`Stack.toJsonString`): `AssumeRolePolicyDocument` accepts a
 * string as well as an object (resource schema `AWS::IAM::Role`: `"type": ["object", "string"]`), so CloudFormation
 * substitutes the issuer into the key at deploy time with no custom resource. With a literal issuer the document is
 * a plain object.
 *
 * The role has no permissions of its own: grant them through the resource's construct (`secret.grantRead(role)`).
 */
export class WebIdentityRole extends Construct {
  /** The role. */
  readonly role: iam.IRole;

  constructor(scope: Construct, id: string, props: WebIdentityRoleProps) {
    super(scope, id);
    const problems = validate(props);
    if (problems.length > 0) throw new Error(`WebIdentityRole ${this.node.path}: ${problems.join('; ')}`);
    const audience = props.audience ?? STS_AUDIENCE;
    const conditions = {
      StringEquals: {
        [`${props.issuer}:aud`]: audience,
        [`${props.issuer}:sub`]: [...props.subjects],
      },
    };
    const literalIssuer = !Token.isUnresolved(props.issuer);
    const role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: props.description ?? `IRSA role of ${props.subjects.join(', ')}`,
      maxSessionDuration: WEB_IDENTITY_MAX_SESSION,
      // With a token issuer the principal carries no conditions here: the full document is overridden below.
      assumedBy: new iam.WebIdentityPrincipal(props.oidcProviderArn, literalIssuer ? conditions : undefined),
    });
    if (!literalIssuer) {
      const document = {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Federated: props.oidcProviderArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: conditions,
        }],
      };
      (role.node.defaultChild as iam.CfnRole).addPropertyOverride('AssumeRolePolicyDocument', Stack.of(this).toJsonString(document));
    }
    this.role = role;
  }
}

function validate(props: WebIdentityRoleProps): string[] {
  const problems: string[] = [];
  if (props.subjects.length === 0) problems.push('subjects must name at least one service account');
  for (const s of props.subjects) {
    if (!Token.isUnresolved(s) && !SUBJECT.test(s)) {
      problems.push(`subject ${JSON.stringify(s)} must be exactly system:serviceaccount:<namespace>:<name> (no wildcards)`);
    }
  }
  if (new Set(props.subjects).size !== props.subjects.length) problems.push('subjects must be distinct');
  if (!Token.isUnresolved(props.issuer) && (/^[a-z]+:\/\//i.test(props.issuer) || /[*?\s]/.test(props.issuer) || props.issuer === '')) {
    problems.push(`issuer ${JSON.stringify(props.issuer)} must be the issuer host and path without scheme or wildcards`);
  }
  if (props.audience !== undefined && !Token.isUnresolved(props.audience) && (props.audience === '' || /[*?]/.test(props.audience))) {
    problems.push(`audience ${JSON.stringify(props.audience)} must be a literal audience`);
  }
  return problems;
}
