import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookReceiver } from '../../server/src/spec-support/webhook-receiver';
import { client } from '../support/http';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { type StartedServer, startInstance } from '../support/server';

const ORDERS = 60;

/** Two instances on one database both deliver the outbox: each event once (normal case), in order per endpoint. */
describe('outbox deliveries from two PostgreSQL instances', { timeout: 180_000 }, () => {
  let database: TestDatabase;
  let a: StartedServer;
  let b: StartedServer;
  const receivers = [new WebhookReceiver(), new WebhookReceiver(), new WebhookReceiver()];
  const env = { SEATLOCK_WEBHOOK_ALLOW_PRIVATE: '1', SEATLOCK_OUTBOX_POLL_MS: '50', SEATLOCK_RATE_LIMIT_FAILURES: '1000' };

  beforeAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.start()));
    database = await createTestDatabase();
    a = await startInstance(database.url, { env });
    b = await startInstance(database.url, { env, adminToken: a.adminToken });
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
    await Promise.all(receivers.map((receiver) => receiver.stop()));
  });

  it('delivers each event once per endpoint, in the order of the changes, whichever instance wrote it', async () => {
    const endpoints: string[] = [];
    for (const receiver of receivers) {
      // Slow answers, so both instances poll while deliveries are in flight.
      receiver.usual = { status: 200, delayMs: 20 };
      endpoints.push((await client(a.url, a.adminToken).post('/v1/webhooks', { url: receiver.url, eventTypes: ['order.submitted'] })).body.id);
    }
    const customer = await client(a.url, a.adminToken).post('/v1/customers', { name: 'Two instances' });
    const submitted: string[] = [];
    for (let i = 0; i < ORDERS; i += 1) {
      const server = i % 2 === 0 ? a : b;
      const order = await client(server.url, a.adminToken).post('/v1/orders', { customerId: customer.body.id, product: 'face-detection', quantity: 50 });
      expect(order.status).toBe(201);
      submitted.push(order.body.id);
    }
    const total = () => receivers.reduce((sum, receiver) => sum + receiver.received.length, 0);
    await expect.poll(total, { timeout: 60_000 }).toBe(ORDERS * receivers.length);
    // A second delivery of anything would show up in this time.
    await new Promise((done) => setTimeout(done, 1000));
    expect(total()).toBe(ORDERS * receivers.length);
    for (const receiver of receivers) expect(receiver.received.map((r) => r.json.data.orderId)).toEqual(submitted);
    for (const id of endpoints) {
      const log = (await client(b.url, a.adminToken).get(`/v1/webhooks/${id}/deliveries?limit=500`)).body.items;
      expect(log.map((d: { attempts: number }) => d.attempts)).toEqual(Array(ORDERS).fill(1));
    }
  });
});
