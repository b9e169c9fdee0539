import type { IdentityGrant, Posture } from '../../types';
import { controlRow } from '../control-row';
import { mergeEvidence, plural, uniqueSorted } from '../describe';
import type { ControlRow } from '../types';

/** The rule of the identity control (docs/EVIDENCE.md). */
export const IDENTITY_RULE =
  'Met when every view/edit/admin grant to a person has an expiry, every cluster-admin (break-glass) principal requires MFA, ' +
  'and no IAM role trusts `*` without a condition; customer-owned when the artifacts hold no AWS-layer identity (RBAC alone cannot enforce expiry or MFA).';

/** Kubernetes access levels that reach beyond a team's least-privilege role. */
const PRIVILEGED = new Set(['view', 'edit', 'admin', 'cluster-admin']);

/** Identity & SSO/RBAC: team groups, time-bound grants, MFA-only break-glass, workload identities. */
export function identityControl(posture: Posture): ControlRow {
  const all = posture.identity;
  const persons = all.filter((g) => g.principal.kind !== 'service-account' && PRIVILEGED.has(g.level));
  const breakGlass = persons.filter((g) => g.level === 'cluster-admin');
  const grants = persons.filter((g) => g.level !== 'cluster-admin');
  const teams = all.filter((g) => g.layer === 'kubernetes' && g.principal.kind === 'group' && !PRIVILEGED.has(g.level));
  const workloads = all.filter((g) => g.principal.kind === 'service-account' || (g.principal.kind === 'iam-role' && g.level === 'iam' && !isHumanTrust(g)));
  const failures: string[] = [];
  const customerDecides: string[] = [];
  const provides: string[] = [];
  const customerOwns: string[] = [];

  if (all.length === 0) failures.push('the posture records no principal with access');
  for (const g of grants) {
    if (!expiryOf(g, all)) failures.push(`${g.key}: ${g.level} for ${g.principal.name} never expires`);
  }
  for (const g of breakGlass) {
    const mfa = mfaOf(g, all);
    if (mfa !== true) failures.push(`${g.key}: cluster-admin for ${g.principal.name} ${mfa === false ? 'does not require' : 'records no'} MFA`);
  }
  for (const g of all.filter((x) => x.trust?.principals.includes('*') && x.trust.conditions.length === 0)) {
    failures.push(`${g.key}: role ${g.principal.name} trusts any principal (*) without a condition`);
  }
  const awsLayer = all.some((g) => g.layer === 'aws');
  if (!awsLayer && all.length > 0) {
    customerDecides.push('no AWS-layer identity in the artifacts: Kubernetes RBAC binds the groups, but authentication, MFA and expiry are enforced by the customer\'s identity provider');
  }

  if (teams.length > 0) provides.push(`Team access through IdP groups, least privilege in the team namespace: ${teams.map((g) => `${g.principal.name} → ${g.level} in ${scopeOf(g)}`).join('; ')}.`);
  if (grants.length > 0) provides.push(`Time-bound grants: ${grants.map((g) => `${g.principal.name} (${g.layer}) ${g.level} in ${scopeOf(g)} until ${expiryOf(g, all) ?? 'no expiry'}${g.reason ? ` (reason: ${g.reason})` : ''}`).join('; ')}.`);
  if (breakGlass.length > 0) provides.push(`Break-glass: ${breakGlass.map((g) => `${g.principal.name} (${g.layer}) cluster-admin, ${mfaOf(g, all) === true ? 'MFA required' : 'MFA not recorded'}`).join('; ')}.`);
  if (workloads.length > 0) provides.push(`${plural(workloads.length, 'workload identity', 'workload identities')} (service accounts and IAM roles assumed by services or pods), each with its own scoped permissions.`);
  if (grants.length === 0 && breakGlass.length === 0) provides.push('No standing grant and no break-glass principal: only team groups and workloads have access.');

  const idpGroups = uniqueSorted(teams.map((g) => g.principal.name));
  if (idpGroups.length > 0) customerOwns.push(`Membership of the IdP groups bound here: ${idpGroups.join(', ')}.`);
  for (const g of breakGlass) {
    const trust = trustOf(g, all);
    if (trust && trust.principals.length > 0) customerOwns.push(`Who may assume break-glass ${g.principal.name}: ${trust.principals.join(', ')} (the customer's account).`);
  }
  if (posture.owners.owner) customerOwns.push(`${posture.owners.owner} (boundary owner) approves each grant and every break-glass use.`);

  return controlRow({ id: 'identity', rule: IDENTITY_RULE, failures, customerDecides, provides, customerOwns, exceptions: [], evidence: mergeEvidence(all) });
}

/** `cluster` or the namespaces. */
function scopeOf(g: IdentityGrant): string {
  return g.scope === 'cluster' ? 'the cluster' : g.scope.join(', ');
}

/**
 * Whether an entry and another name the same principal: EKS access entries and RBAC subjects cite a role by ARN, the
 * role entry by name (or the other way round), so an ARN ending in `/<name>` matches `<name>`.
 */
function samePrincipal(a: IdentityGrant, b: IdentityGrant): boolean {
  const x = a.principal.name;
  const y = b.principal.name;
  return x === y || x.endsWith(`/${y}`) || y.endsWith(`/${x}`);
}

/** The expiry of an entry, or of another entry for the same principal (the grant role's trust carries it). */
function expiryOf(g: IdentityGrant, all: readonly IdentityGrant[]): string | undefined {
  return g.expires ?? all.find((o) => o !== g && o.expires && samePrincipal(g, o))?.expires;
}

/** MFA of an entry; when it does not say, the MFA of another entry for the same principal (the role's trust policy). */
function mfaOf(g: IdentityGrant, all: readonly IdentityGrant[]): boolean | undefined {
  if (g.mfa !== undefined) return g.mfa;
  return all.find((o) => o !== g && o.mfa !== undefined && samePrincipal(g, o))?.mfa;
}

function trustOf(g: IdentityGrant, all: readonly IdentityGrant[]): IdentityGrant['trust'] {
  return g.trust ?? all.find((o) => o !== g && o.trust && samePrincipal(g, o))?.trust;
}

/** A role people assume (an account or role principal, not an AWS service or a federated web identity). */
function isHumanTrust(g: IdentityGrant): boolean {
  return g.mfa !== undefined || g.expires !== undefined || (g.trust?.principals ?? []).some((p) => /^arn:[^:]+:iam::/.test(p));
}
