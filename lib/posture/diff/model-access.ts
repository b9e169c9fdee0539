import type { ModelAccess, RateLimits } from '../types';
import { combine, headline, kindOfSets, listText, UNCHANGED, type Assessment, type Classified } from './change';
import { compareNumber, type NumberOrder } from './lattices';

/**
 * Model access: a team's use of a model through the gateway. Added = broadening, removed = narrowing. Changed:
 * IdP groups mapped to the team (a group added = broadening), and rate limits — a lower limit narrows, a higher one
 * or a removed one (unlimited) broadens.
 */

const LIMIT: NumberOrder = { stronger: 'lower', absent: 'weakest', absentText: 'unlimited' };

function limitsText(l: RateLimits): string {
  const parts = [l.requestsPerMinute !== undefined ? `${l.requestsPerMinute} req/min` : '', l.tokensPerMinute !== undefined ? `${l.tokensPerMinute} tok/min` : ''].filter((p) => p !== '');
  return parts.length > 0 ? parts.join(', ') : 'no limit';
}

function compareGroups(b: readonly string[], a: readonly string[]): Assessment {
  const added = a.filter((g) => !b.includes(g));
  const removed = b.filter((g) => !a.includes(g));
  if (added.length === 0 && removed.length === 0) return UNCHANGED;
  const kind = kindOfSets(added.length === 0 ? 'yes' : 'no', removed.length === 0 ? 'yes' : 'no');
  return { kind, details: [...added.map((g) => `group ${g} now mapped to the team`), ...removed.map((g) => `group ${g} no longer mapped`)] };
}

/** Classifies one model-access entry's change. */
export function classifyModelAccess(b: ModelAccess | undefined, a: ModelAccess | undefined): Classified {
  if (!b && a) {
    return { kind: 'broadening', summary: `team ${a.team} may now use ${a.model} (${limitsText(a.rateLimits)})`, details: [`groups: ${listText([...a.groups])}`, `limits: ${limitsText(a.rateLimits)}`] };
  }
  if (b && !a) return { kind: 'narrowing', summary: `team ${b.team} may no longer use ${b.model}`, details: [`groups ${listText([...b.groups])} lose ${b.model}`] };
  if (!b || !a) throw new Error('classifyModelAccess needs at least one side');
  const aspects: Assessment[] = [];
  if (b.team !== a.team || b.model !== a.model) aspects.push({ kind: 'undetermined', details: [`now team ${a.team} × ${a.model}, was ${b.team} × ${b.model}`] });
  aspects.push(
    compareGroups(b.groups, a.groups),
    compareNumber('requests per minute', b.rateLimits.requestsPerMinute, a.rateLimits.requestsPerMinute, LIMIT),
    compareNumber('tokens per minute', b.rateLimits.tokensPerMinute, a.rateLimits.tokensPerMinute, LIMIT),
  );
  const { kind, details } = combine(aspects);
  return { kind, summary: `team ${a.team} × ${a.model}: ${headline(details)}`, details };
}
