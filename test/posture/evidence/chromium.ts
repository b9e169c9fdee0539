import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { evidenceReport, renderEvidenceHtml } from '../../../lib/posture/evidence';
import type { Posture } from '../../../lib/posture/types';

/** Chromium binary the render tests drive (Debian's package). */
export const CHROMIUM = process.env.PAB_CHROMIUM ?? '/usr/bin/chromium';

/** Whether a missing Chromium fails the suite: in CI (.ci/run sets PAB_REQUIRE_CHROMIUM=1) or any `CI` environment. */
export const CHROMIUM_REQUIRED = process.env.PAB_REQUIRE_CHROMIUM === '1' || ((process.env.CI ?? '') !== '' && process.env.CI !== 'false');

/** What to do about a missing Chromium. */
export const CHROMIUM_MISSING = `headless Chromium not found at ${CHROMIUM}: the evidence HTML render test needs it — install it with \`apt-get install -y chromium\` (Debian) or point PAB_CHROMIUM at a Chromium binary`;

/** Whether the Chromium binary exists. */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/**
 * Renders a posture's evidence HTML into `dir`, opens it from file:// with JavaScript off and the network offline, and
 * asserts: six control rows with the expected statuses, the SVG diagram with a cluster naming each boundary
 * namespace, an `internet` node exactly when a rule is public, no request but the file, no console error or warning.
 */
export async function assertRendersOffline(browser: Browser, dir: string, name: string, p: Posture, statuses: readonly string[]): Promise<void> {
  const file = join(dir, `${name}.html`);
  writeFileSync(file, await renderEvidenceHtml(evidenceReport(p)));
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()}`));
  page.on('request', (r) => requests.push(r.url()));
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    expect(response?.ok()).toBe(true);

    expect(await page.locator('#controls tbody tr').count()).toBe(6);
    expect(await page.locator('#controls tbody tr td .status').allTextContents()).toEqual(statuses);

    const svg = page.locator('#network-diagram svg');
    expect(await svg.count()).toBe(1);
    const box = await svg.boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.height).toBeGreaterThan(100);
    const clusterTexts = (await page.locator('#network-diagram svg g.cluster').allTextContents()).join('\n');
    for (const h of p.hardening) expect(clusterTexts).toContain(h.namespace);
    expect(await page.locator('#network-diagram svg g.node').count()).toBeGreaterThan(p.hardening.length);
    const nodeTexts = await page.locator('#network-diagram svg g.node text').allTextContents();
    expect(nodeTexts.filter((t) => t === 'internet')).toHaveLength(p.network.some((r) => r.public) ? 1 : 0);

    expect(requests).toEqual([url]);
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
}
