import { verifyLicense } from '@seatlock/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../support/accounts';
import { client } from '../support/http';
import { colleagueToken, deviceFingerprint } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

describe("the customer's own purchase flow", () => {
  let server: StartedServer;
  let issuer: ReturnType<typeof client>;
  let admin: ReturnType<typeof client>;

  /** A new customer with a signed-in user of its own. */
  async function newCustomer(name: string) {
    const customerId = (await admin.post('/v1/customers', { name })).body.id as string;
    const user = await createUser(server.url, server.adminToken, { email: `${name.toLowerCase().replace(/\W+/g, '-')}@flow.example`, role: 'customer', customerId });
    return { customerId, session: await signIn(server.url, user.email) };
  }

  /** An answer's status and error code, as `422 BELOW_MINIMUM`. */
  async function codes(answer: Promise<{ status: number; body: { error?: { code: string } } }>) {
    const { status, body } = await answer;
    return `${status} ${body.error?.code}`;
  }

  beforeAll(async () => {
    server = await startServer();
    admin = client(server.url, server.adminToken);
    issuer = client(server.url, (await admin.post('/v1/tokens', { role: 'issuer', name: 'sales desk' })).body.token);
  });
  afterAll(() => server?.stop());

  it('applies for a trial, gets its code by changing it, activates three devices, downloads their licenses, and asks for a quoted purchase', async () => {
    const { customerId, session } = await newCustomer('Acme Cameras');
    const trial = await session.post('/v1/trials', { product: 'face-recognition', modality: 'ir' });
    expect(trial.status).toBe(201);
    expect(trial.body).toMatchObject({ customerId, status: 'submitted', reviewDueAt: expect.any(String) });

    const approved = await issuer.post(`/v1/trials/${trial.body.id}/approve`);
    expect(approved.status).toBe(200);
    expect((await session.get(`/v1/trials/${trial.body.id}`)).body).toMatchObject({ status: 'approved', poolId: approved.body.pool.id });
    const poolId = approved.body.pool.id as string;
    const shownToStaff = approved.body.pool.activationCode as string;

    // The customer never saw the code the approval showed staff: it gets one by changing it.
    const changed = await session.post(`/v1/pools/${poolId}/activation-code`);
    expect(changed.status).toBe(200);
    const { activationCode } = changed.body;
    expect(activationCode).toMatch(/^slac_/);
    expect(activationCode).not.toBe(shownToStaff);
    const withOldCode = await client(server.url).post('/v1/activations', { activationCode: shownToStaff, platform: 'android', fingerprint: deviceFingerprint('board-1') });
    expect(withOldCode.status).toBe(403);
    expect(withOldCode.body.error.code).toBe('INVALID_ACTIVATION_CODE');
    const audit = await session.get('/v1/audit?limit=3');
    expect(audit.body.items[0]).toMatchObject({ action: 'pool.activation-code-changed', subject: `pool:${poolId}` });
    expect(JSON.stringify(audit.body)).not.toContain(activationCode);

    const devices = [];
    for (const seed of ['board-1', 'board-2', 'board-3']) {
      const activation = await client(server.url).post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint(seed) });
      expect(activation.status).toBe(201);
      devices.push({ seed, ...activation.body });
    }
    const fourth = await client(server.url).post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint('board-4') });
    expect(fourth.body.error.code).toBe('SEATS_EXHAUSTED');
    expect((await session.get(`/v1/pools/${poolId}`)).body).toMatchObject({ kind: 'trial', seats: 3, seatsUsed: 3 });

    const trust = await client(server.url).get('/v1/trust');
    for (const device of devices) {
      const file = await session.get(`/v1/devices/${device.deviceId}/license`);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(file.body).toBe(device.license);
      const verdict = await verifyLicense(file.body, { roots: trust.body.root, fingerprint: deviceFingerprint(device.seed), platform: 'android', feature: 'face.search-1toN' });
      expect(verdict.valid).toBe(true);
      expect(verdict.license).toMatchObject({ sub: device.deviceId, cus: customerId, pool: poolId, kind: 'trial' });
    }
    const bundle = await session.get(`/v1/pools/${poolId}/licenses`);
    expect(bundle.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(bundle.body.match(/-----BEGIN SEATLOCK LICENSE-----/g)).toHaveLength(3);
    for (const device of devices) expect(bundle.body).toContain(device.license);

    const order = await session.post('/v1/orders', { product: 'face-recognition', quantity: 1000, modality: 'ir' });
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ customerId, status: 'submitted', quantity: 1000, tier: 1, unitPrice: 118, total: 118_000, currency: 'CNY' });
    expect((await session.get('/v1/orders')).body.items.map((o: { id: string }) => o.id)).toEqual([order.body.id]);
  });

  it('keeps the business rules and codes for a customer, who cannot review, price, revoke or see keys, tokens and users', async () => {
    const { session } = await newCustomer('Rules Ltd');
    const other = (await admin.post('/v1/customers', { name: 'Other Ltd' })).body.id;
    expect(await codes(session.post('/v1/orders', { product: 'face-detection', quantity: 10 }))).toBe('422 BELOW_MINIMUM');
    expect(await codes(session.post('/v1/orders', { product: 'face-liveness', quantity: 100 }))).toBe('422 MODALITY_REQUIRED');
    expect(await codes(session.post('/v1/orders', { product: 'face-unknown', quantity: 100 }))).toBe('422 UNKNOWN_PRODUCT');
    expect(await codes(session.post('/v1/orders', { product: 'face-detection', quantity: 100, customerId: other }))).toBe('404 NOT_FOUND');
    expect(await codes(session.post('/v1/trials', { product: 'face-detection', customerId: other }))).toBe('404 NOT_FOUND');
    expect(await codes(session.post('/v1/orders', { product: 'face-detection', quantity: 20_000, unitPrice: 1 }))).toBe('403 FORBIDDEN');
    const order = await session.post('/v1/orders', { product: 'face-detection', quantity: 100 });
    expect(await codes(session.post(`/v1/orders/${order.body.id}/approve`))).toBe('403 FORBIDDEN');
    expect(await codes(session.post(`/v1/orders/${order.body.id}/reject`))).toBe('403 FORBIDDEN');
    expect(await codes(session.post('/v1/customers', { name: 'Self-made' }))).toBe('403 FORBIDDEN');
    expect(await codes(session.get('/v1/users'))).toBe('403 FORBIDDEN');
    expect(await codes(session.get('/v1/audit/verify'))).toBe('403 FORBIDDEN');
    const device = (await admin.get('/v1/devices')).body.items[0];
    expect(await codes(session.post(`/v1/devices/${device.id}/revoke`))).toBe('403 FORBIDDEN');
  });

  it('submits an order above 10,000 devices without a price; only an admin enters the negotiated one, and another admin approves it', async () => {
    const { session } = await newCustomer('Volume Buyer');
    const order = await session.post('/v1/orders', { product: 'face-detection', quantity: 20_000 });
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ status: 'submitted', quantity: 20_000, tier: 4, unitPrice: null, total: null, negotiated: true });
    const byIssuer = await issuer.post(`/v1/orders/${order.body.id}/approve`, { unitPrice: 40 });
    expect(byIssuer.body.error.code).toBe('FORBIDDEN');
    const unpriced = await admin.post(`/v1/orders/${order.body.id}/approve`);
    expect(unpriced.body.error.code).toBe('NEGOTIATED_PRICE_REQUIRED');
    const priced = await admin.post(`/v1/orders/${order.body.id}/approve`, { unitPrice: 40 });
    expect(priced.body).toEqual({ id: order.body.id, status: 'submitted' });
    expect((await session.get(`/v1/orders/${order.body.id}`)).body).toMatchObject({ status: 'submitted', unitPrice: 40, total: 800_000 });
    expect((await admin.post(`/v1/orders/${order.body.id}/approve`)).body.error.code).toBe('FORBIDDEN');
    const approved = await client(server.url, await colleagueToken(server.url, server.adminToken, 'admin')).post(`/v1/orders/${order.body.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.pool).toMatchObject({ kind: 'perpetual', seats: 20_000 });
    expect((await session.get(`/v1/orders/${order.body.id}`)).body).toMatchObject({ status: 'approved', unitPrice: 40, total: 800_000 });
    const listed = await session.post('/v1/orders', { product: 'face-detection', quantity: 100 });
    const repriced = await admin.post(`/v1/orders/${listed.body.id}/approve`, { unitPrice: 40 });
    expect(repriced.body.error.code).toBe('INVALID_REQUEST');
  });

  it('does not count a rejected trial application as the trial; a pending or approved one does', async () => {
    const { session } = await newCustomer('Second Chance');
    const first = await session.post('/v1/trials', { product: 'face-detection' });
    expect(first.status).toBe(201);
    const whilePending = await session.post('/v1/trials', { product: 'face-detection' });
    expect(whilePending.status).toBe(409);
    expect(whilePending.body.error.code).toBe('TRIAL_ALREADY_USED');
    expect((await issuer.post(`/v1/trials/${first.body.id}/reject`, { reason: 'incomplete application' })).status).toBe(200);
    const second = await session.post('/v1/trials', { product: 'face-detection' });
    expect(second.status).toBe(201);
    expect((await issuer.post(`/v1/trials/${second.body.id}/approve`)).status).toBe(200);
    const third = await session.post('/v1/trials', { product: 'face-detection' });
    expect(third.body.error.code).toBe('TRIAL_ALREADY_USED');
    const trials = await session.get('/v1/trials');
    expect(trials.body.items.map((t: { status: string }) => t.status)).toEqual(['rejected', 'approved']);
  });

  it('refuses a rejection without a reason (400), and shows the customer the reason it was given', async () => {
    const { session } = await newCustomer('Reasoned Buyer');
    const trial = await session.post('/v1/trials', { product: 'face-liveness', modality: 'ir' });
    const order = await session.post('/v1/orders', { product: 'face-detection', quantity: 60 });
    for (const [kind, id] of [['trials', trial.body.id], ['orders', order.body.id]] as const) {
      for (const body of [undefined, {}, { reason: '' }, { reason: '   ' }, { reason: null }]) {
        expect(await codes(issuer.post(`/v1/${kind}/${id}/reject`, body)), JSON.stringify(body)).toBe('400 INVALID_REQUEST');
      }
      expect((await session.get(`/v1/${kind}/${id}`)).body).toMatchObject({ status: 'submitted', decisionReason: null });
      expect((await issuer.post(`/v1/${kind}/${id}/reject`, { reason: '  Not a camera maker we can license yet.  ' })).status).toBe(200);
      expect((await session.get(`/v1/${kind}/${id}`)).body).toMatchObject({ status: 'rejected', decisionReason: 'Not a camera maker we can license yet.' });
    }
    const listed = await session.get('/v1/orders');
    expect(listed.body.items[0]).toMatchObject({ status: 'rejected', decisionReason: 'Not a camera maker we can license yet.' });
    const audit = (await admin.get('/v1/audit?limit=1')).body.items[0];
    expect(audit).toMatchObject({ action: 'order.rejected', data: { reason: 'Not a camera maker we can license yet.' } });
  });

  it('takes a negotiated price in fen (39.50 CNY is 3950) and answers every amount in exact fen, with CNY beside it', async () => {
    const { session } = await newCustomer('Fen Buyer');
    const order = await session.post('/v1/orders', { product: 'face-recognition', modality: 'ir', quantity: 20_000 });
    expect(await codes(admin.post(`/v1/orders/${order.body.id}/approve`, { unitPrice: 39, unitPriceFen: 3950 }))).toBe('400 INVALID_REQUEST');
    expect(await codes(admin.post(`/v1/orders/${order.body.id}/approve`, { unitPriceFen: 39.5 }))).toBe('400 INVALID_REQUEST');
    expect((await admin.post(`/v1/orders/${order.body.id}/approve`, { unitPriceFen: 3950 })).status).toBe(200);
    expect((await session.get(`/v1/orders/${order.body.id}`)).body).toMatchObject({ unitPriceFen: 3950, totalFen: 79_000_000, unitPrice: 39.5, total: 790_000 });
    expect((await client(server.url).get('/v1/quote?product=face-recognition&quantity=20000&unitPriceFen=3950')).body).toMatchObject({ unitPriceFen: 3950, totalFen: 79_000_000 });
    expect((await client(server.url).get('/v1/quote?product=face-recognition&quantity=1000')).body).toMatchObject({ unitPriceFen: 11_800, totalFen: 11_800_000, total: 118_000 });
  });
});
