import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../support/accounts';
import { rawQuery } from '../support/database';
import { client } from '../support/http';
import { clockEnv, type StartedServer, startServer } from '../support/server';
import { Inbox } from '../support/smtp';
import { SERVER_START_MS } from '../support/timing';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A Monday: the order submitted then is due on Wednesday at the same time. */
const START = Date.parse('2026-12-07T09:00:00Z');
/** Two scans (one a second) and the outbox's delivery: time enough for anything to arrive that would. */
const SETTLE_MS = 3_000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Reminders no request triggers, on a server whose clock the test sets (restarted on the same
 * data at each new time): staff hear of an order due within a business day and overdue, a trial's
 * people of its end 7 days ahead and once it ended; each once, across scans and restarts.
 */
describe('reminders', () => {
  const inbox = new Inbox();
  let smtpUrl: string;
  let server: StartedServer | undefined;

  beforeAll(async () => {
    smtpUrl = await inbox.start();
  });
  afterAll(async () => {
    await server?.stop();
    await inbox.stop();
  });

  it('sends each reminder once, at its time, in each person’s language', async () => {
    const env = (at: number) => ({
      ...clockEnv(at),
      SEATLOCK_SMTP_URL: smtpUrl,
      SEATLOCK_OUTBOX_POLL_MS: '100',
      SEATLOCK_REMINDER_SCAN_SECONDS: '1',
    });
    server = await startServer({ env: env(START) });
    const { dataDir, adminToken } = server;
    const at = async (time: number) => {
      await server?.stop();
      server = undefined;
      server = await startServer({ dataDir, adminToken, env: env(time) });
      await sleep(SETTLE_MS);
    };
    const admin = client(server.url, adminToken);
    const customer = (await admin.post('/v1/customers', { name: '杭州视觉' })).body.id;
    const reviewer = await createUser(server.url, adminToken, { email: 'reviewer@vendor.example', role: 'issuer' });
    const buyer = await createUser(server.url, adminToken, { email: 'buyer@hz.example', role: 'customer', customerId: customer, language: 'zh-CN' });
    const engineer = await createUser(server.url, adminToken, { email: 'engineer@hz.example', role: 'customer', customerId: customer });
    const session = await signIn(server.url, buyer.email);
    expect((await session.post('/v1/orders', { product: 'face-detection', quantity: 50 })).status).toBe(201);
    const trial = await session.post('/v1/trials', { product: 'face-detection' });
    expect((await admin.post(`/v1/trials/${trial.body.id}/approve`)).status).toBe(200);
    const [pool] = await rawQuery<{ expires_at: string }>(dataDir, 'SELECT expires_at FROM pools WHERE kind = ?', ['trial']);
    const trialEnd = Date.parse(pool.expires_at);
    expect(trialEnd - START).toBeGreaterThanOrEqual(60 * DAY);
    expect(trialEnd - START).toBeLessThan(60 * DAY + HOUR);

    const count = (address: string, subject: string) => inbox.subjectsTo(address).filter((s) => s === subject).length;
    const dueSoon = () => count(reviewer.email, 'An order is due for review soon');
    const overdue = () => count(reviewer.email, 'An order is overdue for review');
    const ending = () => [count(buyer.email, '您的 face-detection 试用将在 7 天后结束'), count(engineer.email, 'Your face-detection trial ends in 7 days')];
    const ended = () => [count(buyer.email, '您的 face-detection 试用已结束'), count(engineer.email, 'Your face-detection trial has ended')];
    await sleep(SETTLE_MS);
    await expect.poll(() => [dueSoon(), overdue()]).toEqual([0, 0]);

    // Tuesday 10:00: the order is due by Wednesday 09:00, within a business day.
    await at(START + DAY + HOUR);
    await expect.poll(() => [dueSoon(), overdue()]).toEqual([1, 0]);
    // 8 days before the trial ends: the order long overdue, nothing yet for the trial.
    await at(trialEnd - 8 * DAY);
    await expect.poll(() => [dueSoon(), overdue()]).toEqual([1, 1]);
    await expect.poll(() => [...ending(), ...ended()]).toEqual([0, 0, 0, 0]);
    // 7 days before: one "ending" to each of the customer's people, in their language.
    await at(trialEnd - 7 * DAY + HOUR);
    await expect.poll(() => ending()).toEqual([1, 1]);
    const [zh] = inbox.to(buyer.email).filter((mail) => mail.subject === '您的 face-detection 试用将在 7 天后结束');
    expect(zh.text).toContain(`试用将于 ${pool.expires_at} 结束`);
    // Restarted after its end: one "ended", and nothing sent again.
    await at(trialEnd + HOUR);
    await expect.poll(() => [...ending(), ...ended()]).toEqual([1, 1, 1, 1]);
    await at(trialEnd + 2 * HOUR);
    await expect.poll(() => [dueSoon(), overdue(), ...ending(), ...ended()]).toEqual([1, 1, 1, 1, 1, 1]);
    // Only the people concerned: staff hear nothing of the trial, the customer nothing of reviews.
    expect(inbox.to(reviewer.email).filter((mail) => /trial/i.test(mail.subject)).map((mail) => mail.subject)).toEqual(['New trial to review']);
    expect(inbox.to(engineer.email).filter((mail) => /review/i.test(mail.subject))).toEqual([]);
  }, 2 * 6 * SERVER_START_MS);
});
