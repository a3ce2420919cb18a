import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/http';
import { approvedPool, deviceFingerprint, issuerToken } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

/** Names and reasons are what staff read in the console and the audit log: one rule (shared's humanText) for all of them. */
describe('names and reasons people type', () => {
  let server: StartedServer;
  let admin: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startServer();
    admin = client(server.url, server.adminToken);
  });
  afterAll(() => server.stop());

  it('are stored as NFC and trimmed', async () => {
    const created = await admin.post('/v1/customers', { name: '  Cafe\u0301 Devices ' });
    expect(created.status).toBe(201);
    expect(created.body.name).toBe('Café Devices');
    const token = await admin.post('/v1/tokens', { role: 'auditor', name: ' night\u0020shift ' });
    expect(token.body.name).toBe('night shift');
    expect((await admin.post('/v1/users', { email: 'nfc@typed-text.example', role: 'auditor', name: ' Zoe\u0308 ' })).status).toBe(201);
    const people = (await admin.get('/v1/users?limit=100')).body.items as { email: string; name: string | null }[];
    expect(people.find((person) => person.email === 'nfc@typed-text.example')?.name).toBe('Zoë');
  });

  it.each([
    ['a bidirectional override', 'Acme \u202Eexe.fdp'],
    ['a control character', 'Acme\u0000Ltd'],
    ['a line break', 'Acme\nLtd'],
    ['an unpaired surrogate', 'Acme \ud800'],
  ])("refuse %s in a customer name, a token name, a person's name, a reject reason and a revoke reason", async (_, text) => {
    for (const res of [
      await admin.post('/v1/customers', { name: text }),
      await admin.post('/v1/tokens', { role: 'auditor', name: text }),
      await admin.post('/v1/users', { email: 'refused@typed-text.example', role: 'auditor', name: text }),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('INVALID_REQUEST');
    }
    const customer = await admin.post('/v1/customers', { name: 'Reasons Ltd' });
    const order = await client(server.url, await issuerToken(server.url, server.adminToken)).post('/v1/orders', { customerId: customer.body.id, product: 'face-detection', quantity: 50 });
    const rejected = await admin.post(`/v1/orders/${order.body.id}/reject`, { reason: text });
    expect(rejected.status).toBe(400);
    expect((await admin.get(`/v1/orders/${order.body.id}`)).body.status).toBe('submitted');

    const { activationCode } = await approvedPool(server.url, server.adminToken);
    const device = await client(server.url).post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint(`typed-${text.length}-${Math.random()}`) });
    const revoked = await admin.post(`/v1/devices/${device.body.deviceId}/revoke`, { reason: text });
    expect(revoked.status).toBe(400);
    expect((await admin.get(`/v1/devices/${device.body.deviceId}`)).body.status).toBe('active');
  });
});
