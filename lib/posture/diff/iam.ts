import type { IamCondition, IamStatement } from '../types';
import { allOf, listText, sameValue, type Proof } from './change';
import { conditionChanges, conditionsImply, conditionText } from './conditions';
import { globCovered, globsOverlap, type Pattern } from './glob';
import { principalsNotIn, principalsWithin } from './principals';

/**
 * IAM permissions and trust. A policy allows ∪ Allow − ∪ Deny; each statement is actions × resources × principals
 * (resource policies name them; an identity policy's statements apply to its holder) × the request contexts its
 * conditions accept. Actions compare case-insensitively (`s3:*` ⊇ `S3:GetObject`, `*` ⊇ everything),
 * resources as case-sensitive ARN globs (`*`, `?`).
 *
 * `after ⊆ before` is proven when every (action, resource) cell of every after-Allow lies in one before-Allow whose
 * conditions the after-Allow's conditions imply, and every before-Deny is kept by an after-Deny at least as wide (or
 * no after-Allow reaches it). It is disproven by a witness: an action, resource or principal of an after-Allow that
 * no before-Allow and no after-Deny names; a request only one before-Allow reached, now reached by an after-Allow with
 * looser conditions; or a before-Deny dropped, narrowed or conditioned where an unconditional after-Allow reaches it.
 * Anything else is undecided.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */

const action = (text: string): Pattern => ({ text: text.toLowerCase() });
const resource = (text: string): Pattern => ({ text });

const isLive = (s: IamStatement): boolean => s.actions.length > 0 && s.resources.length > 0;

/** A statement's principals: resource-policy statements name them; an identity-policy statement applies to its holder (`*` here). */
const principalsOf = (s: IamStatement): readonly string[] => s.principals ?? ['*'];
const principalsCovered = (inner: IamStatement, outer: IamStatement): boolean => principalsWithin(principalsOf(inner), principalsOf(outer)) === 'yes';

const actionsWithin = (inner: readonly string[], outer: readonly string[]): boolean => inner.every((a) => globCovered(action(a), outer.map(action)));
const resourcesWithin = (inner: readonly string[], outer: readonly string[]): boolean => inner.every((r) => globCovered(resource(r), outer.map(resource)));

/** Whether two statements can apply to one request (some action and some resource in common). */
function overlaps(x: IamStatement, y: IamStatement): boolean {
  return x.actions.some((a) => y.actions.some((b) => globsOverlap(action(a), action(b))))
    && x.resources.some((r) => y.resources.some((q) => globsOverlap(resource(r), resource(q))));
}

/**
 * Whether statement `outer` applies to every request `inner` applies to: its region contains inner's and inner's
 * conditions imply its own (a Deny kept this way still denies whatever it denied).
 */
function statementCovers(outer: IamStatement, inner: IamStatement): boolean {
  return actionsWithin(inner.actions, outer.actions) && resourcesWithin(inner.resources, outer.resources) && principalsCovered(inner, outer)
    && conditionsImply(inner.conditions, outer.conditions) === 'yes';
}

/** Whether every (action, resource, principal) cell of `s` lies in some statement of `allows` whose conditions `s` implies. */
function allowCovered(s: IamStatement, allows: readonly IamStatement[]): boolean {
  const candidates = allows.filter((t) => isLive(t) && conditionsImply(s.conditions, t.conditions) === 'yes');
  return s.actions.every((a) => s.resources.every((r) => principalsOf(s).every((p) => candidates.some((t) => globCovered(action(a), t.actions.map(action))
    && globCovered(resource(r), t.resources.map(resource)) && principalsWithin([p], principalsOf(t)) === 'yes'))));
}

/**
 * Whether some request in `t`'s region is in none of `others` (whatever their conditions): no other statement
 * overlaps `t`, or an action or a resource of `t` reaches beyond every other statement's.
 */
function escapes(t: IamStatement, others: readonly IamStatement[]): boolean {
  if (!others.some((u) => overlaps(u, t))) return true;
  return t.actions.some((a) => !globCovered(action(a), others.flatMap((u) => u.actions).map(action)))
    || t.resources.some((r) => !globCovered(resource(r), others.flatMap((u) => u.resources).map(resource)));
}

/** Whether the effective permissions of `inner` are within those of `outer`. */
export function permissionsWithin(inner: readonly IamStatement[], outer: readonly IamStatement[]): Proof {
  const split = (ss: readonly IamStatement[]): [IamStatement[], IamStatement[]] => [ss.filter((s) => s.effect === 'Allow' && isLive(s)), ss.filter((s) => s.effect === 'Deny' && isLive(s))];
  const [inAllow, inDeny] = split(inner);
  const [outAllow, outDeny] = split(outer);
  const allowsOk = inAllow.every((s) => allowCovered(s, outAllow));
  const keptDeny = (d: IamStatement): boolean => inDeny.some((e) => statementCovers(e, d)) || !inAllow.some((s) => overlaps(s, d));
  const deniesOk = outDeny.every(keptDeny);
  if (allowsOk && deniesOk) return 'yes';

  const deniedActions = inDeny.flatMap((d) => d.actions);
  const deniedResources = inDeny.flatMap((d) => d.resources);
  const newAction = inAllow.some((s) => s.actions.some((a) => !globCovered(action(a), [...outAllow.flatMap((t) => t.actions), ...deniedActions].map(action))));
  const newResource = inAllow.some((s) => s.resources.some((r) => !globCovered(resource(r), [...outAllow.flatMap((t) => t.resources), ...deniedResources].map(resource))));
  const newPrincipal = inAllow.some((s) => principalsNotIn(principalsOf(s), [...outAllow, ...inDeny].flatMap(principalsOf)).length > 0);
  if (newAction || newResource || newPrincipal) return 'no';
  const loosened = outAllow.some((t) => escapes(t, [...outAllow.filter((u) => u !== t), ...inDeny])
    && inAllow.some((s) => actionsWithin(t.actions, s.actions) && resourcesWithin(t.resources, s.resources) && principalsCovered(t, s)
      && conditionsImply(s.conditions, t.conditions) === 'no'));
  if (loosened) return 'no';
  // A request d denied that an unconditional after-Allow reaches, and that no after-Deny denies any more: either it
  // escapes every after-Deny, or the one Deny left on it has conditions d's own do not imply.
  const denyWeakened = outDeny.some((d) => !keptDeny(d)
    && inAllow.some((s) => s.conditions.length === 0 && actionsWithin(d.actions, s.actions) && resourcesWithin(d.resources, s.resources) && principalsCovered(d, s))
    && (escapes(d, inDeny) || inDeny.some((e) => conditionsImply(d.conditions, e.conditions) === 'no' && escapes(d, inDeny.filter((x) => x !== e)))));
  return denyWeakened ? 'no' : 'unknown';
}

/** Renders a statement on one line. */
export function statementText(s: IamStatement): string {
  const when = s.conditions.length > 0 ? ` if ${s.conditions.map(conditionText).join(' and ')}` : '';
  const to = s.principals ? ` to ${listText(s.principals)}` : '';
  return `${s.effect} ${listText(s.actions)} on ${listText(s.resources)}${to}${when}`;
}

const sameStatement = (x: IamStatement, y: IamStatement): boolean => sameValue(x, y);

const setDiff = (label: string, b: readonly string[], a: readonly string[]): string[] => {
  const added = a.filter((x) => !b.includes(x));
  const removed = b.filter((x) => !a.includes(x));
  if (added.length === 0 && removed.length === 0) return [];
  if (removed.length === b.length && added.length === a.length) return [`${label}: ${listText([...b])} → ${listText([...a])}`];
  return [...(added.length > 0 ? [`${label} added: ${listText(added)}`] : []), ...(removed.length > 0 ? [`${label} removed: ${listText(removed)}`] : [])];
};

/** What differs between two statement lists, one fact per line (a statement changed in place is described field by field). */
export function permissionChanges(before: readonly IamStatement[], after: readonly IamStatement[]): string[] {
  const added = after.filter((a) => !before.some((b) => sameStatement(a, b)));
  const removed = before.filter((b) => !after.some((a) => sameStatement(a, b)));
  const out: string[] = [];
  for (const effect of ['Allow', 'Deny'] as const) {
    const [ad, rm] = [added.filter((s) => s.effect === effect), removed.filter((s) => s.effect === effect)];
    if (ad.length === 1 && rm.length === 1) {
      const [b, a] = [rm[0], ad[0]];
      out.push(
        ...setDiff(`${effect} actions`, b.actions, a.actions),
        ...setDiff(`${effect} resources`, b.resources, a.resources),
        ...setDiff(`${effect} principals`, principalsOf(b), principalsOf(a)),
        ...conditionChanges(b.conditions, a.conditions).map((c) => `${effect} ${c}`),
      );
    } else {
      out.push(...ad.map((s) => `statement added: ${statementText(s)}`), ...rm.map((s) => `statement removed: ${statementText(s)}`));
    }
  }
  return out;
}

/** Who may assume a role and when. */
export interface Trust {
  readonly principals: readonly string[];
  readonly conditions: readonly IamCondition[];
}

/** Whether everyone `inner` lets assume the role, in every context, is let in by `outer` (principals × contexts). */
export function trustWithin(inner: Trust, outer: Trust): Proof {
  if (inner.principals.length === 0) return 'yes';
  if (outer.principals.length === 0) return 'no';
  return allOf([principalsWithin(inner.principals, outer.principals), conditionsImply(inner.conditions, outer.conditions)]);
}

/** What differs between two trusts, one fact per line. */
export function trustChanges(before: Trust, after: Trust): string[] {
  const wider = principalsNotIn(after.principals, before.principals).map((p) => `may now be assumed by ${p}`);
  const narrower = principalsNotIn(before.principals, after.principals).map((p) => `no longer assumable by ${p}`);
  return [...wider, ...narrower, ...conditionChanges(before.conditions, after.conditions).map((c) => `trust ${c}`)];
}
