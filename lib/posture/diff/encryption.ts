import type { StoreEncryption } from '../types';
import { combine, headline, type Assessment, type Classified } from './change';
import { AT_REST, compareFlag, compareKnown, compareOrdered, IN_TRANSIT } from './lattices';

/**
 * Encryption of a data store: at rest (cmk > aws-managed > none), in transit (enforced > available > none; absent =
 * not governed by the artifact, e.g. AWS APIs), S3 public access block (on > off). A new store is broadening only when it is unencrypted or open (otherwise neutral: a new
 * place that keeps the baseline); a store gone from the artifacts takes its data with it: neutral.
 */

const describe = (e: StoreEncryption): string => `${e.kind} ${e.name}`;

function weaknesses(e: StoreEncryption): string[] {
  return [
    ...(e.atRest === 'none' ? ['not encrypted at rest'] : []),
    ...(e.inTransit === 'none' ? ['no encryption in transit'] : []),
    ...(e.publicAccessBlocked === false ? ['public access not blocked'] : []),
  ];
}

/** Classifies one store-encryption entry's change. */
export function classifyEncryption(b: StoreEncryption | undefined, a: StoreEncryption | undefined): Classified {
  if (!b && a) {
    const weak = weaknesses(a);
    const summary = `new store ${describe(a)}: at rest ${a.atRest}${a.inTransit ? `, in transit ${a.inTransit}` : ''}`;
    return weak.length > 0 ? { kind: 'broadening', summary, details: weak } : { kind: 'neutral', summary, details: [] };
  }
  if (b && !a) return { kind: 'neutral', summary: `store ${describe(b)} no longer in the artifacts`, details: [] };
  if (!b || !a) throw new Error('classifyEncryption needs at least one side');
  const aspects: Assessment[] = [];
  if (describe(b) !== describe(a)) aspects.push({ kind: 'undetermined', details: [`now ${describe(a)}, was ${describe(b)}`] });
  aspects.push(
    compareOrdered(AT_REST, b.atRest, a.atRest),
    compareKnown(IN_TRANSIT, b.inTransit, a.inTransit),
    compareFlag('public access block', b.publicAccessBlocked, a.publicAccessBlocked),
  );
  const { kind, details } = combine(aspects);
  return { kind, summary: `${describe(a)}: ${headline(details)}`, details };
}
