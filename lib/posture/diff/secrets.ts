import type { SecretEntry } from '../types';
import { combine, headline, kindOfSets, listText, sameValue, UNCHANGED, type Assessment, type Classified } from './change';
import { AT_REST, compareKnown, compareNumber, ROTATION_BY } from './lattices';
import { principalsNotIn, principalsWithin } from './principals';

/**
 * Secrets: who may read a value, how it is encrypted and rotated. Added (with readers) = broadening, removed =
 * narrowing. Changed: readers (principal lattice: a wider reader broadens, `*` = anyone), encryption at rest (cmk >
 * aws-managed > none), a different KMS key (cannot be ordered: undetermined), rotation (template > customer > none; a
 * shorter interval narrows). A value the artifacts stop (or start) recording cannot be ordered: undetermined.
 */

function compareReaders(b: readonly string[], a: readonly string[]): Assessment {
  const added = principalsNotIn(a, b);
  const removed = principalsNotIn(b, a);
  if (sameValue(a, b)) return UNCHANGED;
  const details = [...added.map((r) => `readable by ${r}`), ...removed.map((r) => `no longer readable by ${r}`)];
  return { kind: kindOfSets(principalsWithin(a, b), principalsWithin(b, a)), details: details.length > 0 ? details : ['readers rewritten'] };
}

function compareKey(b: SecretEntry, a: SecretEntry): Assessment {
  if (b.atRest !== 'cmk' || a.atRest !== 'cmk' || b.kmsKey === a.kmsKey) return UNCHANGED;
  return { kind: 'undetermined', details: [`KMS key: ${b.kmsKey ?? '(unnamed)'} → ${a.kmsKey ?? '(unnamed)'}`] };
}

function compareRotation(b: SecretEntry['rotation'], a: SecretEntry['rotation']): Assessment {
  if (!b || !a) return compareKnown(ROTATION_BY, b?.by, a?.by, 'rotation by');
  return combine([
    compareKnown(ROTATION_BY, b.by, a.by, 'rotation by'),
    compareNumber('rotation interval', b.days, a.days, { stronger: 'lower', absent: 'weakest', unit: ' days', absentText: 'none' }),
  ]);
}

const describe = (s: SecretEntry): string => `${s.store} ${s.name}`;

/** Classifies one secret entry's change. */
export function classifySecret(b: SecretEntry | undefined, a: SecretEntry | undefined): Classified {
  if (!b && a) {
    const kind = a.readers.length > 0 ? 'broadening' : 'neutral';
    return { kind, summary: `new secret ${describe(a)} readable by ${listText([...a.readers])}`, details: a.readers.map((r) => `readable by ${r}`) };
  }
  if (b && !a) {
    return { kind: b.readers.length > 0 ? 'narrowing' : 'neutral', summary: `secret ${describe(b)} removed`, details: b.readers.map((r) => `no longer readable by ${r}`) };
  }
  if (!b || !a) throw new Error('classifySecret needs at least one side');
  const aspects: Assessment[] = [];
  if (describe(b) !== describe(a)) aspects.push({ kind: 'undetermined', details: [`now ${describe(a)}, was ${describe(b)}`] });
  aspects.push(
    compareReaders(b.readers, a.readers),
    compareKnown(AT_REST, b.atRest, a.atRest),
    compareKey(b, a),
    compareRotation(b.rotation, a.rotation),
  );
  const { kind, details } = combine(aspects);
  return { kind, summary: `secret ${describe(a)}: ${headline(details)}`, details };
}
