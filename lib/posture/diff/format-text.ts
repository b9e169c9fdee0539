import { POSTURE_SECTIONS } from '../types';
import { AREAS, CHANGE_KINDS, headline, type ChangeKind } from './change';
import type { DiffReport, ReviewedChange } from './review';

/** Options of the text renderer. */
export interface TextFormatOptions {
  /**
   * ANSI colours (broadening red, undetermined yellow, narrowing green).
   * @default false
   */
  readonly color?: boolean;
  /**
   * List neutral changes under their area too.
   * @default false - counted in the summary only
   */
  readonly showNeutral?: boolean;
  /**
   * Detail lines shown under each broadening or undetermined change.
   * @default 3
   */
  readonly maxDetails?: number;
}

const ANSI: Readonly<Record<ChangeKind | 'bold' | 'reset', string>> = {
  broadening: '\u001b[31m', undetermined: '\u001b[33m', narrowing: '\u001b[32m', neutral: '\u001b[2m', bold: '\u001b[1m', reset: '\u001b[0m',
};

/** Changes of one section whose details are the same, in report order (a change without details stands alone). */
function sameDetails(changes: readonly ReviewedChange[]): ReviewedChange[][] {
  const groups = new Map<string, ReviewedChange[]>();
  changes.forEach((c, i) => {
    const id = c.details.length > 0 ? `${c.section}\u0000${c.details.join('\u0000')}` : `#${i}`;
    groups.set(id, [...(groups.get(id) ?? []), c]);
  });
  return [...groups.values()];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The counts line: `2 broadening (1 acknowledged) · 1 undetermined · 3 narrowing · 4 neutral`. */
export function countsText(report: DiffReport): string {
  return CHANGE_KINDS.map((k) => `${report.counts[k]} ${k}${k === 'broadening' && report.acknowledgedBroadening > 0 ? ` (${report.acknowledgedBroadening} acknowledged)` : ''}`).join(' · ');
}

/** The verdict line, or undefined when no gate is set. */
export function verdictText(report: DiffReport): string | undefined {
  if (report.failOn === 'never') return undefined;
  const blocking = report.changes.filter((c) => c.blocking);
  if (blocking.length === 0) return `PASS --fail-on ${report.failOn}: every ${report.failOn === 'undetermined' ? 'broadening or undetermined' : 'broadening'} change is acknowledged`;
  const what = report.failOn === 'undetermined' ? 'broadening or undetermined' : 'broadening';
  return `FAIL --fail-on ${report.failOn}: ${plural(blocking.length, `${what} change`)} not acknowledged`;
}

/** How an acknowledgement reads next to its change. */
export function ackText(c: ReviewedChange): string {
  const a = c.acknowledgement;
  if (!a) return '';
  return a.status === 'active' ? `acknowledged ${a.ticket} until ${a.expires}` : `acknowledgement ${a.ticket} EXPIRED ${a.expires}`;
}

/**
 * Renders a report for a terminal, on about one screen: the counts and the verdict, then every broadening change
 * (with its key, for an acknowledgement, and what widened; the same widening on several entries once, with their
 * keys), then the other changes grouped by area.
 */
export function formatText(report: DiffReport, options: TextFormatOptions = {}): string {
  const paint = (k: keyof typeof ANSI, s: string): string => (options.color ? `${ANSI[k]}${s}${ANSI.reset}` : s);
  const maxDetails = options.maxDetails ?? 3;
  const title = report.before === report.after ? report.after : `${report.before} → ${report.after}`;
  const out: string[] = [`security diff ${title}: ${countsText(report)}`];
  const verdict = verdictText(report);
  if (verdict) out.push(paint(report.failed ? 'broadening' : 'narrowing', verdict));
  if (report.changes.length === 0) out.push('no change to the posture');

  const detailed = (c: ReviewedChange): void => {
    const ack = ackText(c);
    out.push(`  ${paint(c.kind, c.kind.padEnd(12))} ${AREAS[c.section].padEnd(12)} ${c.summary}`);
    out.push(`  ${' '.repeat(25)} key ${c.key}${ack ? `  [${ack}]` : ''}`);
    // A detail the summary already spells out would only repeat it.
    const shown = c.details.filter((d) => !c.summary.includes(d)).slice(0, maxDetails);
    for (const d of shown) out.push(`  ${' '.repeat(25)} - ${d}`);
    const more = c.details.filter((d) => !c.summary.includes(d)).length - shown.length;
    if (more > 0) out.push(`  ${' '.repeat(25)}   … ${more} more`);
  };

  const broadening = report.changes.filter((c) => c.kind === 'broadening');
  if (broadening.length > 0) {
    out.push('', paint('bold', 'Broadening'));
    for (const group of sameDetails(broadening)) {
      if (group.length === 1) {
        detailed(group[0]);
        continue;
      }
      // One widening repeated on several entries (every log group's retention): say it once, list the keys.
      const first = group[0];
      const sameSummary = group.every((c) => c.summary === first.summary);
      out.push(`  ${paint('broadening', 'broadening'.padEnd(12))} ${AREAS[first.section].padEnd(12)} ${sameSummary ? first.summary : headline(first.details)} (${group.length} entries)`);
      for (const c of group) {
        const ack = ackText(c);
        out.push(`  ${' '.repeat(25)} key ${c.key}${ack ? `  [${ack}]` : ''}`);
      }
      if (sameSummary) for (const d of first.details.filter((x) => !first.summary.includes(x)).slice(0, maxDetails)) out.push(`  ${' '.repeat(25)} - ${d}`);
    }
  }
  const rest = report.changes.filter((c) => c.kind !== 'broadening' && (options.showNeutral || c.kind !== 'neutral'));
  if (rest.length > 0) {
    out.push('', paint('bold', 'By area'));
    for (const section of POSTURE_SECTIONS) {
      const inArea = rest.filter((c) => c.section === section);
      if (inArea.length === 0) continue;
      out.push(`  ${AREAS[section]}`);
      for (const c of inArea) {
        const ack = ackText(c);
        out.push(`    ${paint(c.kind, c.kind.padEnd(12))} ${c.summary}${ack ? `  [${ack}]` : ''}`);
        if (c.kind === 'undetermined') out.push(`    ${' '.repeat(12)} key ${c.key}`);
      }
    }
  }
  const hidden = options.showNeutral ? 0 : report.counts.neutral;
  if (hidden > 0) out.push('', `${plural(hidden, 'neutral change')} (purpose texts, evidence references, equal sets) not listed`);
  if (report.warnings.length > 0) out.push('', paint('bold', 'Acknowledgements'), ...report.warnings.map((w) => `  warning ${w}`));
  return `${out.join('\n')}\n`;
}
