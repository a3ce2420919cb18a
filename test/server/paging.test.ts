import { buildFingerprint, parseLicense } from '@seatlock/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/http';
import { approvedPool } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

/** A board whose eMMC CID and MAC are derived from `n`, as raw values a customer could read off it. */
function board(n: number): { cid: string; fingerprint: ReturnType<typeof buildFingerprint> } {
  const cid = `150100524d4d${n.toString(16).padStart(20, '0')}`;
  return { cid, fingerprint: buildFingerprint([{ name: 'emmc.cid', value: cid }, { name: 'net.mac.eth0', value: `00:1a:2b:3c:4d:${n.toString(16).padStart(2, '0')}` }]) };
}

describe('paging by cursor, and finding a device', () => {
  let server: StartedServer;
  let admin: ReturnType<typeof client>;
  let pool: Awaited<ReturnType<typeof approvedPool>>;
  const devices: { id: string; licenseId: string; cid: string }[] = [];

  beforeAll(async () => {
    server = await startServer();
    admin = client(server.url, server.adminToken);
    pool = await approvedPool(server.url, server.adminToken, { quantity: 50 });
    for (let n = 1; n <= 7; n += 1) {
      const { cid, fingerprint } = board(n);
      const activation = await client(server.url).post('/v1/activations', { activationCode: pool.activationCode, platform: 'android', fingerprint });
      expect(activation.status).toBe(201);
      const device = await admin.get(`/v1/devices/${activation.body.deviceId}`);
      devices.push({ id: device.body.id, licenseId: device.body.licenseId, cid });
    }
    await admin.post(`/v1/devices/${devices[2].id}/revoke`, { reason: 'returned' });
  });
  afterAll(() => server?.stop());

  it('walks the devices by cursor in the order offset gives them, counting only the first page', async () => {
    const byOffset = await admin.get(`/v1/devices?poolId=${pool.poolId}&limit=50`);
    expect(byOffset.body).toMatchObject({ total: 7, nextCursor: null });
    const seen: string[] = [];
    let page = await admin.get(`/v1/devices?poolId=${pool.poolId}&limit=3`);
    expect(page.body.total).toBe(7);
    for (;;) {
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((d: { id: string }) => d.id));
      if (page.body.nextCursor === null) break;
      page = await admin.get(`/v1/devices?poolId=${pool.poolId}&limit=3&cursor=${page.body.nextCursor}`);
      expect(page.body.total).toBeNull();
    }
    expect(seen).toEqual(byOffset.body.items.map((d: { id: string }) => d.id));
    expect(seen).toEqual(devices.map((d) => d.id));
  });

  it('lists devices without their license texts, which a device read gives', async () => {
    const page = await admin.get(`/v1/devices?poolId=${pool.poolId}&limit=2`);
    expect(page.body.items).toHaveLength(2);
    for (const item of page.body.items) expect(item).not.toHaveProperty('license');
    const one = await admin.get(`/v1/devices/${page.body.items[0].id}`);
    expect(parseLicense(one.body.license).claims.sub).toBe(one.body.id);
  });

  it('filters devices by status and activation time', async () => {
    const revoked = await admin.get(`/v1/devices?poolId=${pool.poolId}&status=revoked`);
    expect(revoked.body.items.map((d: { id: string }) => d.id)).toEqual([devices[2].id]);
    const active = await admin.get(`/v1/devices?customerId=${pool.customerId}&status=active`);
    expect(active.body.total).toBe(6);
    // Counted from the pools' seats used, which the revoked device keeps.
    expect((await admin.get(`/v1/devices?customerId=${pool.customerId}`)).body.total).toBe(7);
    expect((await admin.get(`/v1/devices?poolId=${pool.poolId}&customerId=${pool.customerId}`)).body.total).toBe(7);
    const all = (await admin.get(`/v1/devices?poolId=${pool.poolId}`)).body.items as { id: string; activatedAt: string }[];
    const from = all[4].activatedAt;
    const later = await admin.get(`/v1/devices?poolId=${pool.poolId}&activatedFrom=${encodeURIComponent(from)}`);
    expect(later.body.items.map((d: { id: string }) => d.id)).toEqual(all.filter((d) => d.activatedAt >= from).map((d) => d.id));
    const before = await admin.get(`/v1/devices?poolId=${pool.poolId}&activatedBefore=${encodeURIComponent(from)}`);
    expect(before.body.items.map((d: { id: string }) => d.id)).toEqual(all.filter((d) => d.activatedAt < from).map((d) => d.id));
  });

  it('pages the other lists by cursor too', async () => {
    for (const list of ['/v1/pools', '/v1/orders', '/v1/trials', '/v1/customers', '/v1/audit', '/v1/tokens']) {
      const whole = await admin.get(`${list}?limit=500`);
      const first = await admin.get(`${list}?limit=1`);
      expect(first.body.nextCursor, list).toEqual(whole.body.items.length > 1 ? expect.any(String) : null);
      if (first.body.nextCursor === null) continue;
      const second = await admin.get(`${list}?limit=1&cursor=${first.body.nextCursor}`);
      expect(second.body.items, list).toEqual([whole.body.items[1]]);
    }
  });

  it('refuses a cursor it did not give, and a cursor with an offset', async () => {
    for (const query of ['cursor=bm90LWEtY3Vyc29y', 'cursor=WyJ4Il0', `cursor=${(await admin.get('/v1/devices?limit=1')).body.nextCursor}&offset=1`, 'cursor=a%2Bb']) {
      const answer = await admin.get(`/v1/devices?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.code).toBe('INVALID_REQUEST');
    }
  });

  it('finds a device by its id, its license id, or a hardware value read off the board', async () => {
    const target = devices[4];
    for (const search of [{ deviceId: target.id }, { licenseId: target.licenseId }, { component: 'emmc.cid', value: target.cid }, { component: 'emmc.cid', value: `  0x${target.cid.toUpperCase()}\n` }]) {
      const found = await admin.post('/v1/devices/search', search);
      expect(found.status, JSON.stringify(search)).toBe(200);
      expect(found.body.items.map((d: { id: string }) => d.id)).toEqual([target.id]);
    }
    expect((await admin.post('/v1/devices/search', { component: 'emmc.cid', value: board(99).cid })).status).toBe(404);
  });

  it('refuses a search that names nothing, two things, or a component devices are not indexed by', async () => {
    for (const search of [{}, { deviceId: devices[0].id, licenseId: devices[0].licenseId }, { value: devices[0].cid }, { component: 'net.mac.eth0', value: '00:1a:2b:3c:4d:01' }]) {
      const answer = await admin.post('/v1/devices/search', search);
      expect(answer.status, JSON.stringify(search)).toBe(400);
      expect(answer.body.error.code).toBe('INVALID_REQUEST');
    }
  });

  it("lets a customer find its own devices only", async () => {
    const other = await approvedPool(server.url, server.adminToken, { quantity: 50 });
    const mine = await admin.post('/v1/tokens', { role: 'customer', name: 'support', customerId: other.customerId });
    const customer = client(server.url, mine.body.token);
    expect((await customer.post('/v1/devices/search', { component: 'emmc.cid', value: devices[0].cid })).status).toBe(404);
    expect((await customer.post('/v1/devices/search', { deviceId: devices[0].id })).status).toBe(404);
  });
});
