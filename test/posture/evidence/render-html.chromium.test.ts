import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { Posture } from '../../../lib/posture/types';
import { CHROMIUM, CHROMIUM_MISSING, CHROMIUM_REQUIRED, assertRendersOffline, chromiumAvailable } from './chromium';
import { acmeProd, globexStaging, initechOnprem } from './fixtures';
import { addRule, edit, INTERNET, pods, tcp } from './posture-builder';

/**
 * Opens evidence HTML in headless Chromium (Debian's `chromium`, driven by playwright-core). CI (.ci/run) installs
 * Chromium and sets PAB_REQUIRE_CHROMIUM, so a missing browser fails there; locally the suite says how to install it.
 * The example specs are rendered in Chromium by examples.test.ts (their postures are computed there once).
 */
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

if (!chromiumAvailable()) {
  test('headless Chromium is installed (required in CI)', () => {
    if (CHROMIUM_REQUIRED) throw new Error(CHROMIUM_MISSING);
    console.warn(`${CHROMIUM_MISSING}. Skipping the browser render tests locally; CI fails here.`);
    expect(CHROMIUM_REQUIRED).toBe(false);
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
      await assertRendersOffline(browser, dir, name, posture(), statuses);
    });
  });
}
