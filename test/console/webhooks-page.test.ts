import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookReceiver } from '../../server/src/spec-support/webhook-receiver';
import { createUser, TEST_PASSWORD } from '../support/accounts';
import { consoleText, findChromium, LANGUAGES, launchChromium, newPerson, screenshotAndAudit } from '../support/browser';
import { client } from '../support/http';
import { type StartedServer, startServer } from '../support/server';

const chromiumPath = findChromium();

describe.skipIf(!chromiumPath).each(LANGUAGES)('the webhooks page in %s', { timeout: 180_000 }, (language) => {
  const t = consoleText(language);
  let server: StartedServer;
  let browser: Browser;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    await receiver.start();
    server = await startServer({ env: { SEATLOCK_WEBHOOK_ALLOW_PRIVATE: '1', SEATLOCK_OUTBOX_POLL_MS: '100' } });
    browser = await launchChromium(chromiumPath as string);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await receiver.stop();
  });

  it('an admin adds an endpoint, copies its secret once, reads its delivery log and sends a delivery again', async () => {
    await createUser(server.url, server.adminToken, { email: 'integrator@vendor.example', role: 'admin' });
    const page = await (await newPerson(browser, server.url, language)).newPage();
    await page.goto('/');
    await page.getByLabel(t('common.email')).fill('integrator@vendor.example');
    await page.getByRole('textbox', { name: t('signIn.password') }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: t('signIn.submit') }).click();
    await page.getByRole('navigation', { name: t('shell.mainNavigation') }).getByRole('link', { name: t('nav.webhooks'), exact: true }).click();
    await page.getByTestId('empty').waitFor();
    await page.getByRole('textbox', { name: t('webhooks.url') }).fill(receiver.url);
    await page.getByRole('combobox', { name: t('webhooks.events') }).click();
    await page.getByRole('option', { name: 'order.submitted', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: t('webhooks.add') }).click();
    const secretLabel = t('common.secret', { label: t('webhooks.signingSecret', { url: receiver.url }) });
    await expect.poll(() => page.getByText(secretLabel).count()).toBe(1);
    await expect.poll(() => page.locator('code').textContent()).toMatch(/^whsec_/);

    const admin = client(server.url, server.adminToken);
    const customer = await admin.post('/v1/customers', { name: 'Webhook page' });
    await admin.post('/v1/orders', { customerId: customer.body.id, product: 'face-detection', quantity: 50 });
    await expect.poll(() => receiver.received.length).toBe(1);
    await page.getByRole('button', { name: t('webhooks.deliveriesTo', { url: receiver.url }) }).click();
    const row = page.getByRole('region', { name: t('webhooks.deliveries') }).getByRole('row', { name: /order\.submitted/ });
    await expect.poll(() => row.textContent()).toContain(t('statuses.delivered'));
    const violations = await screenshotAndAudit(page, language === 'en' ? 'admin-webhooks' : `admin-webhooks-${language}`);
    await row.getByRole('button', { name: new RegExp(t('webhooks.sendAgainOf', { id: '\\d+' })) }).click();
    await expect.poll(() => receiver.received.length).toBe(2);
    expect(receiver.received[1].headers['webhook-id']).toBe(receiver.received[0].headers['webhook-id']);
    await page.getByRole('button', { name: t('webhooks.disableOf', { url: receiver.url }) }).click();
    await expect.poll(() => page.getByRole('row', { name: new RegExp(receiver.url.replace(/[.]/g, '\\.')) }).textContent()).toContain(t('statuses.disabled'));
    expect(violations).toEqual([]);
  });
});
