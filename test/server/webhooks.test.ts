import { writeActivationRequest } from '@seatlock/shared';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookReceiver } from '../../server/src/spec-support/webhook-receiver';
import { runAdmin } from '../support/admin';
import { client, request } from '../support/http';
import { approvedPool, deviceFingerprint, issuerToken } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

const METRICS_TOKEN = 'metrics-scraper-token-0123456789';

const verify = (secret: string, request: WebhookReceiver['received'][number]) => new Webhook(secret).verify(request.body, request.headers as Record<string, string>);

describe('webhook endpoints refuse loopback targets unless private targets are allowed', () => {
  let server: StartedServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it.each(['http://127.0.0.1:9/hook', 'http://[::1]:9/hook', 'http://localhost:9/hook', 'http://127.1.2.3/hook', 'http://[::ffff:127.0.0.1]/hook', 'http://0.0.0.0:9/'])('refuses %s', async (url) => {
    const made = await client(server.url, server.adminToken).post('/v1/webhooks', { url, eventTypes: ['order.submitted'] });
    expect(made.status).toBe(400);
    expect(made.body.error.message).toMatch(/loopback, private or link-local/);
  });

  it('refuses other schemes, credentials in the URL, unknown event types, and every role but admin', async () => {
    const admin = client(server.url, server.adminToken);
    expect((await admin.post('/v1/webhooks', { url: 'file:///etc/passwd', eventTypes: ['order.submitted'] })).status).toBe(400);
    expect((await admin.post('/v1/webhooks', { url: 'https://user:pass@example.com/', eventTypes: ['order.submitted'] })).status).toBe(400);
    expect((await admin.post('/v1/webhooks', { url: 'https://example.com/', eventTypes: ['order.everything'] })).status).toBe(400);
    const issuer = await issuerToken(server.url, server.adminToken);
    expect((await client(server.url, issuer).get('/v1/webhooks')).status).toBe(403);
  });
});

describe('webhooks delivered to a receiver on loopback (SEATLOCK_WEBHOOK_ALLOW_PRIVATE)', { timeout: 180_000 }, () => {
  let server: StartedServer;
  const receiver = new WebhookReceiver();
  const elsewhere = new WebhookReceiver();
  const admin = () => client(server.url, server.adminToken);

  beforeAll(async () => {
    await Promise.all([receiver.start(), elsewhere.start()]);
    server = await startServer({
      env: {
        SEATLOCK_WEBHOOK_ALLOW_PRIVATE: '1',
        SEATLOCK_OUTBOX_POLL_MS: '100',
        SEATLOCK_OUTBOX_RETRY_BASE_MS: '200',
        SEATLOCK_WEBHOOK_TIMEOUT_SECONDS: '2',
        SEATLOCK_RATE_LIMIT_FAILURES: '1000',
        SEATLOCK_METRICS_TOKEN: METRICS_TOKEN,
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await Promise.all([receiver.stop(), elsewhere.stop()]);
  });

  const received = (type: string) => receiver.received.filter((r) => r.json.type === type);

  it('signs each event (Standard Webhooks), in the order of the changes, retries a 500, keeps the secret out of every answer but the first, and rotates it with an overlap', async () => {
    const made = await admin().post('/v1/webhooks', { url: receiver.url, eventTypes: ['order.submitted', 'order.approved', 'pool.created'] });
    expect(made.status).toBe(201);
    const { id, secret } = made.body;
    expect(secret).toMatch(/^whsec_/);
    expect(JSON.stringify((await admin().get(`/v1/webhooks/${id}`)).body)).not.toContain(secret.slice(6));
    expect(JSON.stringify((await admin().get('/v1/webhooks')).body)).not.toContain(secret.slice(6));

    receiver.answerNext({ status: 500, body: 'busy' });
    const { applicationId, poolId } = await approvedPool(server.url, server.adminToken);
    await expect.poll(() => receiver.received.length).toBeGreaterThanOrEqual(4);
    // The 500 was answered to the first request; the same message came again, then the rest, in order.
    expect(receiver.received.map((r) => r.json.type)).toEqual(['order.submitted', 'order.submitted', 'order.approved', 'pool.created']);
    expect(receiver.received[0].headers['webhook-id']).toBe(receiver.received[1].headers['webhook-id']);
    for (const request of receiver.received) verify(secret, request);
    expect(received('order.approved')[0].json.data).toMatchObject({ orderId: applicationId, poolId });
    expect(received('pool.created')[0].json.data).toMatchObject({ poolId, seats: 50, kind: 'perpetual' });

    // The receiver holds the last request a moment before the server has recorded its answer.
    const deliveries = async () => (await admin().get(`/v1/webhooks/${id}/deliveries`)).body.items;
    await expect.poll(async () => (await deliveries()).map((d: any) => [d.type, d.status, d.attempts])).toEqual([
      ['pool.created', 'delivered', 1],
      ['order.approved', 'delivered', 1],
      ['order.submitted', 'delivered', 2],
    ]);

    const rotated = await admin().post(`/v1/webhooks/${id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(secret);
    const before = receiver.received.length;
    const again = await admin().post(`/v1/webhooks/${id}/deliveries/${(await deliveries())[0].id}/send-again`);
    expect(again.status).toBe(201);
    await expect.poll(() => receiver.received.length).toBe(before + 1);
    // During the overlap both secrets sign: receivers switch when they are ready.
    verify(rotated.body.secret, receiver.received[before]);
    verify(secret, receiver.received[before]);
    expect((await admin().delete(`/v1/webhooks/${id}`)).status).toBe(204);
  });

  it('does not follow a redirect, even to another loopback port', async () => {
    const made = await admin().post('/v1/webhooks', { url: receiver.url, eventTypes: ['trial.submitted'] });
    receiver.answerNext({ status: 307, headers: { location: elsewhere.url } });
    const customer = await admin().post('/v1/customers', { name: 'Redirected' });
    const issuer = await issuerToken(server.url, server.adminToken);
    expect((await client(server.url, issuer).post('/v1/trials', { customerId: customer.body.id, product: 'face-detection' })).status).toBe(201);
    await expect.poll(async () => (await admin().get(`/v1/webhooks/${made.body.id}/deliveries`)).body.items[0]?.answerStatus).toBe(307);
    const [delivery] = (await admin().get(`/v1/webhooks/${made.body.id}/deliveries`)).body.items;
    expect(delivery.error).toMatch(/redirects are not followed/);
    expect(elsewhere.received).toHaveLength(0);
    expect((await admin().delete(`/v1/webhooks/${made.body.id}`)).status).toBe(204);
  });

  // 10,000 activations took 13 s on SQLite on an idle machine and 160 to 185 s on PostgreSQL with the machine's load near 10.
  it('a 10,000-device factory run is a few dozen device.activated requests, with the pool at 80 % and 100 %', { timeout: 600_000 }, async () => {
    const made = await admin().post('/v1/webhooks', { url: receiver.url, eventTypes: ['device.activated', 'pool.nearly_full', 'pool.full'] });
    const { activationCode, poolId } = await approvedPool(server.url, server.adminToken, { quantity: 10_000 });
    const start = receiver.received.length;
    const started = Date.now();
    for (let batch = 0; batch < 10; batch += 1) {
      const body = Array.from({ length: 1000 }, (_, i) => writeActivationRequest({ activationCode, platform: 'android', fingerprint: deviceFingerprint(`factory-${batch}-${i}`) })).join('');
      const answer = await client(server.url).post('/v1/activations/batch', body);
      expect(answer.body.created, JSON.stringify(answer.body).slice(0, 300)).toBe(1000);
    }
    const activated = () => receiver.received.slice(start).filter((r) => r.json.type === 'device.activated');
    await expect.poll(() => activated().reduce((sum, r) => sum + r.json.data.devices.length, 0), { timeout: 60_000 }).toBe(10_000);
    const requests = activated().length;
    // One request per pool per second of activations (a pool.* event between two activations of a second splits it).
    const seconds = new Set(activated().map((r) => r.json.timestamp.slice(0, 19))).size;
    process.stdout.write(`10,000 activations in ${((Date.now() - started) / 1000).toFixed(1)} s: ${requests} device.activated requests over ${seconds} distinct seconds\n`);
    expect(requests).toBeLessThanOrEqual(seconds + 2);
    expect(new Set(activated().flatMap((r) => r.json.data.devices.map((d: any) => d.deviceId))).size).toBe(10_000);
    await expect.poll(() => receiver.received.slice(start).filter((r) => r.json.type.startsWith('pool.')).map((r) => [r.json.type, r.json.data.poolId])).toEqual([
      ['pool.nearly_full', poolId],
      ['pool.full', poolId],
    ]);
    expect((await admin().delete(`/v1/webhooks/${made.body.id}`)).status).toBe(204);
  });

  it('/metrics shows delivery results, the backlog and the age of its oldest delivery', async () => {
    const failing = new WebhookReceiver();
    await failing.start();
    failing.usual = { status: 500 };
    const made = await admin().post('/v1/webhooks', { url: failing.url, eventTypes: ['order.submitted'] });
    const customer = await admin().post('/v1/customers', { name: 'Metrics' });
    await admin().post('/v1/orders', { customerId: customer.body.id, product: 'face-detection', quantity: 50 });
    await expect.poll(() => failing.received.length).toBeGreaterThanOrEqual(2);
    const scrape = async () => {
      const text = (await request(server.url, 'GET', '/metrics', { token: METRICS_TOKEN })).body as string;
      return (name: string) => Number(/^(\S+) (\S+)$/m.exec(text.split('\n').filter((line) => line.startsWith(`${name} `)).join('\n'))?.[2]);
    };
    const value = await scrape();
    expect(value('seatlock_outbox_pending')).toBeGreaterThanOrEqual(1);
    expect(value('seatlock_outbox_oldest_pending_seconds')).toBeGreaterThan(0);
    expect(value('seatlock_outbox_deliveries_total{channel="webhook",result="failed"}')).toBeGreaterThanOrEqual(2);
    expect(value('seatlock_outbox_deliveries_total{channel="webhook",result="delivered"}')).toBeGreaterThanOrEqual(4);
    expect((await admin().delete(`/v1/webhooks/${made.body.id}`)).status).toBe(204);
    await failing.stop();
    await expect.poll(async () => (await scrape())('seatlock_outbox_pending')).toBe(0);
  });

  it('is managed from seatlock-admin too, and a change made there is delivered by the server', async () => {
    const cli = (args: string[], env: Record<string, string> = { SEATLOCK_WEBHOOK_ALLOW_PRIVATE: '1' }) => runAdmin(args, { ...server.storageEnv, ...env });
    const refused = await cli(['webhooks', 'create', '--url', receiver.url, '--events', 'customer.created'], {});
    expect(refused.code).toBe(1);
    expect((await cli(['webhooks', 'create', '--url', receiver.url, '--events', 'order.rejected'], {})).stderr).toMatch(/loopback, private or link-local/);
    const made = await cli(['webhooks', 'create', '--url', receiver.url, '--events', 'order.submitted,order.rejected']);
    expect(made.code, made.stderr).toBe(0);
    const { id, secret } = JSON.parse(made.stdout);
    const customer = JSON.parse((await cli(['customers', 'create', '--name', 'From the terminal'])).stdout);
    const order = JSON.parse((await cli(['orders', 'submit', '--customer', customer.id, '--product', 'face-detection', '--quantity', '50'])).stdout);
    await expect.poll(() => receiver.received.filter((r) => r.json.data.orderId === order.id).length).toBe(1);
    verify(secret, receiver.received.find((r) => r.json.data.orderId === order.id)!);
    const deliveries = JSON.parse((await cli(['webhooks', 'deliveries', id])).stdout).items;
    expect(deliveries[0]).toMatchObject({ type: 'order.submitted', status: 'delivered', attempts: 1, answerStatus: 200 });
    const rotated = JSON.parse((await cli(['webhooks', 'rotate-secret', id])).stdout);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(JSON.parse((await cli(['webhooks', 'update', id, '--disable'])).stdout).status).toBe('disabled');
    expect((await cli(['webhooks', 'delete', id])).code).toBe(0);
  });
});
