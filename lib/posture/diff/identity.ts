import type { IdentityGrant } from '../types';
import { combine, headline, kindOfSets, listText, sameValue, UNCHANGED, type Assessment, type Classified, type Proof } from './change';
import { permissionChanges, permissionsWithin, trustChanges, trustWithin, type Trust } from './iam';
import { ACCESS_LEVEL, compareExpiry, compareFlag, compareOrdered } from './lattices';

/**
 * Identity: a principal with access. Added = broadening, removed = narrowing. A change is judged per aspect —
 * access level (view < edit < admin < cluster-admin), scope (`cluster` ⊇ any namespaces), IAM permissions and trust
 * (lib/posture/diff/iam.ts), attached AWS-managed policies (attached = broadening: they hold Allow statements), MFA (added = narrowing) and expiry (earlier or added = narrowing) — and combined:
 * anything provably wider makes the whole change broadening.
 */

const who = (g: IdentityGrant): string => `${g.layer} ${g.principal.kind} ${g.principal.name}`;
const scopeText = (s: IdentityGrant['scope']): string => (s === 'cluster' ? 'cluster' : listText([...s]));

function scopeWithin(inner: IdentityGrant['scope'], outer: IdentityGrant['scope']): Proof {
  if (outer === 'cluster') return 'yes';
  if (inner === 'cluster') return 'no';
  return inner.every((ns) => outer.includes(ns)) ? 'yes' : 'no';
}

function compareScope(b: IdentityGrant['scope'], a: IdentityGrant['scope']): Assessment {
  if (sameValue(b, a)) return UNCHANGED;
  return { kind: kindOfSets(scopeWithin(a, b), scopeWithin(b, a)), details: [`scope: ${scopeText(b)} → ${scopeText(a)}`] };
}

function compareLevel(b: string, a: string): Assessment {
  if (b === a) return UNCHANGED;
  return compareOrdered(ACCESS_LEVEL, b, a);
}

function comparePermissions(b: IdentityGrant, a: IdentityGrant): Assessment {
  const [bp, ap] = [b.permissions ?? [], a.permissions ?? []];
  if (sameValue(bp, ap)) return UNCHANGED;
  const kind = kindOfSets(permissionsWithin(ap, bp), permissionsWithin(bp, ap));
  const details = permissionChanges(bp, ap);
  return { kind, details: details.length > 0 ? details : ['permissions rewritten'] };
}

/** AWS-managed policies by ARN: their statements are not in the artifact, but attaching one only adds what it allows. */
function compareManaged(b: readonly string[], a: readonly string[]): Assessment {
  const added = a.filter((p) => !b.includes(p));
  const removed = b.filter((p) => !a.includes(p));
  if (added.length === 0 && removed.length === 0) return UNCHANGED;
  return {
    kind: kindOfSets(added.length === 0 ? 'yes' : 'no', removed.length === 0 ? 'yes' : 'no'),
    details: [...added.map((p) => `managed policy attached: ${p}`), ...removed.map((p) => `managed policy detached: ${p}`)],
  };
}

function compareTrust(b: Trust | undefined, a: Trust | undefined): Assessment {
  if (sameValue(b, a)) return UNCHANGED;
  if (!b || !a) return { kind: 'undetermined', details: [a ? 'trust policy now recorded' : 'trust policy no longer recorded'] };
  const details = trustChanges(b, a);
  return { kind: kindOfSets(trustWithin(a, b), trustWithin(b, a)), details: details.length > 0 ? details : ['trust rewritten'] };
}

function describe(g: IdentityGrant): string {
  const mfa = g.mfa ? ', MFA' : '';
  const until = g.expires ? `, until ${g.expires}` : '';
  return `${who(g)}: ${g.level} on ${scopeText(g.scope)}${mfa}${until}`;
}

/** Classifies one identity entry's change. */
export function classifyIdentity(b: IdentityGrant | undefined, a: IdentityGrant | undefined): Classified {
  if (!b && a) {
    const trust = a.trust ? [`assumable by ${listText([...a.trust.principals])}`] : [];
    return { kind: 'broadening', summary: `new access: ${describe(a)}`, details: [`${who(a)} gains ${a.level} on ${scopeText(a.scope)}`, ...trust] };
  }
  if (b && !a) return { kind: 'narrowing', summary: `access removed: ${describe(b)}`, details: [`${who(b)} loses ${b.level} on ${scopeText(b.scope)}`] };
  if (!b || !a) throw new Error('classifyIdentity needs at least one side');
  const aspects: Assessment[] = [];
  if (who(b) !== who(a)) aspects.push({ kind: 'undetermined', details: [`principal: ${who(b)} → ${who(a)}`] });
  aspects.push(
    compareLevel(b.level, a.level),
    compareScope(b.scope, a.scope),
    comparePermissions(b, a),
    compareManaged(b.managedPolicyArns ?? [], a.managedPolicyArns ?? []),
    compareTrust(b.trust, a.trust),
    compareFlag('MFA', b.mfa, a.mfa),
    compareExpiry('expiry', b.expires, a.expires),
  );
  const { kind, details } = combine(aspects);
  return { kind, summary: `${who(a)}: ${headline(details)}`, details };
}
