import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../support/accounts';
import { client } from '../support/http';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

// Screens show customers, people, tokens and devices by name; the lists answer the names beside the ids.
describe('names in list answers, and searches by name and partial id', () => {
  let server: StartedServer;
  let admin: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startServer();
    admin = client(server.url, server.adminToken);
  });
  afterAll(() => server?.stop());

  it("answers the customer's and the submitter's names with applications, pools and audit events", async () => {
    const customerId = (await admin.post('/v1/customers', { name: 'Acme Cameras 深圳' })).body.id as string;
    const user = await createUser(server.url, server.adminToken, { email: 'buyer@names.example', role: 'customer', customerId });
    const buyer = await signIn(server.url, user.email);
    const trial = await buyer.post('/v1/trials', { product: 'face-detection' });
    const tokenSubmitter = (await admin.post('/v1/tokens', { role: 'issuer', name: 'Sales desk Shenzhen' })).body.token as string;
    const order = await client(server.url, tokenSubmitter).post('/v1/orders', { customerId, product: 'face-detection', quantity: 60 });

    expect((await admin.get(`/v1/trials/${trial.body.id}`)).body).toMatchObject({ customerName: 'Acme Cameras 深圳', submittedBy: `user:${user.id}`, submittedByName: 'buyer@names.example' });
    expect((await admin.get('/v1/orders')).body.items).toEqual([expect.objectContaining({ id: order.body.id, customerName: 'Acme Cameras 深圳', submittedByName: 'Sales desk Shenzhen' })]);
    const approved = await admin.post(`/v1/trials/${trial.body.id}/approve`);
    expect(approved.body.pool).toMatchObject({ customerName: 'Acme Cameras 深圳' });
    expect((await buyer.get('/v1/pools')).body.items).toEqual([expect.objectContaining({ customerId, customerName: 'Acme Cameras 深圳' })]);
    const events = (await admin.get('/v1/audit?limit=3')).body.items;
    expect(events[0]).toMatchObject({ action: 'trial.approved', actorName: expect.any(String), customerName: 'Acme Cameras 深圳' });
    expect(events.find((event: { action: string }) => event.action === 'order.submitted')).toMatchObject({ actorName: 'Sales desk Shenzhen' });
  });

  it('finds customers by part of their name in any case, taking % and _ literally', async () => {
    for (const name of ['Globex Sensors', 'GLOBEX Robotics', 'Initech 100%']) await admin.post('/v1/customers', { name });
    const names = async (search: string) => (await admin.get(`/v1/customers?search=${encodeURIComponent(search)}`)).body.items.map((c: { name: string }) => c.name);
    expect(await names('globex')).toEqual(['Globex Sensors', 'GLOBEX Robotics']);
    expect(await names('100%')).toEqual(['Initech 100%']);
    expect(await names('%')).toEqual(['Initech 100%']);
    expect(await names('_')).toEqual([]);
  });

  it('labels devices by a hash prefix, never the raw serial, and finds them by the start of their id', async () => {
    const { activationCode, poolId } = await approvedPool(server.url, server.adminToken, { trial: true });
    const fingerprint = deviceFingerprint('names-board');
    const activated = await client(server.url).post('/v1/activations', { activationCode, platform: 'android', fingerprint });
    const deviceId = activated.body.deviceId as string;
    const listed = (await admin.get(`/v1/devices?poolId=${poolId}`)).body.items[0];
    expect(listed).toMatchObject({ id: deviceId, hardwareLabel: `emmc.cid ${fingerprint.components['emmc.cid'].h.slice(0, 8)}` });
    const byPrefix = await admin.get(`/v1/devices?idPrefix=${deviceId.slice(0, 8).toUpperCase()}`);
    expect(byPrefix.body).toMatchObject({ total: 1, items: [{ id: deviceId }] });
    expect((await admin.get('/v1/devices?idPrefix=ffffffff-0000')).body).toMatchObject({ total: 0, items: [] });
    for (const bad of ['01a', '01a2%', 'zzzz']) expect((await admin.get(`/v1/devices?idPrefix=${encodeURIComponent(bad)}`)).status, bad).toBe(400);
  });
});
