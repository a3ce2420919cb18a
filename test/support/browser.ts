import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { requiredInCi } from './requirement';
import { REPO_ROOT } from './server';

/** Debian's Chromium builds, the headless shell first; SEATLOCK_TEST_CHROMIUM names another binary. */
const CANDIDATES = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];

export const SCREENSHOTS = join(REPO_ROOT, 'test-results/console');

/** Chromium's path, or undefined (a printed notice; a failure in CI) when none is installed. */
export function findChromium(): string | undefined {
  const given = process.env.SEATLOCK_TEST_CHROMIUM;
  const found = (given ? [given] : CANDIDATES).find((path) => existsSync(path));
  return requiredInCi(found, 'Chromium for the console tests', 'install it with `apt-get install -y chromium-headless-shell` (Debian), or set SEATLOCK_TEST_CHROMIUM to a Chromium binary');
}

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A fresh browser profile (its own cookies), as a second person on another machine. */
export async function newPerson(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  // A step that cannot happen fails within seconds, not at the test's timeout.
  context.setDefaultTimeout(30_000);
  return context;
}

/**
 * Saves a full-page screenshot under test-results/console and answers the serious and critical
 * accessibility violations axe finds on the page (WCAG 2 A and AA rules).
 */
export async function screenshotAndAudit(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${name}: ${violation.id} (${violation.impact}) ${violation.help}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}
