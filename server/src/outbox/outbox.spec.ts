import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import { UsersService } from '../auth/users.service';
import { loadConfig } from '../config/config';
import { Database } from '../database/database.service';
import { ManualClock } from '../spec-support';
import { appForSpec } from '../spec-support/app';
import { WebhookReceiver } from '../spec-support/webhook-receiver';
import { newWebhookSecret } from '../webhooks/signature';
import { WebhooksService } from '../webhooks/webhooks.service';
import { GIVE_UP_MS, OutboxService } from './outbox.service';
import { OutboxWorker } from './outbox.worker';

const ADMIN = 'spec-admin-token-0123456789';
const RETRY_BASE_MS = 10_000;

/**
 * The outbox in one process on a clock the spec moves, delivering to a real HTTP receiver on
 * loopback. The worker's own loop is stopped: the spec runs its rounds, so timing is the clock's.
 */
describe('outbox and webhook deliveries', () => {
  // Near the real time: the reference verifier refuses timestamps more than 5 minutes off.
  const clock = new ManualClock(new Date());
  const receiver = new WebhookReceiver();
  // Admins hear by e-mail of an endpoint disabled after days of failures.
  const inbox: { to: string; subject: string }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      simpleParser(stream).then((parsed) => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: parsed.subject ?? '' });
        callback();
      }, callback);
    },
  });
  let app: NestFastifyApplication;
  let db: Database;
  let audit: AuditService;
  let outbox: OutboxService;
  let worker: OutboxWorker;
  let webhooks: WebhooksService;

  beforeAll(async () => {
    await receiver.start();
    await new Promise<void>((done) => smtp.listen(0, '127.0.0.1', done));
    const config = loadConfig({
      SEATLOCK_SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
      SEATLOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'seatlock-spec-')),
      SEATLOCK_ADMIN_TOKEN: ADMIN,
      LOG_LEVEL: 'warn',
      SEATLOCK_WEBHOOK_ALLOW_PRIVATE: '1',
      SEATLOCK_OUTBOX_RETRY_BASE_MS: String(RETRY_BASE_MS),
      SEATLOCK_WEBHOOK_TIMEOUT_SECONDS: '1',
      SEATLOCK_WEBHOOK_DISABLE_AFTER_DAYS: '4',
    });
    app = await appForSpec(clock, config);
    worker = app.get(OutboxWorker);
    await worker.onApplicationShutdown();
    db = app.get(Database);
    audit = app.get(AuditService);
    outbox = app.get(OutboxService);
    webhooks = app.get(WebhooksService);
    const users = app.get(UsersService);
    const { invite } = await users.inviteUser({ email: 'ops@vendor.example', role: 'admin' }, 'spec');
    await users.acceptInvite(invite, 'a long enough password', '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await receiver.stop();
    await new Promise((done) => smtp.close(() => done(undefined)));
  });

  let endpoints: string[] = [];
  afterEach(async () => {
    for (const id of endpoints) await webhooks.deleteEndpoint(id, 'spec');
    endpoints = [];
    receiver.received.length = 0;
  });

  const endpoint = async (eventTypes: string[]) => {
    const made = await webhooks.createEndpoint({ url: receiver.url, eventTypes }, 'spec');
    endpoints.push(made.id);
    return made;
  };
  const submitted = (id: string) => ({ action: 'order.submitted', actor: 'spec', subject: `order:${id}`, customerId: 'c1', data: { customerId: 'c1', product: 'p', quantity: 50 } });
  /** Rounds until one takes nothing. */
  const drain = async () => {
    while ((await worker.round()) > 0);
  };
  const pending = async (recipient: string) =>
    db.read(async (m) => (await db.execute(m, `SELECT id, attempts, next_attempt_at, status FROM outbox_deliveries WHERE recipient = ? AND status = 'pending' ORDER BY id`, [recipient])).rows);

  it('sends a committed change, signed (Standard Webhooks reference verifier), and nothing for a rolled-back one', async () => {
    const { id, secret } = await endpoint(['order.submitted']);
    await expect(
      db.write(async (manager) => {
        await audit.append(manager, [submitted('rolled-back')]);
        throw new Error('the change fails after its event was written');
      }),
    ).rejects.toThrow('the change fails');
    await db.write((manager) => audit.append(manager, [submitted('kept')]));
    await drain();
    expect(receiver.received.map((r) => r.json.data.orderId)).toEqual(['kept']);
    const [request] = receiver.received;
    const verified = new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as { type: string };
    expect(verified.type).toBe('order.submitted');
    expect(() => new Webhook(newWebhookSecret()).verify(request.body, request.headers as Record<string, string>)).toThrow();
    const [log] = await webhooks.listDeliveries(id);
    expect(log).toMatchObject({ status: 'delivered', attempts: 1, answerStatus: 200, type: 'order.submitted' });
  });

  it('retries with exponential back-off and jitter on the clock, in order per recipient, and fails after 3 days', async () => {
    const { id } = await endpoint(['order.submitted']);
    const recipient = `webhook:${id}`;
    const started = clock.now().getTime();
    await db.write((manager) => audit.append(manager, [submitted('first')]));
    await db.write((manager) => audit.append(manager, [submitted('second')]));
    receiver.answerNext({ status: 500, body: 'x'.repeat(5000) });
    await drain();
    // The second waits behind the first, which failed once and waits between half and all of the base delay.
    expect(receiver.received.map((r) => r.json.data.orderId)).toEqual(['first']);
    let [first, second] = await pending(recipient);
    expect(Number(first.attempts)).toBe(1);
    const wait1 = Date.parse(first.next_attempt_at) - clock.now().getTime();
    expect(wait1).toBeGreaterThanOrEqual(RETRY_BASE_MS / 2);
    expect(wait1).toBeLessThanOrEqual(RETRY_BASE_MS);
    expect(Number(second.attempts)).toBe(0);
    const [log] = await webhooks.listDeliveries(id, 1, Number(second.id));
    expect(log).toMatchObject({ status: 'pending', answerStatus: 500 });
    expect(Buffer.byteLength(log.answer ?? '')).toBe(1024);

    // Not before its time.
    clock.advance(wait1 - 1);
    await drain();
    expect(receiver.received).toHaveLength(1);
    // A timeout (the receiver answers after the 1 s limit) counts as a failure too; the next wait doubles.
    receiver.answerNext({ status: 200, delayMs: 1500 });
    clock.advance(1);
    await drain();
    expect(receiver.received).toHaveLength(2);
    [first] = await pending(recipient);
    const wait2 = Date.parse(first.next_attempt_at) - clock.now().getTime();
    expect(wait2).toBeGreaterThanOrEqual(RETRY_BASE_MS);
    expect(wait2).toBeLessThanOrEqual(2 * RETRY_BASE_MS);

    // Failing on and on: 3 days after the event it is given up; the second then goes out.
    for (let i = 0; i < 100 && receiver.received.every((r) => r.json.data.orderId === 'first'); i += 1) {
      receiver.answerNext({ status: 503 });
      const [next] = await pending(recipient);
      clock.set(new Date(Math.max(Date.parse(next.next_attempt_at), clock.now().getTime())).toISOString());
      await drain();
    }
    const attempts = receiver.received.filter((r) => r.json.data.orderId === 'first').length;
    expect(clock.now().getTime() - started).toBeGreaterThanOrEqual(GIVE_UP_MS);
    // Doubling from 10 s, capped at 12 h, with jitter: about 15 to 25 tries in 3 days.
    expect(attempts).toBeGreaterThan(10);
    expect(attempts).toBeLessThan(30);
    expect(receiver.received.at(-1)?.json.data.orderId).toBe('second');
    const deliveries = await webhooks.listDeliveries(id);
    expect(deliveries.map((d) => d.status)).toEqual(['delivered', 'failed']);
    expect(deliveries[1].attempts).toBe(attempts);
    clock.set(new Date().toISOString());
  });

  it('sends again on request, with the same webhook-id', async () => {
    const { id } = await endpoint(['order.submitted']);
    await db.write((manager) => audit.append(manager, [submitted('again')]));
    await drain();
    const [delivered] = await webhooks.listDeliveries(id);
    const again = await webhooks.sendAgain(id, delivered.id, 'spec');
    expect(again).toMatchObject({ status: 'pending', attempts: 0 });
    await drain();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1].headers['webhook-id']).toBe(receiver.received[0].headers['webhook-id']);
  });

  it('batches device activations of one pool within a second into one request', async () => {
    await endpoint(['device.activated']);
    const activated = (n: number) => ({ action: 'device.activated', actor: 'device', subject: `device:d${n}`, customerId: 'c1', data: { poolId: 'p1', licenseId: `l${n}`, platform: 'linux' } });
    clock.set(new Date(Math.floor(Date.now() / 1000) * 1000 + 100).toISOString());
    // The pool row is read for its seat count.
    await db.write((m) => db.execute(m, `INSERT INTO customers (id, name, created_at) VALUES ('c1', 'Batch', ?)`, [clock.now().toISOString()]));
    await db.write((m) => db.execute(m, `INSERT INTO pools (id, kind, customer_id, product, modality, seats, seats_used, code_hash, expires_at, created_at) VALUES ('p1', 'perpetual', 'c1', 'p', NULL, 1000, 0, 'x', NULL, ?)`, [clock.now().toISOString()]));
    for (let n = 0; n < 5; n += 1) {
      await db.write(async (m) => {
        await db.execute(m, 'UPDATE pools SET seats_used = seats_used + 2 WHERE id = ?', ['p1']);
        await audit.append(m, [activated(2 * n), activated(2 * n + 1)]);
      });
    }
    // Within the second nothing leaves: more may join.
    await drain();
    expect(receiver.received).toHaveLength(0);
    clock.advance(1000);
    await drain();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0].json.data.devices.map((d: { deviceId: string }) => d.deviceId)).toEqual(Array.from({ length: 10 }, (_, n) => `d${n}`));
  });

  it('disables an endpoint after days of failures, and fails what waits for it', async () => {
    const { id } = await endpoint(['order.submitted']);
    for (let i = 0; i < 200 && (await webhooks.getEndpoint(id)).status === 'enabled'; i += 1) {
      let [next] = await pending(`webhook:${id}`);
      if (!next) {
        await db.write((manager) => audit.append(manager, [submitted(`failing-${i}`)]));
        [next] = await pending(`webhook:${id}`);
      }
      receiver.answerNext({ status: 500 });
      clock.set(new Date(Math.max(Date.parse(next.next_attempt_at), clock.now().getTime())).toISOString());
      await drain();
    }
    const after = await webhooks.getEndpoint(id);
    expect(after.status).toBe('disabled');
    const failingFor = Date.parse(after.disabledAt!) - Date.parse(after.failingSince!);
    expect(failingFor).toBeGreaterThanOrEqual(4 * 86_400_000);
    expect(failingFor).toBeLessThan(5 * 86_400_000);
    expect(await pending(`webhook:${id}`)).toEqual([]);
    // A disabled endpoint gets no new deliveries.
    await db.write((manager) => audit.append(manager, [submitted('after')]));
    expect(await pending(`webhook:${id}`)).toEqual([]);
    await drain();
    expect(inbox.filter((mail) => mail.subject === 'A webhook endpoint was disabled').map((mail) => mail.to)).toEqual(['ops@vendor.example']);
    clock.set(new Date().toISOString());
  });
});
