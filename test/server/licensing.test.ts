import { ACTIVATION_REQUEST_ARMOR, armor, verifyLicense, writeActivationRequest } from '@seatlock/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/http';
import { approvedPool, deviceFingerprint, issuerToken } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

describe('licensing over HTTP', () => {
  let server: StartedServer;
  let admin: ReturnType<typeof client>;
  let anonymous: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startServer();
    admin = client(server.url, server.adminToken);
    anonymous = client(server.url);
  });
  afterAll(() => server?.stop());

  it('runs the loop: customer → order → approve → activate → a license that verifies against the trust root', async () => {
    const customer = await admin.post('/v1/customers', { name: 'Acme Devices' });
    expect(customer.status).toBe(201);
    const issuer = client(server.url, await issuerToken(server.url, server.adminToken));
    const order = await issuer.post('/v1/orders', { customerId: customer.body.id, product: 'face-recognition', modality: 'ir', quantity: 1000 });
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ status: 'submitted', unitPrice: 118, total: 118_000, currency: 'CNY' });
    expect(new Date(order.body.reviewDueAt).getTime()).toBeGreaterThan(Date.now());

    const approved = await admin.post(`/v1/orders/${order.body.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: order.body.id, status: 'approved', pool: { kind: 'perpetual', seats: 1000, seatsUsed: 0 } });
    const { activationCode, id: poolId } = approved.body.pool;
    expect(activationCode).toMatch(/^slac_[A-Za-z0-9_-]{43}$/);

    const fingerprint = deviceFingerprint('loop-device');
    const activation = await anonymous.post('/v1/activations', { activationCode, platform: 'android', fingerprint });
    expect(activation.status).toBe(201);
    expect(activation.body).toMatchObject({ deviceId: expect.any(String), seats: 1000, seatsUsed: 1 });

    const trust = await anonymous.get('/v1/trust');
    expect(trust.body.issuers).toHaveLength(1);
    const result = await verifyLicense(activation.body.license, { roots: trust.body.root, fingerprint, platform: 'android', feature: 'face.search-1toN' });
    expect(result).toMatchObject({ valid: true, status: 'VALID' });
    expect(result.license).toMatchObject({ sub: activation.body.deviceId, cus: customer.body.id, pool: poolId, kind: 'perpetual', modality: 'ir' });
    expect(result.license?.exp).toBeUndefined();

    // The pool never shows its code again.
    const pool = await admin.get(`/v1/pools/${poolId}`);
    expect(pool.body).toMatchObject({ seats: 1000, seatsUsed: 1 });
    expect(pool.body.activationCode).toBeUndefined();
    const device = await admin.get(`/v1/devices/${activation.body.deviceId}`);
    expect(device.body).toMatchObject({ poolId, customerId: customer.body.id, status: 'active', license: activation.body.license });
  });

  it('gives the same device its license again, also with a changed NIC, without a new seat', async () => {
    const { activationCode, poolId } = await approvedPool(server.url, server.adminToken);
    const first = await anonymous.post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint('same') });
    expect(first.status).toBe(201);
    const again = await anonymous.post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint('same', { mac: '00:1b:44:11:3a:b7' }) });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ deviceId: first.body.deviceId, license: first.body.license, seatsUsed: 1 });
    expect((await admin.get(`/v1/pools/${poolId}`)).body.seatsUsed).toBe(1);
  });

  it('binds exactly as many devices as seats under 500 concurrent activations', async () => {
    const { activationCode, poolId } = await approvedPool(server.url, server.adminToken, { quantity: 50 });
    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, i) => anonymous.post('/v1/activations', { activationCode, platform: 'hisilicon-dv300', fingerprint: deviceFingerprint(`race-${i}`) })),
    );
    const created = answers.filter((a) => a.status === 201);
    const exhausted = answers.filter((a) => a.status === 409 && a.body.error.code === 'SEATS_EXHAUSTED');
    expect(created).toHaveLength(50);
    expect(exhausted).toHaveLength(450);
    expect((await admin.get(`/v1/pools/${poolId}`)).body).toMatchObject({ seats: 50, seatsUsed: 50 });
    const devices = await admin.get(`/v1/devices?poolId=${poolId}&limit=500`);
    expect(devices.body.total).toBe(50);
    expect(new Set(created.map((a) => a.body.deviceId))).toEqual(new Set(devices.body.items.map((d: { id: string }) => d.id)));
  });

  it('takes one seat when the same device activates 20 times at once', async () => {
    const { activationCode, poolId } = await approvedPool(server.url, server.adminToken);
    const fingerprint = deviceFingerprint('twenty-times');
    const answers = await Promise.all(Array.from({ length: 20 }, () => anonymous.post('/v1/activations', { activationCode, platform: 'android', fingerprint })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(19);
    expect(new Set(answers.map((a) => a.body.deviceId)).size).toBe(1);
    expect(new Set(answers.map((a) => a.body.license)).size).toBe(1);
    expect((await admin.get(`/v1/pools/${poolId}`)).body.seatsUsed).toBe(1);
  });

  it('activates offline from a request file, with the same rules', async () => {
    const { activationCode, poolId } = await approvedPool(server.url, server.adminToken);
    const fingerprint = deviceFingerprint('offline');
    const requestFile = writeActivationRequest({ activationCode, platform: 'hisilicon-dv300', fingerprint });
    const first = await anonymous.post('/v1/activations/offline', requestFile);
    expect(first.status).toBe(201);
    expect(first.headers.get('content-type')).toContain('text/plain');
    expect(first.body).toContain('-----BEGIN SEATLOCK LICENSE-----');
    const trust = await anonymous.get('/v1/trust');
    expect((await verifyLicense(first.body, { roots: trust.body.root, fingerprint, platform: 'hisilicon-dv300' })).valid).toBe(true);
    // A second request file from the same device: the same license, no seat.
    const again = await anonymous.post('/v1/activations/offline', writeActivationRequest({ activationCode, platform: 'hisilicon-dv300', fingerprint }));
    expect(again.status).toBe(200);
    expect(again.body).toBe(first.body);
    expect((await admin.get(`/v1/pools/${poolId}`)).body.seatsUsed).toBe(1);

    const garbage = await anonymous.post('/v1/activations/offline', 'not a request');
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.code).toBe('INVALID_REQUEST');
    // A well-armored file whose body is JSON null, a number or a list is bad input, not a server fault.
    for (const body of ['null', '7', '[]']) {
      const odd = await anonymous.post('/v1/activations/offline', armor(ACTIVATION_REQUEST_ARMOR, Buffer.from(body).toString('base64')));
      expect(odd.status, body).toBe(400);
      expect(odd.body.error.code).toBe('INVALID_REQUEST');
    }
  });

  it('keeps the seat of a revoked device and refuses its re-activation', async () => {
    const { activationCode, poolId } = await approvedPool(server.url, server.adminToken);
    const fingerprint = deviceFingerprint('revoked');
    const first = await anonymous.post('/v1/activations', { activationCode, platform: 'android', fingerprint });
    const revoked = await admin.post(`/v1/devices/${first.body.deviceId}/revoke`, { reason: 'stolen' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    const again = await anonymous.post('/v1/activations', { activationCode, platform: 'android', fingerprint });
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('DEVICE_REVOKED');
    expect((await admin.get(`/v1/pools/${poolId}`)).body.seatsUsed).toBe(1);
  });

  it('pages lists as {items, total} with limit and offset', async () => {
    const names = ['Page A', 'Page B', 'Page C'];
    for (const name of names) await admin.post('/v1/customers', { name });
    const all = await admin.get('/v1/customers?limit=500');
    const total = all.body.total;
    expect(all.body.items).toHaveLength(total);
    const first = await admin.get(`/v1/customers?limit=2&offset=${total - 3}`);
    const rest = await admin.get(`/v1/customers?limit=2&offset=${total - 1}`);
    expect(first.body.total).toBe(total);
    expect(first.body.items).toHaveLength(2);
    expect(rest.body.items).toHaveLength(1);
    expect([...first.body.items, ...rest.body.items].map((c: { name: string }) => c.name).sort()).toEqual(names);
    expect((await admin.get(`/v1/customers?offset=${total}`)).body).toEqual({ items: [], total, nextCursor: null });
    const orders = await admin.get('/v1/orders?status=approved&limit=1');
    expect(orders.body.items).toHaveLength(1);
    expect(orders.body.total).toBeGreaterThan(1);
    expect(orders.body.items[0]).toMatchObject({ status: 'approved', poolId: expect.any(String) });
  });
});
