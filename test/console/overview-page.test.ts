import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Language, RESOURCES } from '../../console/src/i18n/resources';
import { createUser, TEST_PASSWORD } from '../support/accounts';
import { findChromium, keepForReadme, launchChromium, newPerson, screenshotAndAudit } from '../support/browser';
import { client } from '../support/http';
import { activateDevices, issuerToken } from '../support/seatlock';
import { REPO_ROOT, type StartedServer, startServer } from '../support/server';
import { SERVER_START_MS } from '../support/timing';

const chromiumPath = findChromium();
const FAKE_CLOCK = join(REPO_ROOT, 'test/support/fake-clock.cjs');
const DAY = 86_400_000;

describe.skipIf(!chromiumPath)('the overview page', { timeout: 240_000 }, () => {
  let server: StartedServer;
  let browser: Browser;

  beforeAll(async () => {
    // 54 days ago (the server's clock moved back): a 60-day trial approved, so 6 days are left
    // now, with one device; a purchase of 100 seats; an order never decided, overdue now.
    server = await startServer({ env: { NODE_OPTIONS: `--require ${FAKE_CLOCK}`, FAKE_CLOCK_NOW: String(Date.now() - 54 * DAY) } });
    const { dataDir, adminToken } = server;
    const admin = client(server.url, adminToken);
    const issuer = client(server.url, await issuerToken(server.url, adminToken));
    const customerId = (await admin.post('/v1/customers', { name: 'Overview Boards Ltd' })).body.id as string;
    await createUser(server.url, adminToken, { email: 'buyer@overview.example', role: 'customer', customerId });
    await createUser(server.url, adminToken, { email: 'reviewer@overview.example', role: 'admin' });
    const approve = async (kind: 'orders' | 'trials', body: Record<string, unknown>) => {
      const submitted = await issuer.post(`/v1/${kind}`, { customerId, product: 'face-detection', ...body });
      expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
      const approved = await admin.post(`/v1/${kind}/${submitted.body.id}/approve`);
      expect(approved.status, JSON.stringify(approved.body)).toBe(200);
      return approved.body.pool.activationCode as string;
    };
    await activateDevices(server.url, await approve('trials', {}), 1, 'overview-trial');
    const purchase = await approve('orders', { quantity: 100 });
    expect((await issuer.post('/v1/orders', { customerId, product: 'face-detection', quantity: 60 })).status).toBe(201);
    await server.stop();
    // Today, on the real clock: 80 of the purchase's 100 seats taken.
    server = await startServer({ dataDir, adminToken });
    await activateDevices(server.url, purchase, 80, 'overview-purchase');
    browser = await launchChromium(chromiumPath as string);
    // Two starts (the first with its own keys: a moved clock) and as much work again besides.
  }, 4 * SERVER_START_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function openOverview(email: string, width?: number, language: Language = 'en'): Promise<Page> {
    const words = RESOURCES[language].translation;
    const page = await (await newPerson(browser, server.url)).newPage();
    await page.addInitScript((chosen) => localStorage.setItem('seatlock.language', chosen), language);
    if (width) await page.setViewportSize({ width, height: 844 });
    await page.goto('/');
    await page.getByLabel(words.common.email).fill(email);
    await page.getByRole('textbox', { name: words.signIn.password }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: words.signIn.submit, exact: true }).click();
    await page.getByRole('button', { name: words.shell.signOut }).waitFor();
    await page.goto('/overview');
    // The chart has drawn its bars: the library's chunk loaded and rendered the days.
    await page.locator('[data-testid="activations-chart"] .recharts-bar-rectangle path').first().waitFor();
    return page;
  }

  const texts = (page: Page, testId: string) => page.getByTestId(testId).allTextContents();

  it("shows a customer its seats per pool, its trial's days left and its activations per day", async () => {
    const page = await openOverview('buyer@overview.example');
    expect(await texts(page, 'overview-seats')).toEqual(['80 / 100 seats used · 20 left', '1 / 3 seats used · 2 left']);
    expect(await texts(page, 'days-left')).toEqual(['6 days left']);
    expect(await page.getByTestId('activations-total').textContent()).toMatch(/^81 new devices from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(days in UTC\)\.$/);
    expect(await page.getByTestId('activations-chart').getAttribute('aria-label')).toContain(', most on ');
    // Days with a bar drawn: today's 80 and the trial's one device 54 days ago.
    await expect.poll(() => page.locator('[data-testid="activations-chart"] .recharts-bar-rectangle path').count()).toBe(2);
    expect(await screenshotAndAudit(page, 'customer-overview')).toEqual([]);
  });

  it('shows staff the review queue with what is overdue, the pools filling up, the trials ending and activations across customers', async () => {
    const page = await openOverview('reviewer@overview.example');
    expect(await texts(page, 'review-counts')).toEqual(['Purchases waiting: 11 overdue', 'Trials waiting: 0']);
    expect(await texts(page, 'overdue-item')).toEqual([expect.stringMatching(/^Purchase of Face detection · Overview Boards Ltd · due /)]);
    expect(await texts(page, 'overview-seats')).toEqual(['80 / 100 seats used · 20 left']);
    expect(await page.getByRole('region', { name: 'Pools at 80 % of their seats or more' }).getByTestId('name').textContent()).toBe('Overview Boards Ltd');
    expect(await texts(page, 'days-left')).toEqual(['6 days left']);
    expect(await page.getByTestId('activations-total').textContent()).toMatch(/^81 new devices/);
    expect(await screenshotAndAudit(page, 'staff-overview')).toEqual([]);
    keepForReadme('staff-overview');
  });

  it('reads in Chinese, figures and chart alike', async () => {
    for (const [email, name] of [
      ['buyer@overview.example', 'customer-overview-zh-CN'],
      ['reviewer@overview.example', 'staff-overview-zh-CN'],
    ]) {
      const page = await openOverview(email, undefined, 'zh-CN');
      expect(await page.getByRole('heading', { level: 2 }).textContent()).toBe('概览');
      expect(await texts(page, 'days-left')).toEqual(['剩余 6 天']);
      expect(await page.getByTestId('activations-total').textContent()).toMatch(/共激活新设备 81 台（按 UTC 日期统计）。$/);
      expect((await texts(page, 'overview-seats'))[0]).toBe('已用 80 / 100 个席位 · 剩余 20 个');
      expect(await screenshotAndAudit(page, name)).toEqual([]);
      if (name.startsWith('staff')) keepForReadme(name);
    }
  });

  it('fits a 390 px wide phone without sideways scrolling', async () => {
    for (const email of ['buyer@overview.example', 'reviewer@overview.example']) {
      const page = await openOverview(email, 390);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth'), email).toBeLessThanOrEqual(390);
    }
  });
});
