import { POSTURE_SECTIONS } from '../types';
import { AREAS } from './change';
import { ackText, countsText, verdictText } from './format-text';
import type { DiffReport, ReviewedChange } from './review';

/** Options of the Markdown renderer. */
export interface MarkdownFormatOptions {
  /**
   * Heading level of the title (`###` by default, to sit inside a PR comment).
   * @default 3
   */
  readonly headingLevel?: number;
}

/** Escapes text for a GitHub table cell or list item: pipes, HTML-significant characters, line breaks. */
export function mdEscape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ');
}

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;

/**
 * Renders a report as GitHub-flavoured Markdown for a pull-request comment: counts and verdict (as an alert), a table
 * of the broadening changes with their keys and acknowledgements, then the other changes by area; neutral changes and
 * every change's details fold into `<details>` blocks.
 */
export function formatMarkdown(report: DiffReport, options: MarkdownFormatOptions = {}): string {
  const h = '#'.repeat(Math.min(6, Math.max(1, options.headingLevel ?? 3)));
  const sub = '#'.repeat(Math.min(6, h.length + 1));
  const title = report.before === report.after ? code(report.after) : `${code(report.before)} → ${code(report.after)}`;
  const out: string[] = [`${h} Security diff ${title}`, '', `**${countsText(report)}**`];
  const verdict = verdictText(report);
  if (verdict) out.push('', `> [!${report.failed ? 'CAUTION' : 'NOTE'}]`, `> ${mdEscape(verdict)}`);
  if (report.changes.length === 0) out.push('', 'No change to the posture.');

  const detailsBlock = (cs: readonly ReviewedChange[], summary: string): void => {
    const withDetails = cs.filter((c) => c.details.length > 0);
    if (withDetails.length === 0) return;
    out.push('', `<details><summary>${summary}</summary>`, '');
    for (const c of withDetails) {
      out.push(`- ${code(c.key)}`);
      for (const d of c.details) out.push(`  - ${mdEscape(d)}`);
    }
    out.push('', '</details>');
  };

  const attention = report.changes.filter((c) => c.kind === 'broadening' || c.kind === 'undetermined');
  if (attention.length > 0) {
    out.push('', `${sub} Needs review`, '', '| kind | area | change | key | acknowledgement |', '|---|---|---|---|---|');
    for (const c of attention) {
      const kind = c.blocking ? `**${c.kind}**` : c.kind;
      out.push(`| ${kind} | ${AREAS[c.section]} | ${mdEscape(c.summary)} | ${code(c.key)} | ${mdEscape(ackText(c)) || '—'} |`);
    }
    detailsBlock(attention, 'What widened or could not be compared');
  }
  const narrowing = report.changes.filter((c) => c.kind === 'narrowing');
  if (narrowing.length > 0) {
    out.push('', `${sub} Narrowing by area`, '');
    for (const section of POSTURE_SECTIONS) {
      const inArea = narrowing.filter((c) => c.section === section);
      if (inArea.length > 0) out.push(`- **${AREAS[section]}**`, ...inArea.map((c) => `  - ${mdEscape(c.summary)}`));
    }
    detailsBlock(narrowing, 'What narrowed');
  }
  const neutral = report.changes.filter((c) => c.kind === 'neutral');
  if (neutral.length > 0) {
    out.push('', `<details><summary>${neutral.length} neutral change${neutral.length === 1 ? '' : 's'}</summary>`, '');
    out.push(...neutral.map((c) => `- ${AREAS[c.section]}: ${mdEscape(c.summary)}`), '', '</details>');
  }
  if (report.warnings.length > 0) out.push('', `${sub} Acknowledgements`, '', ...report.warnings.map((w) => `- ${mdEscape(w)}`));
  return `${out.join('\n')}\n`;
}
