import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type JsonResponse } from '../support/http';
import { REPO_ROOT, type StartedServer, startServer } from '../support/server';

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
    const token = async (role: string) => (await admin.post('/v1/tokens', { role })).body.token as string;
    issuer = client(server.url, await token('issuer'));
    secondIssuer = client(server.url, await token('issuer'));
    secondAdmin = client(server.url, await token('admin'));
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

  it('holds an admin to the same rule', async () => {
    const order = await admin.post('/v1/orders', { customerId, product: 'face-detection', quantity: 100 });
    expectError(await admin.post(`/v1/orders/${order.body.id}/approve`), 403, 'FORBIDDEN');
    expect((await issuer.post(`/v1/orders/${order.body.id}/approve`)).status).toBe(200);
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
      run(process.execPath, [join(REPO_ROOT, 'server/dist/cli/admin.js'), ...args], { cwd: REPO_ROOT, env: { ...process.env, ...server.storageEnv } }).then(
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
