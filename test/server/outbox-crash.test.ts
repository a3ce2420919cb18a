import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookReceiver } from '../../server/src/spec-support/webhook-receiver';
import { client } from '../support/http';
import { type StartedServer, startServer } from '../support/server';

const ROUNDS = 10;
const ORDERS_PER_ROUND = 3;

/**
 * The server is killed (SIGKILL) while a webhook request is in flight, ten times: every event
 * reaches the receiver at least once, and in the order of the changes.
 */
describe('outbox deliveries across SIGKILL', { timeout: 600_000 }, () => {
  const receiver = new WebhookReceiver();
  let server: StartedServer | undefined;
  const env = {
    SEATLOCK_WEBHOOK_ALLOW_PRIVATE: '1',
    SEATLOCK_OUTBOX_POLL_MS: '100',
    SEATLOCK_OUTBOX_RETRY_BASE_MS: '200',
    // A lease then lasts 7 s: on PostgreSQL a killed instance's delivery is taken again after it.
    SEATLOCK_WEBHOOK_TIMEOUT_SECONDS: '1',
  };

  beforeAll(async () => {
    await receiver.start();
    // Each request is answered after 300 ms: the kill lands while one is in flight.
    receiver.usual = { status: 200, delayMs: 300 };
  });
  afterAll(async () => {
    await server?.stop();
    await receiver.stop();
  });

  it(`loses no event over ${ROUNDS} kills mid-delivery`, async () => {
    server = await startServer({ env });
    const first = server;
    const admin = () => client(server!.url, first.adminToken);
    expect((await admin().post('/v1/webhooks', { url: receiver.url, eventTypes: ['order.submitted'] })).status).toBe(201);
    const customer = await admin().post('/v1/customers', { name: 'Crash' });
    const submitted: string[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const seen = receiver.received.length;
      for (let i = 0; i < ORDERS_PER_ROUND; i += 1) {
        const order = await admin().post('/v1/orders', { customerId: customer.body.id, product: 'face-detection', quantity: 50 });
        expect(order.status).toBe(201);
        submitted.push(order.body.id);
      }
      await expect.poll(() => receiver.received.length, { interval: 5 }).toBeGreaterThan(seen);
      // The request that arrived last is still waiting for its answer when the server dies.
      await server.kill('SIGKILL');
      server = await startServer({ dataDir: first.dataDir, adminToken: first.adminToken, env: { ...env, ...first.storageEnv } });
    }
    const ids = () => receiver.received.map((r) => r.json.data.orderId as string);
    await expect.poll(() => new Set(ids()).size, { timeout: 120_000 }).toBe(submitted.length);
    // In order: the first arrival of each event follows the order of the changes.
    expect([...new Set(ids())]).toEqual(submitted);
    const again = ids().length - submitted.length;
    process.stdout.write(`${ROUNDS} kills in flight: ${submitted.length} events, ${ids().length} requests, ${again} sent again after a kill\n`);
    expect(again).toBeGreaterThanOrEqual(1);
  });
});
