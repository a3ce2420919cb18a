import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../support/accounts';
import { client, type JsonResponse } from '../support/http';
import { colleagueToken } from '../support/seatlock';
import { ADMIN_CLI, REPO_ROOT, type StartedServer, startServer } from '../support/server';

const run = promisify(execFile);

function expectError(response: JsonResponse, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.error.code).toBe(code);
}

/** An insider with an issuer token, or an admin acting alone, tries to grant seats nobody else reviewed. */
describe('four-eyes review of orders and trials', () => {
  let server: StartedServer;
  let admin: ReturnType<typeof client>;
  let issuer: ReturnType<typeof client>;
  let secondIssuer: ReturnType<typeof client>;
  let secondAdmin: ReturnType<typeof client>;
  let customerId: string;

  beforeAll(async () => {
    server = await startServer();
    admin = client(server.url, server.adminToken);
    // The issuer token acts for the admin who minted it; the second pair of eyes is another person.
    issuer = client(server.url, (await admin.post('/v1/tokens', { role: 'issuer' })).body.token);
    secondIssuer = client(server.url, await colleagueToken(server.url, server.adminToken, 'issuer'));
    secondAdmin = client(server.url, await colleagueToken(server.url, server.adminToken, 'admin'));
    customerId = (await issuer.post('/v1/customers', { name: 'Four Eyes Ltd' })).body.id;
  });
  afterAll(() => server?.stop());

  it('refuses an issuer who enters a negotiated price: a million seats for 1 CNY', async () => {
    expectError(await issuer.post('/v1/orders', { customerId, product: 'face-recognition', modality: 'ir', quantity: 1_000_000, unitPrice: 1 }), 403, 'FORBIDDEN');
    const orders = await admin.get(`/v1/orders?customerId=${customerId}`);
    expect(orders.body.total).toBe(0);
  });

  it('refuses the submitter of an order as its approver, and lets someone else approve it', async () => {
    const order = await issuer.post('/v1/orders', { customerId, product: 'face-detection', quantity: 100 });
    expect(order.status).toBe(201);
    expect(order.body.submittedBy).toMatch(/^token:/);
    expectError(await issuer.post(`/v1/orders/${order.body.id}/approve`), 403, 'FORBIDDEN');
    expect((await admin.get(`/v1/orders/${order.body.id}`)).body.status).toBe('submitted');
    const approved = await secondIssuer.post(`/v1/orders/${order.body.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.pool.seats).toBe(100);
  });

  it('holds an admin to the same rule, through the tokens it minted too', async () => {
    const order = await admin.post('/v1/orders', { customerId, product: 'face-detection', quantity: 100 });
    expectError(await admin.post(`/v1/orders/${order.body.id}/approve`), 403, 'FORBIDDEN');
    expectError(await issuer.post(`/v1/orders/${order.body.id}/approve`), 403, 'FORBIDDEN');
    expect((await secondIssuer.post(`/v1/orders/${order.body.id}/approve`)).status).toBe(200);
  });

  it('refuses the submitter of a trial as its approver', async () => {
    const trial = await issuer.post('/v1/trials', { customerId, product: 'face-detection' });
    expect(trial.status).toBe(201);
    expectError(await issuer.post(`/v1/trials/${trial.body.id}/approve`), 403, 'FORBIDDEN');
    expect((await secondIssuer.post(`/v1/trials/${trial.body.id}/approve`)).status).toBe(200);
  });

  it('needs one admin to enter a negotiated price and another admin to approve it', async () => {
    const order = await admin.post('/v1/orders', { customerId, product: 'face-detection', quantity: 20_000, unitPrice: 30 });
    expect(order.body).toMatchObject({ status: 'submitted', negotiated: true, total: 600_000 });
    expectError(await issuer.post(`/v1/orders/${order.body.id}/approve`), 403, 'FORBIDDEN');
    expectError(await admin.post(`/v1/orders/${order.body.id}/approve`), 403, 'FORBIDDEN');
    const approved = await secondAdmin.post(`/v1/orders/${order.body.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.pool.seats).toBe(20_000);
    const audit = (await admin.get('/v1/audit?limit=5')).body.items;
    expect(audit[0]).toMatchObject({ action: 'order.approved', subject: `order:${order.body.id}` });
    expect(audit[0].actor).not.toBe(order.body.submittedBy);
  });

  it('refuses quantities above 1,000,000 and negotiated prices above 10,000 CNY with INVALID_REQUEST', async () => {
    for (const quantity of [1_000_001, 2 ** 31, Number.MAX_SAFE_INTEGER]) {
      expectError(await admin.post('/v1/orders', { customerId, product: 'face-detection', quantity, unitPrice: 1 }), 400, 'INVALID_REQUEST');
      expectError(await client(server.url).get(`/v1/quote?product=face-detection&quantity=${quantity}&unitPrice=1`), 400, 'INVALID_REQUEST');
    }
    expectError(await admin.post('/v1/orders', { customerId, product: 'face-detection', quantity: 20_000, unitPrice: 2 ** 31 }), 400, 'INVALID_REQUEST');
    const largest = await admin.post('/v1/orders', { customerId, product: 'face-detection', quantity: 1_000_000, unitPrice: 10_000 });
    expect(largest.status).toBe(201);
    expect((await secondAdmin.post(`/v1/orders/${largest.body.id}/approve`)).body.pool.seats).toBe(1_000_000);
  });

  it('binds the operator’s terminal too: seatlock-admin cannot approve what it submitted', { timeout: 90_000 }, async () => {
    const cli = (...args: string[]) =>
      run(process.execPath, [ADMIN_CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...server.storageEnv } }).then(
        (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
        (failed: { code: number; stdout: string; stderr: string }) => failed,
      );
    const submitted = await cli('orders', 'submit', '--customer', customerId, '--product', 'face-detection', '--quantity', '70');
    expect(submitted.code, submitted.stderr).toBe(0);
    const order = JSON.parse(submitted.stdout);
    expect(order.submittedBy).toBe('cli');
    const refused = await cli('orders', 'approve', order.id);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('FORBIDDEN');
    expect((await issuer.post(`/v1/orders/${order.id}/approve`)).status).toBe(200);
  });
});

/** One admin with one credential tries to be both pairs of eyes by minting a second credential. */
describe('four-eyes review counts people, not credentials', { timeout: 90_000 }, () => {
  let server: StartedServer;
  let admin: ReturnType<typeof client>;
  let customerId: string;
  /** A signed-in admin, a person other than the holder of the server's admin token. */
  const otherAdmin = async (email: string) => signIn(server.url, (await createUser(server.url, server.adminToken, { email, role: 'admin' })).email);

  beforeAll(async () => {
    server = await startServer();
    admin = client(server.url, server.adminToken);
    customerId = (await admin.post('/v1/customers', { name: 'Lone Admin Ltd' })).body.id;
  });
  afterAll(() => server?.stop());

  it('refuses a lone admin who submits through a customer token it minted and approves at 1 CNY', async () => {
    const minted = await admin.post('/v1/tokens', { role: 'customer', customerId, name: 'posing as the customer' });
    const asCustomer = client(server.url, minted.body.token);
    const order = await asCustomer.post('/v1/orders', { product: 'face-recognition', modality: 'ir', quantity: 1_000_000 });
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ unitPrice: null, negotiated: true });

    expectError(await admin.post(`/v1/orders/${order.body.id}/approve`, { unitPrice: 1 }), 403, 'FORBIDDEN');
    const after = (await admin.get(`/v1/orders/${order.body.id}`)).body;
    expect(after).toMatchObject({ status: 'submitted', unitPrice: null, poolId: null });
    expect((await admin.get(`/v1/pools?customerId=${customerId}`)).body.total).toBe(0);
  });

  it('counts a token a person minted as that person: a signed-in admin cannot approve what its own token submitted', async () => {
    const person = await otherAdmin('minter@four-eyes.example');
    const issuer = client(server.url, (await person.post('/v1/tokens', { role: 'issuer', name: 'my script' })).body.token);
    const order = await issuer.post('/v1/orders', { customerId, product: 'face-detection', quantity: 100 });
    expect(order.status).toBe(201);
    expectError(await person.post(`/v1/orders/${order.body.id}/approve`), 403, 'FORBIDDEN');
    expect((await admin.post(`/v1/orders/${order.body.id}/approve`)).status).toBe(200);
  });

  it('records a negotiated price entered at approval, and needs an admin who neither priced nor submitted to approve it', async () => {
    const minted = await admin.post('/v1/tokens', { role: 'customer', customerId, name: 'the customer\'s script' });
    const order = await client(server.url, minted.body.token).post('/v1/orders', { product: 'face-detection', quantity: 20_000 });
    expect(order.status).toBe(201);
    const pricer = await otherAdmin('pricer@four-eyes.example');
    const priced = await pricer.post(`/v1/orders/${order.body.id}/approve`, { unitPrice: 1 });
    expect(priced.status, JSON.stringify(priced.body)).toBe(200);
    expect(priced.body).toEqual({ id: order.body.id, status: 'submitted' });
    expect((await admin.get(`/v1/orders/${order.body.id}`)).body).toMatchObject({ status: 'submitted', unitPrice: 1, total: 20_000, poolId: null });
    expect((await admin.get('/v1/audit?limit=1')).body.items[0]).toMatchObject({ action: 'order.priced', subject: `order:${order.body.id}`, data: { unitPriceFen: 100 } });

    expectError(await pricer.post(`/v1/orders/${order.body.id}/approve`), 403, 'FORBIDDEN');
    expectError(await admin.post(`/v1/orders/${order.body.id}/approve`), 403, 'FORBIDDEN');
    const third = await otherAdmin('approver@four-eyes.example');
    expectError(await third.post(`/v1/orders/${order.body.id}/approve`, { unitPrice: 2 }), 400, 'INVALID_REQUEST');
    const approved = await third.post(`/v1/orders/${order.body.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.pool).toMatchObject({ seats: 20_000 });
  });
});
