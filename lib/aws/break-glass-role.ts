import { Aws, Duration, Stack, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { parsePrincipalArn } from '../spec/principal';

/** Kubernetes group of the break-glass role (`BoundaryNames.breakGlassGroup()`); the Kubernetes target binds it to `cluster-admin`. */
export const BREAK_GLASS_GROUP = 'pab:break-glass';

/** Longest a break-glass session lasts (`MaxSessionDuration`). */
export const BREAK_GLASS_MAX_SESSION = Duration.hours(1);

/** Oldest MFA authentication that may open a break-glass session (`aws:MultiFactorAuthAge`, seconds). */
export const BREAK_GLASS_MFA_MAX_AGE = Duration.hours(1);

/** ARN of an EKS access policy, in the stack's partition. */
export function eksAccessPolicyArn(name: string): string {
  return `arn:${Aws.PARTITION}:eks::aws:cluster-access-policy/${name}`;
}

/** Props of {@link BreakGlassRole}. */
export interface BreakGlassRoleProps {
  /**
   * ARN of the break-glass role in the boundary's account (`spec.access.breakGlass.roleArn`). The construct CREATES the
   * role with this name and path; deployment fails if a role of that name already exists.
   */
  readonly roleArn: string;
  /** Name of the EKS cluster; pass `cluster.clusterName` so the access entry waits for the cluster. */
  readonly clusterName: string;
  /**
   * Kubernetes group the role is mapped to.
   * @default 'pab:break-glass'
   */
  readonly kubernetesGroup?: string;
}

/**
 * The emergency cluster-admin role of a boundary, assumable only with MFA.
 *
 * It CREATES the role named by `roleArn` rather than trusting an existing one: the evidence claims "break-glass
 * requires MFA", and only a trust policy in this template backs that claim (a role defined elsewhere can be changed
 * without any trace here). The trust policy allows `sts:AssumeRole` to principals of the role's own account (the
 * account root, so each caller also needs an identity policy allowing it) only with
 * `Bool aws:MultiFactorAuthPresent = true` and `NumericLessThan aws:MultiFactorAuthAge < 3600`; sessions last at most
 * one hour. Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html.
 *
 * Cluster access: an EKS access entry mapping the role to the `pab:break-glass` group (which the Kubernetes target
 * binds to `cluster-admin`) AND the `AmazonEKSClusterAdminPolicy` access policy at cluster scope. Both grant the same
 * (everything), so nothing widens; the access policy keeps break-glass working when in-cluster RBAC is broken or was
 * tampered with — the situation break-glass exists for — and only the EKS API (CloudTrail-logged) can remove it.
 * Grants follow the same rule at their level and scope ({@link TimeBoundGrant}): every privileged access entry carries
 * the group for the Kubernetes target's binding and the managed access policy of the same level and scope, as
 * `AccessLevel` in lib/spec/types.ts promises ("mapped to EKS access policies and Kubernetes ClusterRoles").
 */
export class BreakGlassRole extends Construct {
  /** The break-glass role. */
  readonly role: iam.IRole;
  /** The EKS access entry of the role. */
  readonly accessEntry: eks.CfnAccessEntry;

  constructor(scope: Construct, id: string, props: BreakGlassRoleProps) {
    super(scope, id);
    const arn = parsePrincipalArn(props.roleArn);
    if (!arn || arn.kind !== 'role') throw new Error(`BreakGlassRole ${this.node.path}: ${JSON.stringify(props.roleArn)} is not an IAM role ARN`);
    const stackAccount = Stack.of(this).account;
    if (!Token.isUnresolved(stackAccount) && stackAccount !== arn.account) {
      throw new Error(`BreakGlassRole ${this.node.path}: role is in account ${arn.account} but the stack deploys to ${stackAccount}`);
    }
    const slash = arn.pathAndName.lastIndexOf('/');
    this.role = new iam.Role(this, 'Role', {
      roleName: arn.name,
      path: slash < 0 ? undefined : `/${arn.pathAndName.slice(0, slash)}/`,
      description: 'Break-glass cluster-admin access to the boundary; assumable only with MFA (max 1 h session)',
      maxSessionDuration: BREAK_GLASS_MAX_SESSION,
      assumedBy: new iam.AccountPrincipal(arn.account).withConditions({
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
        NumericLessThan: { 'aws:MultiFactorAuthAge': String(BREAK_GLASS_MFA_MAX_AGE.toSeconds()) },
      }),
    });
    this.accessEntry = new eks.CfnAccessEntry(this, 'AccessEntry', {
      clusterName: props.clusterName,
      principalArn: this.role.roleArn,
      type: 'STANDARD',
      kubernetesGroups: [props.kubernetesGroup ?? BREAK_GLASS_GROUP],
      accessPolicies: [{ policyArn: eksAccessPolicyArn('AmazonEKSClusterAdminPolicy'), accessScope: { type: 'cluster' } }],
    });
  }
}
