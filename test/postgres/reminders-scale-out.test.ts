import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../support/accounts';
import { client } from '../support/http';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { clockEnv, type StartedServer, startInstance } from '../support/server';
import { Inbox } from '../support/smtp';
import { SERVER_START_MS } from '../support/timing';

const DAY = 86_400_000;
const START = Date.parse('2026-12-07T09:00:00Z');
const CUSTOMERS = 3;
/** More than one scan batch (100), so the instances' scans overlap over several transactions. */
const ORDERS_PER_CUSTOMER = 35;

/** Two instances on one database scan for reminders at the same times: each reminder is sent once. */
describe('reminders from two PostgreSQL instances', () => {
  let database: TestDatabase;
  const inbox = new Inbox();
  const instances: StartedServer[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.stop()));
    await database?.drop();
    await inbox.stop();
  });

  it('sends each overdue order and ended trial reminder once', async () => {
    const env = (at: number) => ({ ...clockEnv(at), SEATLOCK_SMTP_URL: smtpUrl, SEATLOCK_OUTBOX_POLL_MS: '50', SEATLOCK_REMINDER_SCAN_SECONDS: '1' });
    const smtpUrl = await inbox.start();
    const first = await startInstance(database.url, { env: env(START) });
    const { adminToken } = first;
    const admin = client(first.url, adminToken);
    const buyers: string[] = [];
    for (let c = 0; c < CUSTOMERS; c += 1) {
      const customer = (await admin.post('/v1/customers', { name: `Customer ${c}` })).body.id;
      const buyer = await createUser(first.url, adminToken, { email: `buyer${c}@customer.example`, role: 'customer', customerId: customer });
      buyers.push(buyer.email);
      const trial = await (await signIn(first.url, buyer.email)).post('/v1/trials', { product: 'face-detection' });
      expect((await admin.post(`/v1/trials/${trial.body.id}/approve`)).status).toBe(200);
      for (let o = 0; o < ORDERS_PER_CUSTOMER; o += 1) expect((await admin.post('/v1/orders', { customerId: customer, product: 'face-detection', quantity: 50 })).status).toBe(201);
    }
    // Staff from now on: the reviewer hears of no submission, only of the reminders.
    const reviewer = await createUser(first.url, adminToken, { email: 'reviewer@vendor.example', role: 'issuer' });
    await first.stop();

    // 61 days on: every order overdue, every trial ended; both instances scan from their start, every second.
    instances.push(...(await Promise.all([0, 1].map(() => startInstance(database.url, { adminToken, env: env(START + 61 * DAY) })))));
    const overdue = () => inbox.subjectsTo(reviewer.email).filter((subject) => subject === 'An order is overdue for review').length;
    const ended = () => buyers.map((email) => inbox.subjectsTo(email).filter((subject) => subject === 'Your face-detection trial has ended').length);
    await expect.poll(overdue, { timeout: 4 * SERVER_START_MS }).toBe(CUSTOMERS * ORDERS_PER_CUSTOMER);
    await expect.poll(ended).toEqual(Array(CUSTOMERS).fill(1));
    // Scans go on in both: a second reminder of anything would show up in this time.
    await new Promise((done) => setTimeout(done, 3_000));
    expect(overdue()).toBe(CUSTOMERS * ORDERS_PER_CUSTOMER);
    expect(ended()).toEqual(Array(CUSTOMERS).fill(1));
    // Told ended, never "ending": the reminder a scan finds already passed is not sent late.
    expect(buyers.flatMap((email) => inbox.subjectsTo(email)).filter((subject) => subject.includes('ends in 7 days'))).toEqual([]);
    expect(inbox.subjectsTo(reviewer.email).filter((subject) => subject.includes('due for review soon'))).toEqual([]);
  }, 12 * SERVER_START_MS); // three starts, 105 orders and as many e-mails to one person in turn, on a loaded machine
});
