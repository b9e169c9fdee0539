import type { RetentionEntry } from '../types';
import { combine, headline, type Assessment, type Classified } from './change';
import { compareFlag, compareNumber, compareOrdered, LOCK_MODE } from './lattices';

/**
 * Retention of audit records. Keeping records longer is the stronger control (evidence survives), so shorter retention
 * broadens and longer narrows; an absent `days` is "kept forever" (the strongest). Object Lock COMPLIANCE > GOVERNANCE
 * > none, and its default retention days (more = narrowing; none = weakest); legal hold and versioning on > off. Records no longer kept at all (entry removed) broaden; a new record
 * kept narrows. A changed reason is neutral.
 */

const describe = (r: RetentionEntry): string => `${r.kind} ${r.name}`;
const daysText = (r: RetentionEntry): string => (r.days === undefined ? 'forever' : `${r.days} days`);

/** Classifies one retention entry's change. */
export function classifyRetention(b: RetentionEntry | undefined, a: RetentionEntry | undefined): Classified {
  if (!b && a) return { kind: 'narrowing', summary: `${describe(a)} now kept ${daysText(a)}`, details: [`records kept ${daysText(a)}${a.lock && a.lock !== 'none' ? `, lock ${a.lock}` : ''}`] };
  if (b && !a) return { kind: 'broadening', summary: `${describe(b)} no longer kept (was ${daysText(b)})`, details: [`retention of ${daysText(b)} removed`] };
  if (!b || !a) throw new Error('classifyRetention needs at least one side');
  const aspects: Assessment[] = [];
  if (describe(b) !== describe(a)) aspects.push({ kind: 'undetermined', details: [`now ${describe(a)}, was ${describe(b)}`] });
  aspects.push(
    compareNumber('retention', b.days, a.days, { stronger: 'higher', absent: 'strongest', unit: ' days', absentText: 'forever' }),
    compareOrdered(LOCK_MODE, b.lock ?? 'none', a.lock ?? 'none'),
    compareNumber('object lock retention', b.lockDays, a.lockDays, { stronger: 'higher', absent: 'weakest', unit: ' days', absentText: 'none' }),
    compareFlag('legal hold', b.legalHold, a.legalHold),
    compareFlag('versioning', b.versioned, a.versioned),
  );
  if ((b.reason ?? '') !== (a.reason ?? '')) aspects.push({ kind: 'neutral', details: [`reason: ${JSON.stringify(b.reason ?? '')} → ${JSON.stringify(a.reason ?? '')}`] });
  const { kind, details } = combine(aspects);
  return { kind, summary: `${describe(a)}: ${headline(details)}`, details };
}
