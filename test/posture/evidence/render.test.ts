import { DIFF_PLACEHOLDER, evidenceReport, renderEvidenceHtml, renderEvidenceMarkdown } from '../../../lib/posture/evidence';
import type { Posture } from '../../../lib/posture/types';
import { GLOBEX_REASON, SHA, acmeProd, globexStaging, initechOnprem } from './fixtures';
import { addRule, edit, INTERNET, pods, tcp } from './posture-builder';

/** A posture whose free text tries to inject markup in every renderer. */
function hostile(): Posture {
  return edit(acmeProd(), (p) => {
    addRule(p, 'acme-prod-gateway', 'allow-public', 'ingress', pods('acme-prod-gateway', 'gateway'), [INTERNET], [tcp(443)],
      '<script>alert(1)</script> | `x` **bold** [link](https://evil.example) <img src=x onerror=alert(2)>');
    p.owners.owner = '"><style>body{display:none}</style>';
  });
}

describe('evidenceReport', () => {
  test('controls, exceptions in control order, nine checklist items', () => {
    const r = evidenceReport(globexStaging());
    expect(r.controls).toHaveLength(6);
    expect(r.exceptions.map((e) => e.control)).toEqual(['retention', 'retention', 'retention', 'retention', 'retention', 'redaction']);
    expect(r.checklist.map((s) => s.title)).toEqual([
      'Environment boundary and network path', 'Identity and role mapping', 'Approved model access', 'Audit log ownership and retention',
      'Secrets storage and rotation', 'Redaction requirements', 'Monitoring signals', 'Change history', 'Incident hand-off',
    ]);
  });

  test('no date unless passed; the diff goes into the change history, else a placeholder', () => {
    expect(evidenceReport(acmeProd()).generatedAt).toBeUndefined();
    expect(evidenceReport(acmeProd()).checklist.find((s) => s.id === 'change-history')?.preformatted?.text).toBe(DIFF_PLACEHOLDER);
    const r = evidenceReport(acmeProd(), { generatedAt: '2026-11-22T10:00:00Z', diff: 'broadening  network/…\n' });
    expect(r.generatedAt).toBe('2026-11-22T10:00:00Z');
    expect(r.checklist.find((s) => s.id === 'change-history')?.preformatted?.text).toBe('broadening  network/…');
  });

  test('the checklist tables come from the posture: model access, sources with sha256, monitoring signals, hand-off', () => {
    const r = evidenceReport(acmeProd());
    const t = (id: string, caption: string) => r.checklist.find((s) => s.id === id)!.tables.find((x) => x.caption === caption)!.table;
    expect(t('model-access', 'Team × model').rows).toEqual([['research', 'llama-3-1-8b', 'acme-research', '120 requests/min, 200000 tokens/min']]);
    expect(t('change-history', 'Sources').rows).toEqual([
      ['cloudformation', 'cloudformation/acme-prod-boundary.template.json', SHA.cfn], ['kubernetes', 'kubernetes/manifests.yaml', SHA.k8s],
    ]);
    expect(t('monitoring', 'Signals').rows.map((x) => x[0])).toEqual([
      'CloudTrail (CloudWatch Logs copy)', 'EKS control plane', 'Database (RDS)', 'VPC flow logs', 'CloudTrail (API activity)',
    ]);
    expect(t('hand-off', 'Who to call').rows).toEqual(expect.arrayContaining([['boundary owner', 'secops@acme.example'], ['break-glass (kubernetes)', 'pab:break-glass, MFA required']]));
  });
});

describe('renderEvidenceMarkdown', () => {
  test('matrix with six rows, each control in detail, exceptions with their reason', () => {
    const md = renderEvidenceMarkdown(evidenceReport(globexStaging()));
    const matrix = md.split('## Controls\n\n')[1].split('\n\n')[0].split('\n');
    expect(matrix).toHaveLength(2 + 6);
    expect(matrix[2]).toBe('| Identity & SSO/RBAC | **met** | every rule holds | 2 refs |');
    expect(md).toContain(`| retention | audit records kept 90 days, below the 365-day baseline | ${GLOBEX_REASON} |`);
    expect(md).toContain('- [ ] Every allowed path has a purpose you accept.');
    expect(md).toContain('```dot\ndigraph boundary {');
  });

  test('customer-owned rows say why', () => {
    const md = renderEvidenceMarkdown(evidenceReport(initechOnprem()));
    expect(md).toContain('### Secrets handling: customer-owned\n');
    expect(md).toContain('**Why customer-owned**');
  });

  test('text from the posture cannot inject markup or break a table', () => {
    const md = renderEvidenceMarkdown(evidenceReport(hostile()));
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    expect(md).not.toContain('<style>');
    expect(md).toContain('&lt;script>alert(1)&lt;/script> \\| \\`x\\` \\*\\*bold\\*\\* \\[link\\](https://evil.example) &lt;img src=x onerror=alert(2)>');
    for (const line of md.split('\n').filter((l) => l.startsWith('| network |'))) expect(line.split(/(?<!\\)\|/).length).toBe(6);
  });

  test('deterministic', () => {
    expect(renderEvidenceMarkdown(evidenceReport(acmeProd()))).toBe(renderEvidenceMarkdown(evidenceReport(acmeProd())));
  });
});

describe('renderEvidenceHtml (static checks; test/posture/evidence/render-html.chromium.test.ts renders it)', () => {
  test('one self-contained document: inline CSS and SVG, no script, no external URL, a CSP that forbids fetching', async () => {
    const html = await renderEvidenceHtml(evidenceReport(acmeProd()));
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;');
    expect(html).toMatch(/<style>[^<]+<\/style>/);
    expect(html).toMatch(/<figure id="network-diagram"[^>]*><svg /);
    expect(html).not.toMatch(/<script|<link|<iframe|<object|<embed|@import|url\(|\ssrc=|https?:\/\//i);
    expect([...html.matchAll(/href="([^"]*)"/g)].every((m) => m[1].startsWith('#'))).toBe(true);
    expect(html.match(/<tr data-control=/g)).toHaveLength(6);
  });

  test('same report, same bytes; a date only when passed', async () => {
    const a = await renderEvidenceHtml(evidenceReport(globexStaging()));
    expect(await renderEvidenceHtml(evidenceReport(globexStaging()))).toBe(a);
    expect(a).not.toMatch(/Generated:/);
    expect(await renderEvidenceHtml(evidenceReport(globexStaging(), { generatedAt: '2026-11-22' }))).toContain('Generated: 2026-11-22');
  });

  test('the reason of every recorded exception is shown', async () => {
    const html = await renderEvidenceHtml(evidenceReport(globexStaging()));
    expect(html).toContain(`reason: ${GLOBEX_REASON}`);
    expect(html).toContain('PERSON passes to the models unredacted');
  });

  test('text from the posture is escaped', async () => {
    const html = await renderEvidenceHtml(evidenceReport(hostile()));
    expect(html).not.toMatch(/<script|<img|<style>body/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;style&gt;');
  });
});
