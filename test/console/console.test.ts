import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, TEST_PASSWORD } from '../support/accounts';
import { newDevice, runAgent } from '../support/agent';
import { findChromium, launchChromium, newPerson, SCREENSHOTS, screenshotAndAudit } from '../support/browser';
import { rawQuery } from '../support/database';
import { client } from '../support/http';
import { approvedPool } from '../support/seatlock';
import { REPO_ROOT, type StartedServer, startServer } from '../support/server';

const chromiumPath = findChromium();

/** `SEATLOCK_UPDATE_SCREENSHOTS=1` also copies the README's two screenshots into docs/. */
function keepForReadme(name: string): void {
  if (process.env.SEATLOCK_UPDATE_SCREENSHOTS !== '1') return;
  mkdirSync(join(REPO_ROOT, 'docs'), { recursive: true });
  copyFileSync(join(SCREENSHOTS, `${name}.png`), join(REPO_ROOT, 'docs', `${name}.png`));
}

describe.skipIf(!chromiumPath)('the web console in Chromium', { timeout: 180_000 }, () => {
  let server: StartedServer;
  let browser: Browser;
  let customer: BrowserContext;
  let staff: BrowserContext;
  let customerPage: Page;
  let staffPage: Page;
  let rootPath: string;
  let deviceId: string;
  let activationCode: string;
  const violations: string[] = [];
  const customerEmail = 'buyer@acme.example';
  const staffEmail = 'reviewer@vendor.example';

  async function signInAs(page: Page, email: string) {
    await page.goto('/');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('textbox', { name: 'Password' }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  /** Follows a link of the navigation menu. */
  async function openFromMenu(page: Page, title: string) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: title, exact: true }).click();
  }

  async function check(page: Page, name: string) {
    violations.push(...(await screenshotAndAudit(page, name)));
  }

  beforeAll(async () => {
    server = await startServer();
    const admin = client(server.url, server.adminToken);
    const customerId = (await admin.post('/v1/customers', { name: 'Acme Cameras' })).body.id as string;
    await createUser(server.url, server.adminToken, { email: customerEmail, role: 'customer', customerId });
    await createUser(server.url, server.adminToken, { email: staffEmail, role: 'issuer' });
    rootPath = join(mkdtempSync(join(tmpdir(), 'seatlock-console-')), 'root.pem');
    writeFileSync(rootPath, (await client(server.url).get('/v1/trust')).body.root);
    browser = await launchChromium(chromiumPath as string);
    customer = await newPerson(browser, server.url);
    staff = await newPerson(browser, server.url);
    await customer.grantPermissions(['clipboard-read', 'clipboard-write']);
    customerPage = await customer.newPage();
    staffPage = await staff.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('serves the console at / with a strict Content-Security-Policy, hashed assets immutable and index.html revalidated', async () => {
    const index = await fetch(`${server.url}/pools/anything`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await index.text())?.[1] as string;
    const asset = await fetch(`${server.url}${script}`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${server.url}/v1/no-such-route`)).status).toBe(404);
    expect((await fetch(`${server.url}/docs-json`)).status).toBe(200);
  });

  it('a customer applies for a trial, staff approve it, the customer reveals the code, a device activates, the seat count rises and the license downloads', async () => {
    await signInAs(customerPage, customerEmail);
    await check(customerPage, 'customer-pools-empty');
    await openFromMenu(customerPage, 'Catalog');
    await customerPage.getByRole('heading', { name: 'Apply for a trial' }).waitFor();
    await check(customerPage, 'customer-catalog');
    await customerPage.getByRole('button', { name: 'Apply for trial' }).click();
    await customerPage.getByText('Trial application sent').waitFor();
    await openFromMenu(customerPage, 'Applications');
    await customerPage.getByText('submitted').first().waitFor();
    await check(customerPage, 'customer-applications');

    await signInAs(staffPage, staffEmail);
    const application = staffPage.getByTestId('application');
    await expect.poll(() => application.count()).toBe(1);
    expect(await application.getByTestId('submitted-by').textContent()).toBe(customerEmail);
    expect(await application.textContent()).toContain('Customer Acme Cameras');
    await expect.poll(() => application.textContent()).toContain('May approve: an admin or issuer other than the submitter');
    await check(staffPage, 'console-staff-review');
    keepForReadme('console-staff-review');
    await application.getByRole('button', { name: /^Approve/ }).click();
    await expect.poll(() => staffPage.getByTestId('decision-outcome').textContent()).toContain('Approved the face-detection trial of Acme Cameras: a pool of 3 seats was created.');
    await expect.poll(() => application.count()).toBe(0);
    await staffPage.getByText('Nothing waiting for review').first().waitFor();

    await openFromMenu(customerPage, 'Pools');
    await customerPage.getByRole('link', { name: 'face-detection' }).click();
    const [empty] = await Promise.all([customerPage.waitForEvent('download', { timeout: 2_000 }).catch(() => null), customerPage.getByRole('button', { name: 'Download all licenses of this pool' }).click()]);
    expect(empty).toBeNull();
    await customerPage.getByText('No device of this pool has a license yet').waitFor();
    await customerPage.getByRole('button', { name: 'Show a new activation code' }).click();
    const replace = customerPage.getByRole('dialog', { name: 'Replace the activation code?' });
    await replace.getByRole('button', { name: 'Cancel' }).click();
    await replace.waitFor({ state: 'hidden' });
    expect(await customerPage.getByTestId('activation-code').count()).toBe(0);
    await customerPage.getByRole('button', { name: 'Show a new activation code' }).click();
    await check(customerPage, 'customer-pool-code-confirm');
    await replace.getByRole('button', { name: 'Replace the code' }).click();
    await replace.waitFor({ state: 'hidden' });
    activationCode = (await customerPage.getByTestId('activation-code').textContent()) as string;
    expect(activationCode).toMatch(/^slac_/);
    await customerPage.getByRole('button', { name: 'Copy' }).click();
    await customerPage.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await customerPage.evaluate<string>('navigator.clipboard.readText()')).toBe(activationCode);
    await check(customerPage, 'customer-pool-code');

    const activated = await runAgent(newDevice('android-rk3568'), ['activate', '--server', server.url, '--code', activationCode], { trustRoot: rootPath });
    expect(activated).toMatchObject({ code: 0, stdout: expect.stringMatching(/^activated: device /) });
    deviceId = /^activated: device ([0-9a-f-]+)/.exec(activated.stdout)?.[1] as string;

    // No reload: the pool page asks again every few seconds while it is shown.
    await expect.poll(() => customerPage.getByTestId('seats').textContent(), { timeout: 25_000 }).toContain('1 / 3 seats used');
    const deviceRow = customerPage.getByTestId('devices').locator(`[data-device="${deviceId}"]`);
    await deviceRow.getByText(/^emmc\.cid [\w-]{8}$/).waitFor();
    expect(await deviceRow.textContent()).toContain(deviceId.slice(0, 8));
    const [download] = await Promise.all([customerPage.waitForEvent('download'), customerPage.getByRole('button', { name: `Download license of ${deviceId}` }).click()]);
    const license = readFileSync(await download.path(), 'utf8');
    expect(license).toContain('-----BEGIN SEATLOCK LICENSE-----');
    expect(license).toBe((await client(server.url, server.adminToken).get(`/v1/devices/${deviceId}/license`)).body);
    await check(customerPage, 'customer-pool-devices');
    const [csv] = await Promise.all([customerPage.waitForEvent('download'), customerPage.getByRole('link', { name: 'Export these devices (CSV)' }).click()]);
    expect(csv.suggestedFilename()).toBe('devices.csv');
    expect(readFileSync(await csv.path(), 'utf8').split('\r\n')[1]).toMatch(new RegExp(`^${deviceId},emmc\\.cid `));

    await openFromMenu(customerPage, 'Pools');
    await expect.poll(() => customerPage.getByTestId('seats').textContent()).toContain('1 / 3 seats used');
    await check(customerPage, 'console-customer-pools');
    keepForReadme('console-customer-pools');
  });

  it('quotes a purchase of 1,000 recognition devices at 118,000 CNY as the quantity changes, and submits it', async () => {
    await openFromMenu(customerPage, 'Catalog');
    const purchase = customerPage.getByRole('region', { name: 'Apply for a purchase' });
    await purchase.getByLabel('Product').click();
    await customerPage.getByRole('option', { name: 'Face recognition' }).click();
    const submit = purchase.getByRole('button', { name: 'Apply for purchase' });
    expect(await submit.isDisabled(), 'the modality is required and not chosen').toBe(true);
    await purchase.getByRole('combobox', { name: 'Modality' }).click();
    await customerPage.getByRole('option', { name: 'ir', exact: true }).click();
    const devices = purchase.getByLabel('Devices');
    await devices.fill('49');
    await expect.poll(() => submit.isDisabled(), { message: 'below the minimum of 50' }).toBe(true);
    await devices.fill('20000');
    await expect.poll(() => purchase.getByTestId('quote').textContent()).toContain('negotiated');
    await devices.fill('1000');
    await expect.poll(() => purchase.getByTestId('quote').textContent()).toContain('118,000');
    await check(customerPage, 'customer-quote');
    await purchase.getByRole('button', { name: 'Apply for purchase' }).click();
    await purchase.getByText('Purchase application sent').waitFor();
    const orders = (await client(server.url, server.adminToken).get('/v1/orders')).body.items;
    expect(orders).toMatchObject([{ product: 'face-recognition', modality: 'ir', quantity: 1000, total: 118_000, totalFen: 11_800_000, status: 'submitted' }]);
  });

  it('staff reject an application only with a reason, after confirming; the customer reads the reason', async () => {
    const buyer = await signIn(server.url, customerEmail);
    const trial = await buyer.post('/v1/trials', { product: 'face-liveness', modality: 'ir' });
    await staffPage.reload();
    const card = staffPage.getByTestId('application').filter({ hasText: 'face-liveness' });
    await card.getByRole('button', { name: /^Reject/ }).click();
    const dialog = staffPage.getByRole('dialog', { name: 'Reject this trial?' });
    const confirm = dialog.getByRole('button', { name: 'Reject application' });
    expect(await confirm.isDisabled(), 'no reason yet').toBe(true);
    await dialog.getByLabel('Reason (the customer sees it)').fill('   ');
    expect(await confirm.isDisabled(), 'a blank reason').toBe(true);
    await dialog.getByLabel('Reason (the customer sees it)').fill('The IR modality is not offered on this board yet.');
    await check(staffPage, 'staff-reject-confirm');
    await confirm.click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => staffPage.getByTestId('decision-outcome').textContent()).toContain('Rejected the face-liveness trial of Acme Cameras; the customer sees your reason.');
    await expect.poll(() => card.count()).toBe(0);
    expect((await buyer.get(`/v1/trials/${trial.body.id}`)).body).toMatchObject({ status: 'rejected', decisionReason: 'The IR modality is not offered on this board yet.' });
    await openFromMenu(customerPage, 'Applications');
    await customerPage.getByRole('region', { name: 'Trials' }).getByTestId('decision-reason').filter({ hasText: 'The IR modality is not offered on this board yet.' }).waitFor();
    await check(customerPage, 'customer-applications-reason');
  });

  it('staff revoke a device with a reason after confirming', async () => {
    await openFromMenu(staffPage, 'Devices');
    await staffPage.getByLabel('Device id', { exact: true }).fill(deviceId.slice(0, 3));
    expect(await staffPage.getByRole('button', { name: 'Search' }).isDisabled(), 'three characters are too few').toBe(true);
    await staffPage.getByLabel('Device id', { exact: true }).fill(deviceId.slice(0, 8).toUpperCase());
    await staffPage.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => staffPage.getByTestId('devices').locator('tbody tr').count()).toBe(1);
    await staffPage.getByRole('button', { name: `Revoke ${deviceId}` }).click();
    const dialog = staffPage.getByRole('dialog');
    await dialog.getByLabel('Reason').fill('returned to the factory');
    await check(staffPage, 'staff-revoke-confirm');
    await dialog.getByRole('button', { name: 'Revoke device' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await staffPage.getByTestId('devices').getByText('revoked').waitFor();
    expect((await client(server.url, server.adminToken).get(`/v1/devices/${deviceId}`)).body).toMatchObject({ status: 'revoked' });
    await check(staffPage, 'staff-devices');
  });

  it('shows customers by name with the id one copy away, and filters pools by a typed customer name', async () => {
    await staff.grantPermissions(['clipboard-read', 'clipboard-write']);
    await openFromMenu(staffPage, 'Pools');
    await staffPage.getByTestId('pool').first().waitFor();
    const picker = staffPage.getByRole('combobox', { name: 'Customer' });
    await picker.fill('acme');
    await staffPage.getByRole('option', { name: 'Acme Cameras' }).click();
    await expect.poll(() => staffPage.getByTestId('pool').count()).toBe(1);
    const card = staffPage.getByTestId('pool');
    expect(await card.textContent()).toContain('Customer: Acme Cameras');
    await card.getByRole('button', { name: 'Copy the customer id of Acme Cameras' }).click();
    const customerId = (await client(server.url, server.adminToken).get('/v1/customers?search=Acme%20Cameras')).body.items[0].id;
    expect(await staffPage.evaluate<string>('navigator.clipboard.readText()')).toBe(customerId);
    await check(staffPage, 'staff-pools-by-customer');
  });

  it("keeps a customer out of staff pages and another customer's pools, by link and by URL", async () => {
    const navigation = customerPage.getByRole('navigation', { name: 'Main' });
    expect(await navigation.getByRole('link').allTextContents()).toEqual(['Catalog', 'Applications', 'Pools', 'Offline activation']);
    for (const path of ['/review', '/devices', '/audit', '/users', '/customers']) {
      await customerPage.goto(path);
      await customerPage.getByTestId('not-found').waitFor();
    }
    const other = await approvedPool(server.url, server.adminToken);
    await customerPage.goto(`/pools/${other.poolId}`);
    await expect.poll(() => customerPage.getByTestId('error').textContent()).toContain('NOT_FOUND');
    await check(customerPage, 'customer-other-pool');
  });

  it('activates a board offline from its dropped request file, with a result per file', async () => {
    const requestFile = join(mkdtempSync(join(tmpdir(), 'seatlock-request-')), 'board-2.request');
    const requested = await runAgent(newDevice('hi3516dv300-emmc'), ['request', '--code', activationCode, '--out', requestFile], { trustRoot: rootPath });
    expect(requested.code, requested.stderr).toBe(0);
    const damaged = join(tmpdir(), `seatlock-damaged-${process.pid}.request`);
    writeFileSync(damaged, 'not a request');
    await openFromMenu(customerPage, 'Offline activation');
    await customerPage.getByTestId('request-files').setInputFiles([requestFile, damaged]);
    const rows = customerPage.getByRole('row');
    await expect.poll(() => rows.filter({ hasText: 'board-2.request' }).textContent()).toContain('licensed');
    await expect.poll(() => rows.filter({ hasText: 'seatlock-damaged' }).textContent()).toContain('INVALID_REQUEST');
    await check(customerPage, 'customer-offline');
    const [download] = await Promise.all([customerPage.waitForEvent('download'), rows.filter({ hasText: 'board-2.request' }).getByRole('button', { name: 'Download license' }).click()]);
    const license = readFileSync(await download.path(), 'utf8');
    expect(license).toContain('-----BEGIN SEATLOCK LICENSE-----');

    // The results stay when the page is left, until dismissed; the licenses download as one file.
    await openFromMenu(customerPage, 'Pools');
    await openFromMenu(customerPage, 'Offline activation');
    await expect.poll(() => rows.filter({ hasText: 'board-2.request' }).textContent()).toContain('licensed');
    const [all] = await Promise.all([customerPage.waitForEvent('download'), customerPage.getByRole('button', { name: 'Download all 1 licenses as one file' }).click()]);
    expect(readFileSync(await all.path(), 'utf8')).toBe(license);
    await customerPage.getByRole('button', { name: 'Dismiss the results' }).click();
    await expect.poll(() => rows.filter({ hasText: 'board-2.request' }).count()).toBe(0);
  });

  it('an admin enters a negotiated price that another admin approves, verifies the audit chain, and manages customers, people and tokens', async () => {
    await createUser(server.url, server.adminToken, { email: 'admin@vendor.example', role: 'admin' });
    const adminPage = await (await newPerson(browser, server.url)).newPage();
    const buyer = await signIn(server.url, customerEmail);
    const negotiated = await buyer.post('/v1/orders', { product: 'face-recognition', quantity: 20_000, modality: 'ir' });
    expect(negotiated.body).toMatchObject({ unitPrice: null, negotiated: true });
    await signInAs(adminPage, 'admin@vendor.example');
    const card = adminPage.getByTestId('application').filter({ hasText: '20,000 devices' });
    await expect.poll(() => card.textContent()).toContain('May approve: an admin other than the submitter and whoever entered the negotiated price');
    expect(await card.getByRole('button', { name: /^Approve/ }).isDisabled(), 'no price entered yet').toBe(true);
    await card.getByLabel('Negotiated unit price (CNY)').fill('39.5');
    await expect.poll(() => card.getByTestId('negotiated-total').textContent()).toMatch(/20,000 × CN¥39\.50 = CN¥790,000\.00/);
    await check(adminPage, 'admin-review');
    await card.getByRole('button', { name: /^Approve/ }).click();
    await expect.poll(() => adminPage.getByTestId('decision-outcome').textContent()).toContain('Price recorded for the face-recognition order of 20,000 devices of Acme Cameras; another admin approves the order.');
    const staff = client(server.url, server.adminToken);
    expect((await staff.get(`/v1/orders/${negotiated.body.id}`)).body).toMatchObject({ status: 'submitted', unitPriceFen: 3950, totalFen: 79_000_000, unitPrice: 39.5, total: 790_000 });
    expect((await staff.post(`/v1/orders/${negotiated.body.id}/approve`)).status).toBe(200);
    await openFromMenu(adminPage, 'Audit log');
    await adminPage.getByRole('button', { name: 'Verify chain' }).click();
    await expect.poll(() => adminPage.getByTestId('verdict').textContent()).toContain('The chain holds');
    await check(adminPage, 'admin-audit');
    const [auditCsv] = await Promise.all([adminPage.waitForEvent('download'), adminPage.getByRole('link', { name: 'Export the log (CSV)' }).click()]);
    expect(readFileSync(await auditCsv.path(), 'utf8')).toMatch(/^seq,at,action,actor,actorName,/);
    await openFromMenu(adminPage, 'Customers');
    await adminPage.getByLabel("New customer's name").fill('Globex Sensors');
    await adminPage.getByRole('button', { name: 'Create customer' }).click();
    await adminPage.getByRole('cell', { name: 'Globex Sensors' }).waitFor();
    await check(adminPage, 'admin-customers');
    await openFromMenu(adminPage, 'Users and tokens');
    await adminPage.getByRole('textbox', { name: 'Email' }).fill('auditor@vendor.example');
    await adminPage.getByRole('region', { name: 'People' }).getByRole('textbox', { name: 'Name' }).fill('Ada Auditor');
    await adminPage.getByRole('region', { name: 'People' }).getByRole('combobox', { name: 'Role' }).click();
    await adminPage.getByRole('option', { name: 'auditor', exact: true }).click();
    await adminPage.getByRole('button', { name: 'Invite' }).click();
    await expect.poll(() => adminPage.getByRole('region', { name: 'People' }).textContent()).toContain('/accept-invite?invite=');
    await adminPage.getByRole('row', { name: /auditor@vendor.example/ }).getByRole('cell', { name: 'Ada Auditor' }).waitFor();
    await adminPage.getByRole('button', { name: 'Disable auditor@vendor.example' }).click();
    await adminPage.getByRole('row', { name: /auditor@vendor.example/ }).getByText('disabled').waitFor();
    await adminPage.getByRole('button', { name: 'Create token' }).click();
    await expect.poll(() => adminPage.getByRole('region', { name: 'API tokens' }).textContent()).toContain('slt_');
    await check(adminPage, 'admin-users');
    await adminPage.context().close();
  });

  it('works at a phone width of 390 px without sideways scrolling', async () => {
    const phone = await customer.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/pools', '/catalog', '/applications']) {
      await phone.goto(path);
      await phone.getByRole('heading', { level: 2 }).first().waitFor();
      expect(await phone.evaluate<number>('document.documentElement.scrollWidth'), path).toBeLessThanOrEqual(390);
    }
    await check(phone, 'customer-phone-catalog');
    // Key columns and actions inside the screen: secondary columns give way, no sideways scroll inside tables either.
    const rightEdge = async (locator: ReturnType<Page['locator']>) => {
      const box = await locator.boundingBox();
      return box ? box.x + box.width : Number.POSITIVE_INFINITY;
    };
    await phone.goto('/applications');
    const purchases = phone.getByRole('region', { name: 'Purchases' });
    for (const column of ['Status', 'Pool']) expect(await rightEdge(purchases.getByRole('columnheader', { name: column })), column).toBeLessThanOrEqual(390);
    expect(await purchases.getByRole('columnheader', { name: 'Review due' }).isVisible()).toBe(false);
    await check(phone, 'customer-phone-applications');
    await phone.goto('/pools');
    await phone.getByRole('link', { name: 'face-detection' }).click();
    const devices = phone.getByTestId('devices');
    await devices.waitFor();
    for (const column of ['Device', 'Status', 'Actions']) expect(await rightEdge(devices.getByRole('columnheader', { name: column })), column).toBeLessThanOrEqual(390);
    expect(await rightEdge(devices.getByRole('button', { name: /^Download license of/ }).first())).toBeLessThanOrEqual(390);
    expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await check(phone, 'customer-phone-pool');
    await phone.close();
    const staffPhone = await staff.newPage();
    await staffPhone.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/review', '/devices', '/pools']) {
      await staffPhone.goto(path);
      await staffPhone.getByRole('heading', { level: 2 }).first().waitFor();
      expect(await staffPhone.evaluate<number>('document.documentElement.scrollWidth'), path).toBeLessThanOrEqual(390);
    }
    await check(staffPhone, 'staff-phone-pools');
    await staffPhone.close();
  });

  it('returns to the sign-in page when the session has ended', async () => {
    await customerPage.goto('/pools');
    await customerPage.getByTestId('pool').first().waitFor();
    await rawQuery(server.dataDir, 'DELETE FROM sessions');
    await openFromMenu(customerPage, 'Applications');
    await customerPage.getByRole('button', { name: 'Sign in' }).waitFor();
    await check(customerPage, 'sign-in');
  });

  it('finds no serious or critical accessibility violation on any page visited', () => {
    expect(violations).toEqual([]);
  });
});
