import { diagramDot } from './diagram-dot';
import { renderDiagramSvg } from './diagram-svg';
import { escapeHtml as h } from './escape';
import { diagramTitle, statusReason } from './render-markdown';
import type { ChecklistSection, ControlRow, ControlStatus, EvidenceReport, EvidenceTable } from './types';

/**
 * Content Security Policy of the report: nothing may be fetched or run — only the inline style and the inline SVG.
 * A browser that opens the file therefore makes no request, whatever text the posture carried.
 */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const CSS = `
:root{--fg:#101828;--muted:#475467;--line:#d0d5dd;--bg:#fff;--met:#067647;--met-bg:#ecfdf3;--not:#b42318;--not-bg:#fef3f2;--cust:#175cd3;--cust-bg:#eff8ff}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1200px;padding:24px;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:16px;margin:20px 0 6px}
.meta{color:var(--muted);margin:0 0 12px}
table{border-collapse:collapse;width:100%;margin:8px 0 16px}th,td{border:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f9fafb;font-weight:600}td ul{margin:0;padding-left:18px}
.status{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;white-space:nowrap}
.status-met{color:var(--met);background:var(--met-bg)}.status-not-met{color:var(--not);background:var(--not-bg)}.status-customer-owned{color:var(--cust);background:var(--cust-bg)}
.reason{color:var(--muted)}.none{color:var(--not);font-weight:600}
code,pre{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}pre{background:#f9fafb;border:1px solid var(--line);padding:8px;overflow:auto;white-space:pre-wrap}
details{margin:4px 0 12px}summary{cursor:pointer;color:var(--muted)}
figure{margin:8px 0 16px;overflow:auto;border:1px solid var(--line);padding:8px}figure svg{max-width:100%;height:auto}figcaption{color:var(--muted);margin-top:6px}
ul.confirm{list-style:none;padding-left:0}ul.confirm li{margin:2px 0}
@media print{details{display:block}summary{display:none}body{max-width:none}}
`.trim();

const STATUS_CLASS: Readonly<Record<ControlStatus, string>> = { 'met': 'status-met', 'not met': 'status-not-met', 'customer-owned': 'status-customer-owned' };

/**
 * Renders the evidence report as ONE self-contained HTML file: inline CSS, the network diagram rendered to SVG
 * offline (Graphviz as WebAssembly) and inlined, no script, no external URL, a CSP that forbids any fetch. Every text
 * from the posture is escaped. Deterministic: the same report yields the same bytes.
 */
export async function renderEvidenceHtml(report: EvidenceReport): Promise<string> {
  const dot = diagramDot(report.diagram, diagramTitle(report));
  const svg = await renderDiagramSvg(dot);
  const title = `Evidence report: ${report.boundary}`;
  const meta = [report.customer && `Customer: ${report.customer}`, report.owner && `Owner: ${report.owner}`, report.generatedAt && `Generated: ${report.generatedAt}`]
    .filter((x): x is string => !!x).map(h).join(' · ');
  const parts: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${h(CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${h(title)}</h1>${meta ? `<p class="meta">${meta}</p>` : ''}`,
    '<p class="meta">Statuses are computed from the posture read back from the synthesized artifacts; the rules are in docs/EVIDENCE.md.</p></header>',
    '<main>',
    controlsMatrix(report.controls),
    ...report.controls.map(controlDetail),
    exceptionsSection(report),
    '<section id="diagram"><h2>Zones and allowed paths</h2>',
    `<figure id="network-diagram" role="img" aria-label="${h(diagramTitle(report))}">${svg}`,
    '<figcaption>Clusters are namespaces (boundary namespaces marked with their default-deny) and AWS layers; edges are allowed paths labelled with their ports; red = from or to the internet.</figcaption></figure>',
    `<details><summary>DOT source</summary><pre>${h(dot)}</pre></details></section>`,
    '<section id="checklist"><h2>Review checklist</h2>',
    ...report.checklist.map((s, i) => checklistSection(s, i + 1)),
    '</section>',
    '</main>',
    '</body>',
    '</html>',
  ];
  return `${parts.join('\n')}\n`;
}

function statusBadge(status: ControlStatus): string {
  return `<span class="status ${STATUS_CLASS[status]}">${h(status)}</span>`;
}

function list(items: readonly string[]): string {
  return items.length === 0 ? '' : `<ul>${items.map((x) => `<li>${h(x)}</li>`).join('')}</ul>`;
}

function controlsMatrix(controls: readonly ControlRow[]): string {
  const rows = controls.map((c) => `<tr data-control="${h(c.id)}" data-status="${h(c.status)}"><th scope="row"><a href="#control-${h(c.id)}">${h(c.title)}</a></th>`
    + `<td>${statusBadge(c.status)}</td><td>${list(c.provides) || '<span class="none">nothing recorded</span>'}</td><td>${list(c.customerOwns)}</td>`
    + `<td>${h(statusReason(c))}</td><td>${c.evidence.length}</td></tr>`);
  return ['<section id="controls-matrix"><h2>Controls</h2>',
    '<table id="controls"><thead><tr><th>Control</th><th>Status</th><th>The boundary provides</th><th>The customer owns</th><th>Why</th><th>Evidence</th></tr></thead>',
    `<tbody>\n${rows.join('\n')}\n</tbody></table></section>`].join('\n');
}

function controlDetail(c: ControlRow): string {
  const out = [`<section id="control-${h(c.id)}" class="control"><h3>${h(c.title)} ${statusBadge(c.status)}</h3>`, `<p><strong>Rule:</strong> ${h(c.rule)}</p>`];
  if (c.findings.length > 0) out.push(`<p><strong>${c.status === 'not met' ? 'Findings' : 'Why customer-owned'}</strong></p>${list(c.findings)}`);
  if (c.exceptions.length > 0) {
    out.push(`<p><strong>Recorded exceptions</strong></p><ul>${c.exceptions.map((e) => `<li>${h(e.what)}: ${e.reason ? `<span class="reason">reason: ${h(e.reason)}</span>` : '<span class="none">no reason recorded</span>'} <code>${h(e.key)}</code></li>`).join('')}</ul>`);
  }
  out.push(`<details><summary>Evidence (${c.evidence.length})</summary><ul>${c.evidence.map((e) => `<li>${h(e.source)}: <code>${h(e.ref)}</code></li>`).join('')}</ul></details></section>`);
  return out.join('\n');
}

function exceptionsSection(report: EvidenceReport): string {
  const body = report.exceptions.length === 0
    ? '<p>None: no weaker-than-baseline choice is recorded.</p>'
    : table({ columns: ['control', 'what', 'reason', 'entry'], empty: '', rows: report.exceptions.map((e) => [e.control, e.what, e.reason ?? 'no reason recorded', e.key]) }, 'exceptions');
  return `<section id="exceptions-section"><h2>Recorded exceptions</h2>\n${body}</section>`;
}

function table(t: EvidenceTable, id?: string): string {
  if (t.rows.length === 0) return `<p>${h(t.empty)}</p>`;
  const head = `<thead><tr>${t.columns.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead>`;
  const rows = t.rows.map((r) => `<tr>${r.map((cell) => `<td>${h(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table${id ? ` id="${h(id)}"` : ''}>${head}<tbody>\n${rows}\n</tbody></table>`;
}

function checklistSection(s: ChecklistSection, n: number): string {
  const out = [`<section id="checklist-${h(s.id)}"><h3>${n}. ${h(s.title)}</h3>`, list(s.facts)];
  if (s.confirm.length > 0) {
    out.push(`<ul class="confirm">${s.confirm.map((c, i) => `<li><label><input type="checkbox" name="${h(`${s.id}-${i}`)}"> ${h(c)}</label></li>`).join('')}</ul>`);
  }
  for (const t of s.tables) out.push(`<h4>${h(t.caption)}</h4>`, table(t.table));
  if (s.preformatted) out.push(`<h4>${h(s.preformatted.caption)}</h4><pre>${h(s.preformatted.text)}</pre>`);
  out.push('</section>');
  return out.filter((x) => x !== '').join('\n');
}
