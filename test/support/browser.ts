/// <reference lib="dom" />
import AxeBuilder from '@axe-core/playwright';
import i18next, { type TFunction } from 'i18next';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type Language, LANGUAGES, RESOURCES } from '../../console/src/i18n/resources';
import { requiredInCi } from './requirement';
import { REPO_ROOT } from './server';

/** Debian's Chromium builds, the headless shell first; SEATLOCK_TEST_CHROMIUM names another binary. */
const CANDIDATES = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];

export const SCREENSHOTS = join(REPO_ROOT, 'test-results/console');

/** `SEATLOCK_UPDATE_SCREENSHOTS=1` also copies a screenshot the README shows into docs/. */
export function keepForReadme(name: string): void {
  if (process.env.SEATLOCK_UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
  copyFileSync(join(SCREENSHOTS, `${name}.png`), join(REPO_ROOT, 'docs', `${name}.png`));
}

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

export { LANGUAGES, type Language };

/** The browser locale that asks for each console language (`navigator.languages`). */
const BROWSER_LOCALE: Record<Language, string> = { en: 'en-US', 'zh-CN': 'zh-CN' };

/** The console's text in a language, from its own catalogs: what a test looks for on the page. */
export function consoleText(language: Language): TFunction {
  const instance = i18next.createInstance();
  void instance.init({ resources: RESOURCES, lng: language, initAsync: false, interpolation: { escapeValue: false } });
  return instance.t;
}

/** A fresh browser profile (its own cookies), as a second person on another machine, whose browser prefers `language`. */
export async function newPerson(browser: Browser, baseURL: string, language: Language = 'en'): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 }, locale: BROWSER_LOCALE[language], timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  // A step that cannot happen fails within seconds, not at the test's timeout.
  context.setDefaultTimeout(30_000);
  return context;
}

/**
 * Saves a full-page screenshot under test-results/console and answers the serious and critical
 * accessibility violations axe finds on the page (WCAG 2 A and AA rules) and, on a page in another
 * language than English, the English left in it (`englishLeftIn`).
 */
export async function screenshotAndAudit(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  // Legacy mode runs axe in the page itself: the default opens a blank page per audit to merge
  // the results of cross-origin frames, which the console has none of, and that page cost about
  // half of each audit's CPU.
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).setLegacyMode(true).analyze();
  const english = (await page.evaluate<string>('document.documentElement.lang')) === 'en' ? [] : await englishLeftIn(page);
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${name}: ${violation.id} (${violation.impact}) ${violation.help}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)
    .concat(english.map((text) => `${name}: English on a page in another language: ${text}`));
}

/**
 * Runs of Latin letters in what a reader sees or hears (visible text, accessible names, placeholders,
 * the title) outside what is data and marked so (`translate="no"`, `<code>`, another `lang`), once
 * the tokens that stay the same in every language are taken out: addresses, e-mails, ids, codes and
 * acronyms in capitals, dotted API names (`order.submitted`), the product's and Webhook's names, and
 * in attributes the data the page shows (a name in "Copy the customer id of Acme Cameras").
 */
export function englishLeftIn(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const pageLanguage = document.documentElement.lang;
    const tokens = [/https?:\/\/\S+/g, /\S+@\S+/g, /\b[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\b/gi, /\b[0-9a-f]{6,}\b/gi, /\b[A-Z][A-Z0-9_]+\b/g, /\b[\w-]+(\.[\w-]+)+\b/g, /\b(Seatlock|Webhook)\b/g];
    const withoutTokens = (text: string) => tokens.reduce((rest, token) => rest.replace(token, ' '), text);
    const english = (text: string) => /[A-Za-z]{2,}/.test(withoutTokens(text));
    const shownData = [...document.querySelectorAll('[translate="no"]')].map((element) => element.textContent?.trim() ?? '').filter((text) => text.length > 0);
    // Tokens first: an id's start shown as a name must not cut the whole id in an attribute apart.
    const withoutData = (text: string) => shownData.reduce((rest, data) => rest.split(data).join(' '), withoutTokens(text));
    const data = (element: Element) => element.closest('[translate="no"], code, script, style') !== null || element.closest('[lang]')?.getAttribute('lang') !== pageLanguage;
    const shown = (element: Element) => element.checkVisibility({ visibilityProperty: true });
    const found: string[] = [];
    if (english(document.title)) found.push(`title "${document.title}"`);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim() ?? '';
      if (parent && text && !data(parent) && shown(parent) && english(text)) found.push(`"${text}"`);
    }
    for (const element of document.body.querySelectorAll('[aria-label], [title], [placeholder], [alt]')) {
      if (data(element) || !shown(element)) continue;
      for (const attribute of ['aria-label', 'title', 'placeholder', 'alt']) {
        const value = element.getAttribute(attribute);
        if (value && english(withoutData(value))) found.push(`${attribute} "${value}"`);
      }
    }
    return [...new Set(found)];
  });
}
