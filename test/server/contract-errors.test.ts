import { buildFingerprint } from '@seatlock/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type JsonResponse } from '../support/http';
import { approvedPool, deviceFingerprint, issuerToken } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

function expectError(response: JsonResponse, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
}

describe('contract errors', () => {
  let server: StartedServer;
  let admin: ReturnType<typeof client>;
  let issuer: ReturnType<typeof client>;
  let anonymous: ReturnType<typeof client>;
  let customerId: string;

  beforeAll(async () => {
    server = await startServer({ env: { SEATLOCK_RATE_LIMIT_FAILURES: '1000' } });
    admin = client(server.url, server.adminToken);
    issuer = client(server.url, await issuerToken(server.url, server.adminToken));
    anonymous = client(server.url);
    customerId = (await admin.post('/v1/customers', { name: 'Errors Inc' })).body.id;
  });
  afterAll(() => server?.stop());

  it('INVALID_REQUEST for bodies and queries that fail validation', async () => {
    expectError(await admin.post('/v1/customers', {}), 400, 'INVALID_REQUEST');
    expectError(await admin.post('/v1/customers', { name: 'x', extra: true }), 400, 'INVALID_REQUEST');
    expectError(await admin.post('/v1/customers', '{"name": broken', { headers: { 'content-type': 'application/json' } }), 400, 'INVALID_REQUEST');
    expectError(await admin.post('/v1/orders', { customerId, product: 'face-detection', quantity: '50' }), 400, 'INVALID_REQUEST');
    expectError(await anonymous.get('/v1/quote?product=face-detection&quantity=abc'), 400, 'INVALID_REQUEST');
    expectError(await admin.get('/v1/orders?limit=0'), 400, 'INVALID_REQUEST');
    expectError(await admin.post('/v1/orders', { customerId, product: 'face-detection', quantity: 50, modality: 'ir' }), 400, 'INVALID_REQUEST');
    expectError(await anonymous.post('/v1/activations', { activationCode: 'x', platform: 'android', fingerprint: { v: 2 } }), 400, 'INVALID_REQUEST');
    const fingerprint = deviceFingerprint('contract-errors');
    expectError(await anonymous.post('/v1/activations', { activationCode: 'x', platform: 'android', fingerprint, seats: 9 }), 400, 'INVALID_REQUEST');
    expectError(await anonymous.post('/v1/activations', { platform: 'android', fingerprint }), 400, 'INVALID_REQUEST');
    expectError(await anonymous.post('/v1/activations', '[]', { headers: { 'content-type': 'application/json' } }), 400, 'INVALID_REQUEST');
  });

  it('UNAUTHORIZED, FORBIDDEN and NOT_FOUND', async () => {
    expectError(await anonymous.get('/v1/orders'), 401, 'UNAUTHORIZED');
    const auditor = (await admin.post('/v1/tokens', { role: 'auditor' })).body.token;
    expectError(await client(server.url, auditor).post('/v1/customers', { name: 'no' }), 403, 'FORBIDDEN');
    expectError(await admin.get('/v1/orders/does-not-exist'), 404, 'NOT_FOUND');
    expectError(await admin.post('/v1/orders', { customerId: 'nobody', product: 'face-detection', quantity: 50 }), 404, 'NOT_FOUND');
    expectError(await anonymous.get('/v1/no-such-route'), 404, 'NOT_FOUND');
  });

  it('pricing errors: UNKNOWN_PRODUCT, MODALITY_REQUIRED, BELOW_MINIMUM, NEGOTIATED_PRICE_REQUIRED', async () => {
    expectError(await anonymous.get('/v1/quote?product=face-teleport&quantity=100'), 422, 'UNKNOWN_PRODUCT');
    expectError(await admin.post('/v1/orders', { customerId, product: 'face-teleport', quantity: 100 }), 422, 'UNKNOWN_PRODUCT');
    expectError(await admin.post('/v1/orders', { customerId, product: 'face-liveness', quantity: 100 }), 422, 'MODALITY_REQUIRED');
    expectError(await admin.post('/v1/trials', { customerId, product: 'face-recognition' }), 422, 'MODALITY_REQUIRED');
    expectError(await admin.post('/v1/orders', { customerId, product: 'face-detection', quantity: 49 }), 422, 'BELOW_MINIMUM');
    expectError(await admin.post('/v1/orders', { customerId, product: 'face-detection', quantity: 10_001 }), 422, 'NEGOTIATED_PRICE_REQUIRED');
    const negotiated = await admin.post('/v1/orders', { customerId, product: 'face-detection', quantity: 10_001, unitPrice: 40 });
    expect(negotiated.body).toMatchObject({ status: 'submitted', unitPrice: 40, total: 400_040, negotiated: true });
    expect((await anonymous.get('/v1/quote?product=face-recognition&quantity=1001')).body).toMatchObject({ tier: 2, unitPrice: 95, total: 95_095 });
  });

  it('NOT_SUBMITTED when an application is reviewed twice', async () => {
    const order = await issuer.post('/v1/orders', { customerId, product: 'face-detection', quantity: 60 });
    expect((await admin.post(`/v1/orders/${order.body.id}/reject`, { reason: 'no budget' })).body).toEqual({ id: order.body.id, status: 'rejected' });
    expectError(await admin.post(`/v1/orders/${order.body.id}/approve`), 409, 'NOT_SUBMITTED');
    expectError(await admin.post(`/v1/orders/${order.body.id}/reject`, { reason: 'twice' }), 409, 'NOT_SUBMITTED');
    const trial = await issuer.post('/v1/trials', { customerId, product: 'face-detection' });
    expect((await admin.post(`/v1/trials/${trial.body.id}/approve`)).status).toBe(200);
    expectError(await admin.post(`/v1/trials/${trial.body.id}/approve`), 409, 'NOT_SUBMITTED');
  });

  it('only one of two concurrent approvals creates a pool', async () => {
    const order = await issuer.post('/v1/orders', { customerId, product: 'face-detection', quantity: 60 });
    const answers = await Promise.all([1, 2, 3].map(() => admin.post(`/v1/orders/${order.body.id}/approve`)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    const pools = await admin.get(`/v1/pools?customerId=${customerId}&limit=500`);
    expect(pools.body.items.filter((p: { seats: number }) => p.seats === 60)).toHaveLength(1);
  });

  it('TRIAL_ALREADY_USED: one trial per customer and product', async () => {
    const other = (await admin.post('/v1/customers', { name: 'Trial twice' })).body.id;
    const first = await admin.post('/v1/trials', { customerId: other, product: 'face-liveness', modality: 'monocular' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'submitted', reviewDueAt: expect.any(String) });
    expectError(await admin.post('/v1/trials', { customerId: other, product: 'face-liveness', modality: 'ir' }), 409, 'TRIAL_ALREADY_USED');
    expect((await admin.post('/v1/trials', { customerId: other, product: 'face-detection' })).status).toBe(201);
  });

  it('activation errors: INVALID_ACTIVATION_CODE, UNSUPPORTED_PLATFORM, WEAK_FINGERPRINT', async () => {
    const { activationCode } = await approvedPool(server.url, server.adminToken);
    const fingerprint = deviceFingerprint('errors');
    expectError(await anonymous.post('/v1/activations', { activationCode: 'slac_wrong', platform: 'android', fingerprint }), 403, 'INVALID_ACTIVATION_CODE');
    expectError(await anonymous.post('/v1/activations', { activationCode, platform: 'windows', fingerprint }), 422, 'UNSUPPORTED_PLATFORM');
    // A board whose only "serial" is all zeros and whose MAC is Android's placeholder: no identity.
    const weak = buildFingerprint([
      { name: 'soc.serial', value: '0000000000000000' },
      { name: 'android.id', value: '9774d56d682e549c' },
      { name: 'net.mac.wlan0', value: '02:00:00:00:00:00' },
    ]);
    const refused = await anonymous.post('/v1/activations', { activationCode, platform: 'android', fingerprint: weak });
    expectError(refused, 422, 'WEAK_FINGERPRINT');
    expect(refused.body.error.message).toContain('emmc.cid');
  });

  it('never shows a stack trace or an activation code in an error', async () => {
    const { activationCode } = await approvedPool(server.url, server.adminToken);
    const res = await anonymous.post('/v1/activations', { activationCode, platform: 'windows', fingerprint: deviceFingerprint('leak') });
    expect(JSON.stringify(res.body)).not.toContain(activationCode);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js:\d+/);
  });
});
