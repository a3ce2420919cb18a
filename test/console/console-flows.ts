import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, TEST_PASSWORD } from '../support/accounts';
import { newDevice, runAgent } from '../support/agent';
import { consoleText, findChromium, keepForReadme, type Language, LANGUAGES, launchChromium, newPerson, screenshotAndAudit } from '../support/browser';
import { rawQuery } from '../support/database';
import { client } from '../support/http';
import { approvedPool } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

const chromiumPath = findChromium();

/** What people type differs by language too, so that a page in Chinese holds no English but the data's own. */
const WORDS = {
  en: { customer: 'Acme Cameras', reason: 'The IR modality is not offered on this board yet.', revokeReason: 'returned to the factory', newCustomer: 'Globex Sensors', auditor: 'Ada Auditor' },
  'zh-CN': { customer: '极目相机', reason: '这块板卡暂不支持红外模态。', revokeReason: '已退回工厂', newCustomer: '格致传感', auditor: '审计员小林' },
} as const;

/**
 * The console's flows in Chromium, every one in `language`: each language's run is a test file of
 * its own (console.<language>.test.ts), so that the two run side by side.
 */
export function consoleFlowsIn(language: Language): void {
  describe.skipIf(!chromiumPath)(`the web console in Chromium, in ${language}`, { timeout: 180_000 }, () => {
    const t = consoleText(language);
    const words = WORDS[language];
    const count = (value: number) => new Intl.NumberFormat(language).format(value);
    const money = (yuan: number) => new Intl.NumberFormat(language, { style: 'currency', currency: 'CNY', maximumFractionDigits: 2 }).format(yuan);
    /** Screenshots of the English run keep their names (the README shows two); the others say their language. */
    const shot = (name: string) => (language === 'en' ? name : `${name}-${language}`);
    /** The display name of an API value (`features`, `face.best-shot`). */
    const nameIn = (group: string, value: string) => (t(group, { returnObjects: true }) as Record<string, string>)[value];
    /** A text's words before its first value: what a test can match when the value (a date) is not known. */
    const before = (key: string) => t(key, { when: '\u0000' }).split('\u0000')[0];
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
      await page.getByLabel(t('common.email')).fill(email);
      await page.getByRole('textbox', { name: t('signIn.password') }).fill(TEST_PASSWORD);
      await page.getByRole('button', { name: t('signIn.submit') }).click();
      await page.getByRole('button', { name: t('shell.signOut') }).waitFor();
    }

    /** Follows a link of the navigation menu, named by its catalog key (`nav.pools`). */
    async function openFromMenu(page: Page, key: string) {
      await page.getByRole('navigation', { name: t('shell.mainNavigation') }).getByRole('link', { name: t(key), exact: true }).click();
    }

    async function check(page: Page, name: string) {
      expect(await page.evaluate<string>('document.documentElement.lang'), name).toBe(language);
      violations.push(...(await screenshotAndAudit(page, shot(name))));
    }

    beforeAll(async () => {
      server = await startServer();
      const admin = client(server.url, server.adminToken);
      const customerId = (await admin.post('/v1/customers', { name: words.customer })).body.id as string;
      await createUser(server.url, server.adminToken, { email: customerEmail, role: 'customer', customerId });
      await createUser(server.url, server.adminToken, { email: staffEmail, role: 'issuer' });
      rootPath = join(mkdtempSync(join(tmpdir(), 'seatlock-console-')), 'root.pem');
      writeFileSync(rootPath, (await client(server.url).get('/v1/trust')).body.root);
      browser = await launchChromium(chromiumPath as string);
      customer = await newPerson(browser, server.url, language);
      staff = await newPerson(browser, server.url, language);
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
      await openFromMenu(customerPage, 'nav.catalog');
      await customerPage.getByRole('heading', { name: t('catalog.trialTitle') }).waitFor();
      // Products and features by their names in the language, never the API's slugs.
      const features = await customerPage.getByTestId('features').first().textContent();
      expect(features).toContain(nameIn('features', 'face.best-shot'));
      expect(features).not.toContain('face.best-shot');
      await check(customerPage, 'customer-catalog');
      await customerPage.getByRole('button', { name: t('catalog.trialSubmit') }).click();
      await customerPage.getByText(before('catalog.trialSent')).waitFor();
      await openFromMenu(customerPage, 'nav.applications');
      await customerPage.getByText(t('statuses.submitted')).first().waitFor();
      await check(customerPage, 'customer-applications');

      await signInAs(staffPage, staffEmail);
      const application = staffPage.getByTestId('application');
      await expect.poll(() => application.count()).toBe(1);
      expect(await application.getByTestId('submitted-by').textContent()).toBe(customerEmail);
      expect(await application.textContent()).toContain(`${t('review.customer')}${words.customer}`);
      await expect.poll(() => application.textContent()).toContain(t('review.mayApprove', { who: t('review.whoListed') }));
      await check(staffPage, 'console-staff-review');
      if (language === 'en') keepForReadme('console-staff-review');
      await application.getByRole('button', { name: new RegExp(`^${t('review.approveOf', { label: '' })}`) }).click();
      const trialOf = (product: string) => t('review.whatTrial', { product: nameIn('products', product), customer: words.customer });
      await expect.poll(() => staffPage.getByTestId('decision-outcome').textContent()).toContain(t('review.approved', { what: trialOf('face-detection'), seats: count(3) }));
      await expect.poll(() => application.count()).toBe(0);
      await staffPage.getByText(t('review.empty')).first().waitFor();

      await openFromMenu(customerPage, 'nav.pools');
      await customerPage.getByRole('link', { name: nameIn('products', 'face-detection') }).click();
      const [empty] = await Promise.all([customerPage.waitForEvent('download', { timeout: 2_000 }).catch(() => null), customerPage.getByRole('button', { name: t('pool.downloadAll') }).click()]);
      expect(empty).toBeNull();
      await customerPage.getByText(t('pool.nothingToDownload')).waitFor();
      await customerPage.getByRole('button', { name: t('pool.showNew') }).click();
      const replace = customerPage.getByRole('dialog', { name: t('pool.replaceTitle') });
      await replace.getByRole('button', { name: t('common.cancel') }).click();
      await replace.waitFor({ state: 'hidden' });
      expect(await customerPage.getByTestId('activation-code').count()).toBe(0);
      await customerPage.getByRole('button', { name: t('pool.showNew') }).click();
      await check(customerPage, 'customer-pool-code-confirm');
      await replace.getByRole('button', { name: t('pool.replaceConfirm') }).click();
      await replace.waitFor({ state: 'hidden' });
      activationCode = (await customerPage.getByTestId('activation-code').textContent()) as string;
      expect(activationCode).toMatch(/^slac_/);
      await customerPage.getByRole('button', { name: t('common.copy') }).click();
      await customerPage.getByRole('button', { name: t('common.copied') }).waitFor();
      expect(await customerPage.evaluate<string>('navigator.clipboard.readText()')).toBe(activationCode);
      await check(customerPage, 'customer-pool-code');

      const activated = await runAgent(newDevice('android-rk3568'), ['activate', '--server', server.url, '--code', activationCode], { trustRoot: rootPath });
      expect(activated).toMatchObject({ code: 0, stdout: expect.stringMatching(/^activated: device /) });
      deviceId = /^activated: device ([0-9a-f-]+)/.exec(activated.stdout)?.[1] as string;

      // No reload: the pool page asks again every few seconds while it is shown.
      await expect.poll(() => customerPage.getByTestId('seats').textContent(), { timeout: 25_000 }).toContain(t('seats.used', { used: count(1), total: count(3) }));
      const deviceRow = customerPage.getByTestId('devices').locator(`[data-device="${deviceId}"]`);
      await deviceRow.getByText(/^emmc\.cid [\w-]{8}$/).waitFor();
      expect(await deviceRow.textContent()).toContain(deviceId.slice(0, 8));
      const [download] = await Promise.all([customerPage.waitForEvent('download'), customerPage.getByRole('button', { name: t('devices.downloadOf', { id: deviceId }) }).click()]);
      const license = readFileSync(await download.path(), 'utf8');
      expect(license).toContain('-----BEGIN SEATLOCK LICENSE-----');
      expect(license).toBe((await client(server.url, server.adminToken).get(`/v1/devices/${deviceId}/license`)).body);
      await check(customerPage, 'customer-pool-devices');
      const [csv] = await Promise.all([customerPage.waitForEvent('download'), customerPage.getByRole('link', { name: t('devices.export') }).click()]);
      expect(csv.suggestedFilename()).toBe('devices.csv');
      expect(readFileSync(await csv.path(), 'utf8').split('\r\n')[1]).toMatch(new RegExp(`^${deviceId},emmc\\.cid `));

      await openFromMenu(customerPage, 'nav.pools');
      await expect.poll(() => customerPage.getByTestId('seats').textContent()).toContain(t('seats.used', { used: count(1), total: count(3) }));
      await check(customerPage, 'console-customer-pools');
      if (language === 'en') keepForReadme('console-customer-pools');
    });

    it('quotes a purchase of 1,000 recognition devices at 118,000 CNY as the quantity changes, and submits it', async () => {
      await openFromMenu(customerPage, 'nav.catalog');
      const purchase = customerPage.getByRole('region', { name: t('catalog.purchaseTitle') });
      await purchase.getByLabel(t('common.product')).click();
      await customerPage.getByRole('option', { name: nameIn('products', 'face-recognition') }).click();
      const submit = purchase.getByRole('button', { name: t('catalog.purchaseSubmit') });
      expect(await submit.isDisabled(), 'the modality is required and not chosen').toBe(true);
      await purchase.getByRole('combobox', { name: t('common.modality') }).click();
      await customerPage.getByRole('option', { name: nameIn('modalities', 'ir'), exact: true }).click();
      const devices = purchase.getByLabel(t('common.devices'));
      await devices.fill('49');
      await expect.poll(() => submit.isDisabled(), { message: 'below the minimum of 50' }).toBe(true);
      await devices.fill('20000');
      await expect.poll(() => purchase.getByTestId('quote').textContent()).toContain(t('catalog.negotiated', { limit: count(10_000) }));
      await devices.fill('1000');
      await expect.poll(() => purchase.getByTestId('quote').textContent()).toContain(`${t('catalog.quote', { tier: 1, unitPrice: money(118), quantity: count(1000) })}${money(118_000)}`);
      await check(customerPage, 'customer-quote');
      await purchase.getByRole('button', { name: t('catalog.purchaseSubmit') }).click();
      await purchase.getByText(before('catalog.purchaseSent')).waitFor();
      const orders = (await client(server.url, server.adminToken).get('/v1/orders')).body.items;
      expect(orders).toMatchObject([{ product: 'face-recognition', modality: 'ir', quantity: 1000, total: 118_000, totalFen: 11_800_000, status: 'submitted' }]);
    });

    it('staff reject an application only with a reason, after confirming; the customer reads the reason', async () => {
      const buyer = await signIn(server.url, customerEmail);
      const trial = await buyer.post('/v1/trials', { product: 'face-liveness', modality: 'ir' });
      await staffPage.reload();
      const card = staffPage.getByTestId('application').filter({ hasText: nameIn('products', 'face-liveness') });
      await card.getByRole('button', { name: new RegExp(`^${t('review.rejectOf', { label: '' })}`) }).click();
      const dialog = staffPage.getByRole('dialog', { name: t('review.rejectTitle.trial') });
      const confirm = dialog.getByRole('button', { name: t('review.rejectConfirm') });
      expect(await confirm.isDisabled(), 'no reason yet').toBe(true);
      await dialog.getByLabel(t('review.rejectReason')).fill('   ');
      expect(await confirm.isDisabled(), 'a blank reason').toBe(true);
      await dialog.getByLabel(t('review.rejectReason')).fill(words.reason);
      await check(staffPage, 'staff-reject-confirm');
      await confirm.click();
      await dialog.waitFor({ state: 'hidden' });
      const what = t('review.whatTrial', { product: nameIn('products', 'face-liveness'), customer: words.customer });
      await expect.poll(() => staffPage.getByTestId('decision-outcome').textContent()).toContain(t('review.rejected', { what }));
      await expect.poll(() => card.count()).toBe(0);
      expect((await buyer.get(`/v1/trials/${trial.body.id}`)).body).toMatchObject({ status: 'rejected', decisionReason: words.reason });
      await openFromMenu(customerPage, 'nav.applications');
      await customerPage.getByRole('region', { name: t('applications.trials') }).getByTestId('decision-reason').filter({ hasText: words.reason }).waitFor();
      await check(customerPage, 'customer-applications-reason');
    });

    it('staff revoke a device with a reason after confirming', async () => {
      await openFromMenu(staffPage, 'nav.devices');
      await staffPage.getByLabel(t('devices.deviceId'), { exact: true }).fill(deviceId.slice(0, 3));
      expect(await staffPage.getByRole('button', { name: t('common.search') }).isDisabled(), 'three characters are too few').toBe(true);
      await staffPage.getByLabel(t('devices.deviceId'), { exact: true }).fill(deviceId.slice(0, 8).toUpperCase());
      await staffPage.getByRole('button', { name: t('common.search') }).click();
      await expect.poll(() => staffPage.getByTestId('devices').locator('tbody tr').count()).toBe(1);
      await staffPage.getByRole('button', { name: t('devices.revokeOf', { id: deviceId }) }).click();
      const dialog = staffPage.getByRole('dialog');
      await dialog.getByLabel(t('common.reason')).fill(words.revokeReason);
      await check(staffPage, 'staff-revoke-confirm');
      await dialog.getByRole('button', { name: t('devices.revokeConfirm') }).click();
      await dialog.waitFor({ state: 'hidden' });
      await staffPage.getByTestId('devices').getByText(t('statuses.revoked')).waitFor();
      expect((await client(server.url, server.adminToken).get(`/v1/devices/${deviceId}`)).body).toMatchObject({ status: 'revoked' });
      await check(staffPage, 'staff-devices');
    });

    it('shows customers by name with the id one copy away, and filters pools by a typed customer name', async () => {
      await staff.grantPermissions(['clipboard-read', 'clipboard-write']);
      await openFromMenu(staffPage, 'nav.pools');
      await staffPage.getByTestId('pool').first().waitFor();
      const picker = staffPage.getByRole('combobox', { name: t('common.customer') });
      await picker.fill(words.customer.slice(0, 4).toLowerCase());
      await staffPage.getByRole('option', { name: words.customer }).click();
      await expect.poll(() => staffPage.getByTestId('pool').count()).toBe(1);
      const card = staffPage.getByTestId('pool');
      expect(await card.textContent()).toContain(`${t('pools.customer')}${words.customer}`);
      await card.getByRole('button', { name: t('named.copyOf', { what: t('named.what.customer'), name: words.customer }) }).click();
      const customerId = (await client(server.url, server.adminToken).get(`/v1/customers?search=${encodeURIComponent(words.customer)}`)).body.items[0].id;
      expect(await staffPage.evaluate<string>('navigator.clipboard.readText()')).toBe(customerId);
      await check(staffPage, 'staff-pools-by-customer');
    });

    it("keeps a customer out of staff pages and another customer's pools, by link and by URL", async () => {
      const navigation = customerPage.getByRole('navigation', { name: t('shell.mainNavigation') });
      expect(await navigation.getByRole('link').allTextContents()).toEqual(['nav.overview', 'nav.catalog', 'nav.applications', 'nav.pools', 'nav.offline'].map((key) => t(key)));
      for (const path of ['/review', '/devices', '/audit', '/users', '/customers']) {
        await customerPage.goto(path);
        await customerPage.getByTestId('not-found').waitFor();
      }
      const other = await approvedPool(server.url, server.adminToken);
      await customerPage.goto(`/pools/${other.poolId}`);
      await expect.poll(() => customerPage.getByTestId('error').textContent()).toContain('NOT_FOUND');
      expect(await customerPage.getByTestId('error').textContent()).toContain(t('errors.NOT_FOUND'));
      await check(customerPage, 'customer-other-pool');
    });

    it('activates a board offline from its dropped request file, with a result per file', async () => {
      const requestFile = join(mkdtempSync(join(tmpdir(), 'seatlock-request-')), 'board-2.request');
      const requested = await runAgent(newDevice('hi3516dv300-emmc'), ['request', '--code', activationCode, '--out', requestFile], { trustRoot: rootPath });
      expect(requested.code, requested.stderr).toBe(0);
      const damaged = join(tmpdir(), `seatlock-damaged-${process.pid}.request`);
      writeFileSync(damaged, 'not a request');
      await openFromMenu(customerPage, 'nav.offline');
      await customerPage.getByTestId('request-files').setInputFiles([requestFile, damaged]);
      const rows = customerPage.getByRole('row');
      await expect.poll(() => rows.filter({ hasText: 'board-2.request' }).textContent()).toContain(t('statuses.licensed'));
      await expect.poll(() => rows.filter({ hasText: 'seatlock-damaged' }).textContent()).toContain(`${t('errors.INVALID_REQUEST')} INVALID_REQUEST`);
      await check(customerPage, 'customer-offline');
      const [download] = await Promise.all([customerPage.waitForEvent('download'), rows.filter({ hasText: 'board-2.request' }).getByRole('button', { name: t('common.downloadLicense') }).click()]);
      const license = readFileSync(await download.path(), 'utf8');
      expect(license).toContain('-----BEGIN SEATLOCK LICENSE-----');

      // The results stay when the page is left, until dismissed; the licenses download as one file.
      await openFromMenu(customerPage, 'nav.pools');
      await openFromMenu(customerPage, 'nav.offline');
      await expect.poll(() => rows.filter({ hasText: 'board-2.request' }).textContent()).toContain(t('statuses.licensed'));
      const [all] = await Promise.all([customerPage.waitForEvent('download'), customerPage.getByRole('button', { name: t('offline.downloadAll', { number: count(1) }) }).click()]);
      expect(readFileSync(await all.path(), 'utf8')).toBe(license);
      await customerPage.getByRole('button', { name: t('offline.dismiss') }).click();
      await expect.poll(() => rows.filter({ hasText: 'board-2.request' }).count()).toBe(0);
    });

    it('an admin enters a negotiated price that another admin approves, verifies the audit chain, and manages customers, people and tokens', async () => {
      await createUser(server.url, server.adminToken, { email: 'admin@vendor.example', role: 'admin' });
      const adminPage = await (await newPerson(browser, server.url, language)).newPage();
      const buyer = await signIn(server.url, customerEmail);
      const negotiated = await buyer.post('/v1/orders', { product: 'face-recognition', quantity: 20_000, modality: 'ir' });
      expect(negotiated.body).toMatchObject({ unitPrice: null, negotiated: true });
      await signInAs(adminPage, 'admin@vendor.example');
      const card = adminPage.getByTestId('application').filter({ hasText: t('review.orderSummary', { quantity: count(20_000), total: t('common.negotiated') }) });
      await expect.poll(() => card.textContent()).toContain(t('review.mayApprove', { who: t('review.whoNegotiated') }));
      const approve = card.getByRole('button', { name: new RegExp(`^${t('review.approveOf', { label: '' })}`) });
      expect(await approve.isDisabled(), 'no price entered yet').toBe(true);
      await card.getByLabel(t('review.unitPrice')).fill('39.5');
      await expect.poll(() => card.getByTestId('negotiated-total').textContent()).toBe(t('review.total', { quantity: count(20_000), unitPrice: money(39.5), total: money(790_000) }));
      await check(adminPage, 'admin-review');
      await approve.click();
      const what = t('review.whatOrder', { product: nameIn('products', 'face-recognition'), quantity: count(20_000), customer: words.customer });
      await expect.poll(() => adminPage.getByTestId('decision-outcome').textContent()).toContain(t('review.priced', { what }));
      const staff = client(server.url, server.adminToken);
      expect((await staff.get(`/v1/orders/${negotiated.body.id}`)).body).toMatchObject({ status: 'submitted', unitPriceFen: 3950, totalFen: 79_000_000, unitPrice: 39.5, total: 790_000 });
      expect((await staff.post(`/v1/orders/${negotiated.body.id}/approve`)).status).toBe(200);
      await openFromMenu(adminPage, 'nav.audit');
      await adminPage.getByRole('button', { name: t('audit.verify') }).click();
      await expect.poll(() => adminPage.getByTestId('verdict').textContent()).toContain(t('audit.holds'));
      await check(adminPage, 'admin-audit');
      const [auditCsv] = await Promise.all([adminPage.waitForEvent('download'), adminPage.getByRole('link', { name: t('audit.export') }).click()]);
      expect(readFileSync(await auditCsv.path(), 'utf8')).toMatch(/^seq,at,action,actor,actorName,/);
      await openFromMenu(adminPage, 'nav.customers');
      await adminPage.getByLabel(t('customers.newName')).fill(words.newCustomer);
      await adminPage.getByRole('button', { name: t('customers.create') }).click();
      await adminPage.getByRole('cell', { name: words.newCustomer }).waitFor();
      await check(adminPage, 'admin-customers');
      await openFromMenu(adminPage, 'nav.users');
      const people = adminPage.getByRole('region', { name: t('users.people') });
      await adminPage.getByRole('textbox', { name: t('common.email') }).fill('auditor@vendor.example');
      await people.getByRole('textbox', { name: t('common.name') }).fill(words.auditor);
      await people.getByRole('combobox', { name: t('common.role') }).click();
      await adminPage.getByRole('option', { name: t('roles.auditor'), exact: true }).click();
      await adminPage.getByRole('button', { name: t('users.invite') }).click();
      await expect.poll(() => people.textContent()).toContain('/accept-invite?invite=');
      await adminPage.getByRole('row', { name: /auditor@vendor.example/ }).getByRole('cell', { name: words.auditor }).waitFor();
      await adminPage.getByRole('button', { name: t('users.disableOf', { email: 'auditor@vendor.example' }) }).click();
      await adminPage.getByRole('row', { name: /auditor@vendor.example/ }).getByText(t('statuses.disabled')).waitFor();
      await adminPage.getByRole('button', { name: t('users.createToken') }).click();
      await expect.poll(() => adminPage.getByRole('region', { name: t('users.tokens') }).textContent()).toContain('slt_');
      await check(adminPage, 'admin-users');
      await adminPage.context().close();
    });

    /** A page of `person`'s at a phone's width, once each of `paths` was shown without sideways scrolling. */
    async function phoneAfter(person: BrowserContext, paths: string[]): Promise<Page> {
      const phone = await person.newPage();
      await phone.setViewportSize({ width: 390, height: 844 });
      for (const path of paths) {
        await phone.goto(path);
        await phone.getByRole('heading', { level: 2 }).first().waitFor();
        expect(await phone.evaluate<number>('document.documentElement.scrollWidth'), path).toBeLessThanOrEqual(390);
      }
      return phone;
    }

    it('works at a phone width of 390 px without sideways scrolling', async () => {
      const phone = await phoneAfter(customer, ['/pools', '/catalog', '/applications']);
      await check(phone, 'customer-phone-catalog');
      // Key columns and actions inside the screen: secondary columns give way, no sideways scroll inside tables either.
      const rightEdge = async (locator: ReturnType<Page['locator']>) => {
        const box = await locator.boundingBox();
        return box ? box.x + box.width : Number.POSITIVE_INFINITY;
      };
      await phone.goto('/applications');
      const purchases = phone.getByRole('region', { name: t('applications.purchases') });
      for (const column of [t('common.status'), t('common.pool')]) expect(await rightEdge(purchases.getByRole('columnheader', { name: column })), column).toBeLessThanOrEqual(390);
      expect(await purchases.getByRole('columnheader', { name: t('common.reviewDue') }).isVisible()).toBe(false);
      await check(phone, 'customer-phone-applications');
      await phone.goto('/pools');
      await phone.getByRole('link', { name: nameIn('products', 'face-detection') }).click();
      const devices = phone.getByTestId('devices');
      await devices.waitFor();
      for (const column of [t('devices.device'), t('common.status'), t('common.actions')]) expect(await rightEdge(devices.getByRole('columnheader', { name: column })), column).toBeLessThanOrEqual(390);
      expect(await rightEdge(devices.getByRole('button', { name: t('devices.downloadOf', { id: deviceId }) }).first())).toBeLessThanOrEqual(390);
      expect(await phone.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await check(phone, 'customer-phone-pool');
      await phone.close();
      const staffPhone = await phoneAfter(staff, ['/review', '/devices', '/pools']);
      await check(staffPhone, 'staff-phone-pools');
      await staffPhone.close();
    });

    it('returns to the sign-in page when the session has ended', async () => {
      await customerPage.goto('/pools');
      await customerPage.getByTestId('pool').first().waitFor();
      await rawQuery(server.dataDir, 'DELETE FROM sessions');
      await openFromMenu(customerPage, 'nav.applications');
      await customerPage.getByRole('button', { name: t('signIn.submit') }).waitFor();
      await check(customerPage, 'sign-in');
    });

    it('switches to the other language from the page, keeps the choice after a reload, and switches back', async () => {
      const other = LANGUAGES.find((candidate) => candidate !== language) as Language;
      const names = { en: 'English', 'zh-CN': '中文' };
      const page = await customer.newPage();
      await page.goto('/');
      const choose = async (target: typeof other) => {
        await page.getByRole('combobox', { name: t('language.label') }).or(page.getByRole('combobox', { name: consoleText(other)('language.label') })).click();
        await page.getByRole('option', { name: names[target] }).click();
      };
      await choose(other);
      await page.getByRole('heading', { name: consoleText(other)('signIn.title') }).waitFor();
      expect(await page.evaluate<string>('document.documentElement.lang')).toBe(other);
      await page.reload();
      await page.getByRole('heading', { name: consoleText(other)('signIn.title') }).waitFor();
      await choose(language);
      await page.getByRole('heading', { name: t('signIn.title') }).waitFor();
      expect(await page.evaluate<string[]>("[document.documentElement.lang, localStorage.getItem('seatlock.language')]")).toEqual([language, language]);
      await page.close();
    });

    it('finds no serious or critical accessibility violation on any page visited', () => {
      expect(violations).toEqual([]);
    });
  });
}
