import type { RedactionEntry } from '../types';
import { combine, headline, type Assessment, type Classified } from './change';
import { compareOrdered, REDACTION } from './lattices';

/**
 * Redaction of a PII entity: block > mask > allow. An entity without an entry passes through (`allow`), so a new
 * entry compares from `allow` (mask or block: narrowing) and a removed one compares to `allow` (broadening). Where it
 * is enforced (`enforcedBy`, e.g. pre-call vs post-call) cannot be ordered: a change there is undetermined unless
 * the entity is allowed anyway.
 */

/** Classifies one redaction entry's change. */
export function classifyRedaction(b: RedactionEntry | undefined, a: RedactionEntry | undefined): Classified {
  if (!b && a) {
    const { kind, details } = compareOrdered(REDACTION, 'allow', a.action);
    return { kind, summary: `${a.entity}: now ${a.action} (${a.enforcedBy})`, details };
  }
  if (b && !a) {
    const { kind, details } = compareOrdered(REDACTION, b.action, 'allow');
    return { kind, summary: `${b.entity}: rule removed, passes through (was ${b.action})`, details };
  }
  if (!b || !a) throw new Error('classifyRedaction needs at least one side');
  const aspects: Assessment[] = [];
  if (b.entity !== a.entity) aspects.push({ kind: 'undetermined', details: [`entity: ${b.entity} → ${a.entity}`] });
  aspects.push(compareOrdered(REDACTION, b.action, a.action));
  if (b.enforcedBy !== a.enforcedBy) {
    const matters = a.action !== 'allow' || b.action !== 'allow';
    aspects.push({ kind: matters ? 'undetermined' : 'neutral', details: [`enforced by: ${b.enforcedBy} → ${a.enforcedBy}`] });
  }
  const { kind, details } = combine(aspects);
  return { kind, summary: `${a.entity}: ${headline(details)}`, details };
}
