/** Reads a template's identities: IAM roles (trust and permissions) and EKS access entries. */
import {
  earliestInstant, expiryInstant, sortConditions, sortEvidence, sortStatements, uniqueSorted,
} from '../normalize';
import {
  expiryOf, hasAwsPrincipal, iamStatement, iamStatements, rawStatements, requiresMfa, resolveList, resolveString,
} from '../normalize-iam';
import type { EvidenceRef, IamStatement, IdentityGrant } from '../types';
import { TAG, type Template } from './template';

/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are read as data of many shapes */

/** Managed policies and policies of the template attached to a role, the AWS-managed ARNs it names, and its inline policies. */
function rolePermissions(t: Template, role: string): { statements: IamStatement[]; managed: string[]; evidence: EvidenceRef[] } {
  const statements: IamStatement[] = [];
  const managed: string[] = [];
  const evidence: EvidenceRef[] = [];
  const p = t.props(role);
  for (const arn of (p.ManagedPolicyArns ?? []) as unknown[]) {
    const id = t.target(arn);
    if (id && t.type(id) === 'AWS::IAM::ManagedPolicy') continue; // read below, with the policy's own attachments
    managed.push(resolveString(arn));
  }
  for (const inline of (p.Policies ?? []) as any[]) statements.push(...iamStatements(inline.PolicyDocument));
  for (const type of ['AWS::IAM::ManagedPolicy', 'AWS::IAM::Policy']) {
    for (const id of t.ids(type)) {
      const attached = (t.props(id).Roles ?? []).some((r: unknown) => t.target(r) === role)
        || (p.ManagedPolicyArns ?? []).some((arn: unknown) => t.target(arn) === id);
      if (!attached) continue;
      statements.push(...iamStatements(t.props(id).PolicyDocument));
      evidence.push(t.ref(id));
    }
  }
  return { statements: sortStatements(statements), managed: uniqueSorted(managed), evidence };
}

/** Namespaces a trust policy limits a role to (Pod Identity session tags, web-identity `sub` claims). */
function trustNamespaces(conditions: readonly { key: string; values: readonly string[] }[]): string[] {
  const out: string[] = [];
  for (const c of conditions) {
    if (c.key.endsWith('aws:RequestTag/kubernetes-namespace') || c.key.endsWith('aws:PrincipalTag/kubernetes-namespace')) out.push(...c.values);
    if (c.key.endsWith(':sub')) for (const v of c.values) { const m = /^system:serviceaccount:([^:]+):/.exec(v); if (m) out.push(m[1]); }
  }
  return uniqueSorted(out);
}

/** What a role's trust policy says: who, under which conditions, MFA (for AWS principals), and its end (when every path has one). */
function trustOf(t: Template, role: string) {
  const allow = rawStatements(t.props(role).AssumeRolePolicyDocument).filter((s) => s.Effect !== 'Deny');
  const statements = allow.map(iamStatement);
  const human = allow.filter(hasAwsPrincipal).map(iamStatement);
  return {
    principals: uniqueSorted(statements.flatMap((s) => s.principals ?? [])),
    conditions: sortConditions(statements.flatMap((s) => s.conditions)),
    mfa: human.length === 0 ? undefined : human.every((s) => requiresMfa(s.conditions)),
    expires: statements.length === 0 ? undefined : earliestInstant(statements.map((s) => expiryOf(s.conditions))),
  };
}

/** Every IAM role: its trust (who may assume it, conditions, MFA, expiry) and its permissions. Key: `identity/aws/iam-role/<name>`. */
export function roleGrants(t: Template): IdentityGrant[] {
  return t.ids('AWS::IAM::Role').map((role): IdentityGrant => {
    const trust = trustOf(t, role);
    const perms = rolePermissions(t, role);
    const namespaces = trustNamespaces(trust.conditions);
    const associations = ['AWS::EKS::PodIdentityAssociation', 'AWS::IAM::InstanceProfile'].flatMap((type) => t.ids(type)
      .filter((a) => t.target(t.props(a).RoleArn) === role || (t.props(a).Roles ?? []).some((r: unknown) => t.target(r) === role)));
    return {
      key: `identity/aws/iam-role/${t.name(role)}`,
      evidence: sortEvidence([t.ref(role), ...perms.evidence, ...associations.map((a) => t.ref(a))]),
      layer: 'aws',
      principal: { kind: 'iam-role', name: t.name(role) },
      level: 'iam',
      scope: namespaces.length > 0 ? namespaces : 'cluster',
      ...(trust.mfa !== undefined ? { mfa: trust.mfa } : {}),
      ...(trust.expires !== undefined ? { expires: expiryInstant(trust.expires) } : {}),
      ...reasonOf(t, role),
      trust: { principals: trust.principals, conditions: trust.conditions },
      permissions: perms.statements,
      ...(perms.managed.length > 0 ? { managedPolicyArns: perms.managed } : {}),
    };
  });
}

/** The reason tag a grant role carries (lib/aws/time-bound-grant.ts), as `{ reason }` or nothing. */
function reasonOf(t: Template, role: string): { reason?: string } {
  const reason = t.tag(role, TAG.reason);
  return reason !== undefined && reason.trim() !== '' ? { reason: reason.trim() } : {};
}

const ACCESS_POLICY_LEVEL: Readonly<Record<string, string>> = {
  AmazonEKSClusterAdminPolicy: 'cluster-admin', AmazonEKSAdminPolicy: 'admin', AmazonEKSEditPolicy: 'edit', AmazonEKSViewPolicy: 'view',
};

/**
 * What an access entry without access policies allows: a node entry (`EC2_LINUX`, …) the node permissions
 * (`system:nodes`), a standard entry what RBAC grants its Kubernetes groups (`kubernetes-groups:<groups>`).
 */
function levelWithoutPolicy(p: Record<string, any>): string {
  const type = String(p.Type ?? 'STANDARD');
  if (type !== 'STANDARD') return `node:${type}`;
  const groups = uniqueSorted(resolveList(p.KubernetesGroups));
  return groups.length > 0 ? `kubernetes-groups:${groups.join(',')}` : 'none';
}

/** EKS access entries: one grant per access policy association, with its scope; MFA and expiry from the principal role's trust. */
export function accessEntryGrants(t: Template): IdentityGrant[] {
  return t.ids('AWS::EKS::AccessEntry').flatMap((id) => {
    const p = t.props(id);
    const role = t.target(p.PrincipalArn);
    const inTemplate = role !== undefined && t.type(role) === 'AWS::IAM::Role';
    const name = t.principalName(p.PrincipalArn);
    const kind: IdentityGrant['principal']['kind'] = inTemplate || /:role\//.test(name) ? 'iam-role' : 'iam-principal';
    const trust = inTemplate ? trustOf(t, role) : undefined;
    const taggedExpiry = t.tag(id, TAG.expires);
    const expires = trust ? trust.expires : taggedExpiry;
    const policies: any[] = p.AccessPolicies ?? [];
    const base = `identity/aws/${kind}/${name}/access-entry`;
    const one = (policy: any | undefined, key: string): IdentityGrant => {
      const policyName = policy ? resolveString(policy.PolicyArn).split('/').pop() ?? '' : '';
      const scope = policy?.AccessScope?.Type === 'namespace' ? uniqueSorted(resolveList(policy.AccessScope.Namespaces)) : 'cluster' as const;
      return {
        key, evidence: sortEvidence([t.ref(id), ...(inTemplate ? [t.ref(role)] : [])]), layer: 'aws', principal: { kind, name },
        level: policy ? ACCESS_POLICY_LEVEL[policyName] ?? policyName : levelWithoutPolicy(p),
        scope,
        ...(trust?.mfa !== undefined ? { mfa: trust.mfa } : {}),
        ...(expires !== undefined ? { expires: expiryInstant(expires) } : {}),
        ...(inTemplate ? reasonOf(t, role) : {}),
      };
    };
    if (policies.length <= 1) return [one(policies[0], base)];
    return policies.map((policy) => one(policy, `${base}/${resolveString(policy.PolicyArn).split('/').pop()}`));
  });
}
