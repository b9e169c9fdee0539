import { plural } from './describe';
import { diagramDot } from './diagram-dot';
import { escapeMarkdown as md, markdownCode as code, markdownFence } from './escape';
import type { ChecklistSection, ControlRow, EvidenceReport, EvidenceTable, RecordedException } from './types';

/** Title of the network diagram (DOT graph label and heading). */
export function diagramTitle(report: EvidenceReport): string {
  return `${report.boundary}: zones and allowed paths (everything else denied)`;
}

/** One-line summary of a row's status reason. */
export function statusReason(row: ControlRow): string {
  if (row.findings.length > 0) return row.findings.join('; ');
  return row.exceptions.length > 0 ? `every rule holds; ${plural(row.exceptions.length, 'recorded exception')}` : 'every rule holds';
}

/**
 * Renders the evidence report as Markdown: header, controls matrix, each control in detail, the recorded exceptions,
 * the review checklist (unticked boxes) and the network diagram as DOT source. Every text from the posture is
 * escaped; the output depends on the report only.
 */
export function renderEvidenceMarkdown(report: EvidenceReport): string {
  const out: string[] = [`# Evidence report: ${md(report.boundary)}`, ''];
  const meta = [report.customer && `Customer: ${md(report.customer)}`, report.owner && `Owner: ${md(report.owner)}`, report.generatedAt && `Generated: ${md(report.generatedAt)}`]
    .filter((x): x is string => !!x);
  if (meta.length > 0) out.push(meta.join(' · '), '');
  out.push('Statuses are computed from the posture read back from the synthesized artifacts; the rules are in docs/EVIDENCE.md.', '');

  out.push('## Controls', '');
  out.push(...tableLines(['Control', 'Status', 'Why', 'Evidence'], report.controls.map((c) => [md(c.title), `**${c.status}**`, md(statusReason(c)), plural(c.evidence.length, 'ref')])), '');
  for (const c of report.controls) out.push(...controlSection(c));

  out.push('## Recorded exceptions', '');
  if (report.exceptions.length === 0) out.push('None: no weaker-than-baseline choice is recorded.', '');
  else out.push(...tableLines(['Control', 'What', 'Reason', 'Entry'], report.exceptions.map(exceptionCells)), '');

  out.push('## Review checklist', '');
  report.checklist.forEach((s, i) => out.push(...checklistSection(s, i + 1)));

  out.push('## Network diagram', '', 'Graphviz DOT source; the HTML report embeds it rendered as SVG.', '');
  out.push(markdownFence(diagramDot(report.diagram, diagramTitle(report)), 'dot'), '');
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function controlSection(c: ControlRow): string[] {
  const out = [`### ${md(c.title)}: ${c.status}`, '', `Rule: ${md(c.rule)}`, ''];
  const list = (label: string, items: readonly string[]) => {
    if (items.length === 0) return;
    out.push(`**${label}**`, '', ...items.map((x) => `- ${md(x)}`), '');
  };
  list(c.status === 'not met' ? 'Findings' : 'Why customer-owned', c.findings);
  list('The boundary provides', c.provides);
  list('The customer owns', c.customerOwns);
  if (c.exceptions.length > 0) {
    out.push('**Recorded exceptions**', '', ...c.exceptions.map((e) => `- ${md(e.what)}: ${e.reason ? `reason: ${md(e.reason)}` : 'no reason recorded'} (${code(e.key)})`), '');
  }
  out.push(`<details><summary>Evidence (${c.evidence.length})</summary>`, '', ...c.evidence.map((e) => `- ${e.source}: ${code(e.ref)}`), '', '</details>', '');
  return out;
}

function exceptionCells(e: RecordedException): string[] {
  return [md(e.control), md(e.what), e.reason ? md(e.reason) : '**no reason recorded**', code(e.key)];
}

function checklistSection(s: ChecklistSection, n: number): string[] {
  const out = [`### ${n}. ${md(s.title)}`, ''];
  if (s.facts.length > 0) out.push(...s.facts.map((f) => `- ${md(f)}`), '');
  if (s.confirm.length > 0) out.push(...s.confirm.map((c) => `- [ ] ${md(c)}`), '');
  for (const t of s.tables) out.push(`**${md(t.caption)}**`, '', ...renderTable(t.table), '');
  if (s.preformatted) out.push(`**${md(s.preformatted.caption)}**`, '', markdownFence(s.preformatted.text), '');
  return out;
}

function renderTable(t: EvidenceTable): string[] {
  if (t.rows.length === 0) return [md(t.empty)];
  return tableLines(t.columns.map(md), t.rows.map((r) => r.map((cell) => md(cell))));
}

function tableLines(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}
