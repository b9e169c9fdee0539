import { Duration, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ANNOTATION, TEMPLATE_RECORD } from '../plan/names';
import { grantBindingNameOf, grantGroupOf, parsePrincipalArn } from '../spec/principal';
import { grantEnd } from '../spec/rules/access';
import type { AccessLevel } from '../spec/types';
import { eksAccessPolicyArn } from './break-glass-role';

/** EKS access policy of each grant level; all namespace-scoped, never `AmazonEKSClusterAdminPolicy`. */
export const GRANT_ACCESS_POLICY: Readonly<Record<AccessLevel, string>> = {
  view: 'AmazonEKSViewPolicy',
  edit: 'AmazonEKSEditPolicy',
  admin: 'AmazonEKSAdminPolicy',
};

/** Longest a grant session lasts: a session opened just before the end outlives it by at most this. */
export const GRANT_MAX_SESSION = Duration.hours(1);

/** Oldest MFA authentication that may open a grant session when MFA is required (seconds). */
export const GRANT_MFA_MAX_AGE = Duration.hours(1);

const ROLE_NAME_MAX = 64;

/**
 * Name of the role a grant creates: `<boundary>-grant-<name>-<8 hex of sha256(principal ARN)>`, at most 64
 * characters. It reuses the RoleBinding name of the Kubernetes target (`grantBindingNameOf`), shortening the readable
 * part when needed; the hash keeps two principals with the same name apart.
 */
export function grantRoleName(boundary: string, principalArn: string): string {
  const binding = grantBindingNameOf(principalArn); // grant-<readable>-<hash8>
  const hash = binding.slice(-8);
  const readable = binding.slice('grant-'.length, -9);
  const budget = ROLE_NAME_MAX - `${boundary}-grant--${hash}`.length;
  const kept = readable.slice(0, Math.max(0, budget)).replace(/-+$/, '');
  const name = kept ? `${boundary}-grant-${kept}-${hash}` : `${boundary}-grant-${hash}`;
  if (name.length > ROLE_NAME_MAX) throw new Error(`internal: grant role name ${name} is longer than ${ROLE_NAME_MAX}`);
  return name;
}

/** `aws:CurrentTime` value of a grant's end: 00:00 UTC the day after `expires`, ISO 8601 without milliseconds. */
export function grantEndIso(expires: string): string {
  return grantEnd(expires).toISOString().replace(/\.000Z$/, 'Z');
}

/** Props of {@link TimeBoundGrant}. */
export interface TimeBoundGrantProps {
  /** IAM role or user ARN granted access (exists outside this template). */
  readonly principalArn: string;
  /** view → `AmazonEKSViewPolicy`, edit → `AmazonEKSEditPolicy`, admin → `AmazonEKSAdminPolicy`, in `namespaces` only. */
  readonly level: AccessLevel;
  /** Last day of access, `YYYY-MM-DD` (UTC); assumption stops at 00:00 UTC the next day. */
  readonly expires: string;
  /** Ticket or justification (tagged on the role and access entry). */
  readonly reason: string;
  /** Name of the role to create, at most 64 characters (see {@link grantRoleName}). */
  readonly roleName: string;
  /** Name of the EKS cluster; pass `cluster.clusterName` so the access entry waits for the cluster. */
  readonly clusterName: string;
  /** Namespaces the access applies in (the boundary's namespaces); never cluster-wide. */
  readonly namespaces: readonly string[];
  /**
   * Kubernetes group the grant role is mapped to; the Kubernetes target binds it in each namespace.
   * @default - `grantGroupOf(principalArn)`: `pab:grant:<account>:<role|user>:<path+name>`
   */
  readonly kubernetesGroup?: string;
  /**
   * Require MFA (`aws:MultiFactorAuthPresent`, age < 1 h) to assume the grant role.
   * @default - true for an IAM user, false for a role (role sessions carry MFA only if opened with it)
   */
  readonly requireMfa?: boolean;
}

/**
 * A time-bound grant: a role `<boundary>-grant-…` that ONLY `principalArn` may assume, and only while
 * `aws:CurrentTime` is before the grant's end (`DateLessThan`,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws-dates.html), sessions of at most
 * 1 h — so access ends at most one hour after the grant does. An IAM user must also present MFA by default.
 *
 * Cluster access: an EKS access entry mapping the grant role to the principal's Kubernetes group (the Kubernetes target
 * binds it to the `view`/`edit`/`admin` ClusterRole in each boundary namespace) and the EKS access policy of the same
 * level scoped to the same namespaces — the same rule as {@link BreakGlassRole}: group for the in-cluster binding plus
 * the managed access policy of the same level and scope. Never cluster scope, never cluster-admin.
 * The role has no IAM permissions: EKS authenticates it from a presigned `sts:GetCallerIdentity`, which needs none.
 */
export class TimeBoundGrant extends Construct {
  /** The grant role. */
  readonly role: iam.IRole;
  /** The EKS access entry of the grant role. */
  readonly accessEntry: eks.CfnAccessEntry;
  /** `aws:CurrentTime` bound of the trust policy (ISO 8601). */
  readonly endsAt: string;

  constructor(scope: Construct, id: string, props: TimeBoundGrantProps) {
    super(scope, id);
    const where = `TimeBoundGrant ${this.node.path}`;
    const principal = parsePrincipalArn(props.principalArn);
    if (!principal) throw new Error(`${where}: ${JSON.stringify(props.principalArn)} is not an IAM role or user ARN`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(props.expires) || Number.isNaN(grantEnd(props.expires).getTime())) {
      throw new Error(`${where}: expires ${JSON.stringify(props.expires)} is not a YYYY-MM-DD date`);
    }
    if (props.namespaces.length === 0) throw new Error(`${where}: a grant needs at least one namespace — it is never cluster-wide`);
    if (!Token.isUnresolved(props.roleName) && (props.roleName.length > ROLE_NAME_MAX || !/^[\w+=,.@-]+$/.test(props.roleName))) {
      throw new Error(`${where}: role name ${JSON.stringify(props.roleName)} is not a valid IAM role name of at most ${ROLE_NAME_MAX} characters`);
    }
    if (!(props.level in GRANT_ACCESS_POLICY)) throw new Error(`${where}: level ${JSON.stringify(props.level)} is not view, edit or admin`);
    this.endsAt = grantEndIso(props.expires);
    const requireMfa = props.requireMfa ?? principal.kind === 'user';
    const conditions: Record<string, Record<string, string>> = { DateLessThan: { 'aws:CurrentTime': this.endsAt } };
    if (requireMfa) {
      conditions.Bool = { 'aws:MultiFactorAuthPresent': 'true' };
      conditions.NumericLessThan = { 'aws:MultiFactorAuthAge': String(GRANT_MFA_MAX_AGE.toSeconds()) };
    }
    const tags = [
      { key: ANNOTATION.principal, value: tagValue(props.principalArn) },
      { key: TEMPLATE_RECORD.expiresTag, value: props.expires },
      { key: TEMPLATE_RECORD.reasonTag, value: tagValue(props.reason) },
    ];
    const role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: `Time-bound ${props.level} grant to ${props.principalArn} in ${props.namespaces.length} namespace(s) until ${this.endsAt}`,
      maxSessionDuration: GRANT_MAX_SESSION,
      assumedBy: new iam.ArnPrincipal(props.principalArn).withConditions(conditions),
    });
    for (const t of tags) (role.node.defaultChild as iam.CfnRole).tags.setTag(t.key, t.value);
    this.role = role;
    this.accessEntry = new eks.CfnAccessEntry(this, 'AccessEntry', {
      clusterName: props.clusterName,
      principalArn: role.roleArn,
      type: 'STANDARD',
      kubernetesGroups: [props.kubernetesGroup ?? grantGroupOf(props.principalArn)],
      accessPolicies: [{
        policyArn: eksAccessPolicyArn(GRANT_ACCESS_POLICY[props.level]),
        accessScope: { type: 'namespace', namespaces: [...props.namespaces] },
      }],
      tags,
    });
  }
}

/**
 * A tag value IAM and EKS accept: letters, digits, spaces and `_ . : / = + - @`, at most 256 characters. Other
 * characters become `-`; the evidence report shows the spec's value verbatim.
 */
function tagValue(value: string): string {
  return value.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '-').slice(0, 256);
}
