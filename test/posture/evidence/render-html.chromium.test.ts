import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { evidenceReport, renderEvidenceHtml } from '../../../lib/posture/evidence';
import type { Posture } from '../../../lib/posture/types';
import { acmeProd, globexStaging, initechOnprem } from './fixtures';
import { addRule, edit, INTERNET, pods, tcp } from './posture-builder';

/**
 * Opens the evidence HTML in headless Chromium (Debian's `chromium` package, driven by playwright-core): the page
 * loads from file:// with JavaScript off, makes no request but the file itself, logs no error, shows the controls
 * table and the SVG diagram with a cluster per zone. CI (.ci/run) installs Chromium and sets PAB_REQUIRE_CHROMIUM,
 * so a missing browser fails there; locally the suite says how to install it.
 */
const CHROMIUM = process.env.PAB_CHROMIUM ?? '/usr/bin/chromium';
const REQUIRED = process.env.PAB_REQUIRE_CHROMIUM === '1' || (process.env.CI ?? '') !== '' && process.env.CI !== 'false';
const MISSING = `headless Chromium not found at ${CHROMIUM}: the evidence HTML render test needs it — install it with \`apt-get install -y chromium\` (Debian) or point PAB_CHROMIUM at a Chromium binary`;

const publicIngress = (): Posture => edit(acmeProd(), (p) => {
  addRule(p, 'acme-prod-gateway', 'allow-public-ingress-to-gateway-ingress', 'ingress', pods('acme-prod-gateway', 'gateway'), [INTERNET], [tcp(4000)],
    'internet-facing ALB (WAF, TLS) forwards to the gateway');
});

const CASES: readonly { name: string; posture: () => Posture; statuses: string[] }[] = [
  { name: 'acme-prod', posture: acmeProd, statuses: ['met', 'met', 'met', 'met', 'met', 'met'] },
  { name: 'globex-staging', posture: globexStaging, statuses: ['met', 'met', 'met', 'met', 'met', 'met'] },
  { name: 'initech-onprem', posture: initechOnprem, statuses: ['customer-owned', 'met', 'customer-owned', 'customer-owned', 'met', 'met'] },
  { name: 'acme-prod-public', posture: publicIngress, statuses: ['met', 'met', 'met', 'met', 'met', 'met'] },
];

if (!existsSync(CHROMIUM)) {
  test('headless Chromium is installed (required in CI)', () => {
    if (REQUIRED) throw new Error(MISSING);
    console.warn(`${MISSING}. Skipping the browser render test locally; CI fails here.`);
    expect(REQUIRED).toBe(false);
  });
} else {
  describe('evidence HTML in headless Chromium', () => {
    let browser: Browser;
    let dir: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'pab-evidence-'));
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    });
    afterAll(async () => {
      await browser?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test.each(CASES)('$name renders offline: controls table, zones diagram, no request, no error', async ({ name, posture, statuses }) => {
      const p = posture();
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
    });
  });
}
