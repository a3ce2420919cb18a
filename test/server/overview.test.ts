import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_CALLER } from '../../server/src/auth/principal';
import { TokensService } from '../../server/src/auth/tokens.service';
import { loadConfig } from '../../server/src/config/config';
import { ManualClock } from '../../server/src/spec-support';
import { appForSpec } from '../../server/src/spec-support/app';
import { databaseEnv, TEST_DATABASE } from '../support/database';
import { client } from '../support/http';
import { activateDevices } from '../support/seatlock';
import { SERVER_START_MS } from '../support/timing';

const ADMIN = 'overview-admin-token-0123456789';
const DAY = 86_400_000;
/** When the figures are read: a Thursday, noon UTC. */
const NOW = Date.parse('2026-12-03T12:00:00.000Z');
const at = (ms: number) => new Date(ms).toISOString();
const dayOf = (ms: number) => at(ms).slice(0, 10);
/** The first UTC day of the 90-day window that ends today. */
const FIRST_DAY = Date.parse('2026-12-03T00:00:00.000Z') - 89 * DAY;

describe(`overview aggregates (${TEST_DATABASE})`, () => {
  const clock = new ManualClock(new Date(NOW - 120 * DAY));
  let app: NestFastifyApplication;
  let url: string;
  let admin: ReturnType<typeof client>;
  let issuer: ReturnType<typeof client>;
  const pools: Record<'p79' | 'p80' | 'p100' | 'edge', string> = {} as never;
  const trials: Record<6 | 7 | 8, string> = {} as never;
  let makerToken: string;
  let otherToken: string;

  /** An order of `quantity` devices, submitted by the issuer and approved by the admin (four-eyes), at the clock's time. */
  const approvedOrder = async (customerId: string, quantity: number) => {
    const order = await issuer.post('/v1/orders', { customerId, product: 'face-detection', quantity });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    const approved = await admin.post(`/v1/orders/${order.body.id}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    return approved.body.pool as { id: string; activationCode: string };
  };

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seatlock-overview-'));
    const config = loadConfig({ ...(await databaseEnv(dataDir)), SEATLOCK_ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn' });
    app = await appForSpec(clock, config);
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    admin = client(url, ADMIN);
    issuer = client(url, (await app.get(TokensService).createToken({ role: 'issuer', name: 'sales' }, CLI_CALLER.actor)).token);

    const maker = (await admin.post('/v1/customers', { name: 'Board maker' })).body.id as string;
    const other = (await admin.post('/v1/customers', { name: 'Other maker' })).body.id as string;
    makerToken = (await admin.post('/v1/tokens', { role: 'customer', name: 'maker', customerId: maker })).body.token;
    otherToken = (await admin.post('/v1/tokens', { role: 'customer', name: 'other', customerId: other })).body.token;

    // 120 days ago: four purchases of 100 and 50 seats.
    const p79 = await approvedOrder(maker, 100);
    const p80 = await approvedOrder(maker, 100);
    const p100 = await approvedOrder(maker, 100);
    const edge = await approvedOrder(other, 50);
    Object.assign(pools, { p79: p79.id, p80: p80.id, p100: p100.id, edge: edge.id });

    // The maker's three trials, approved 54, 53 and 52 days ago: 60-day trials with 6, 7 and 8 days left now.
    const products = { 6: 'face-detection', 7: 'face-liveness', 8: 'face-recognition' } as const;
    for (const left of [6, 7, 8] as const) {
      clock.set(at(NOW - (60 - left) * DAY - DAY));
      const trial = await issuer.post('/v1/trials', { customerId: maker, product: products[left], ...(left === 6 ? {} : { modality: 'ir' }) });
      expect(trial.status, JSON.stringify(trial.body)).toBe(201);
      clock.set(at(NOW - (60 - left) * DAY));
      const approved = await admin.post(`/v1/trials/${trial.body.id}/approve`);
      expect(approved.status, JSON.stringify(approved.body)).toBe(200);
      trials[left] = approved.body.pool.id;
    }

    // Devices on known UTC days: the window's first instant and the instant before it.
    clock.set(at(FIRST_DAY - 1));
    await activateDevices(url, edge.activationCode, 1, 'before-window');
    clock.set(at(FIRST_DAY));
    await activateDevices(url, edge.activationCode, 1, 'first-day');
    clock.set(at(NOW - 10 * DAY));
    await activateDevices(url, p79.activationCode, 79, 'p79');
    clock.set(at(NOW - 3 * DAY));
    await activateDevices(url, p80.activationCode, 80, 'p80');
    clock.set(at(NOW - 3_600_000));
    await activateDevices(url, p100.activationCode, 100, 'p100');

    // The review queue: an order submitted 5 days ago (overdue), one an hour ago, the other maker's trial 10 days ago (overdue).
    clock.set(at(NOW - 5 * DAY));
    expect((await issuer.post('/v1/orders', { customerId: maker, product: 'face-detection', quantity: 60 })).status).toBe(201);
    clock.set(at(NOW - 10 * DAY));
    expect((await issuer.post('/v1/trials', { customerId: other, product: 'face-detection' })).status).toBe(201);
    clock.set(at(NOW - 3_600_000));
    expect((await issuer.post('/v1/orders', { customerId: other, product: 'face-detection', quantity: 50 })).status).toBe(201);
    clock.set(at(NOW));
    // One start and 262 activations, a few at a time.
  }, 4 * SERVER_START_MS);
  afterAll(() => app?.close());

  it('counts new devices per UTC day over 90 days, every day present', async () => {
    const all = await admin.get('/v1/overview/activations');
    expect(all.status).toBe(200);
    expect(all.body.timeZone).toBe('UTC');
    expect(all.body.days).toHaveLength(90);
    expect(all.body.days[0]).toEqual({ day: dayOf(FIRST_DAY), activations: 1 });
    expect(all.body.days.at(-1)).toEqual({ day: '2026-12-03', activations: 100 });
    const counted = Object.fromEntries(all.body.days.filter((d: { activations: number }) => d.activations > 0).map((d: { day: string; activations: number }) => [d.day, d.activations]));
    expect(counted).toEqual({ [dayOf(FIRST_DAY)]: 1, [dayOf(NOW - 10 * DAY)]: 79, [dayOf(NOW - 3 * DAY)]: 80, '2026-12-03': 100 });
    expect(all.body.total).toBe(260);

    // A customer's own only; staff may ask for one customer's.
    const own = await client(url, makerToken).get('/v1/overview/activations?days=7');
    expect(own.body.days.map((d: { activations: number }) => d.activations)).toEqual([0, 0, 0, 80, 0, 0, 100]);
    expect((await client(url, otherToken).get('/v1/overview/activations')).body.total).toBe(1);
    expect((await admin.get('/v1/overview/activations?days=366')).body.total).toBe(261);
    expect((await admin.get('/v1/overview/activations?days=367')).status).toBe(400);
  });

  it('lists pools at or above 80 % of their seats, the full ones counted', async () => {
    const staff = await admin.get('/v1/overview/seats?minPercent=80');
    expect(staff.status).toBe(200);
    expect(staff.body.items.map((p: { poolId: string; percentUsed: number; seatsLeft: number; customerName: string }) => [p.poolId, p.percentUsed, p.seatsLeft, p.customerName])).toEqual([
      [pools.p100, 100, 0, 'Board maker'],
      [pools.p80, 80, 20, 'Board maker'],
    ]);
    expect({ matching: staff.body.matching, full: staff.body.full }).toEqual({ matching: 2, full: 1 });
    expect((await admin.get('/v1/overview/seats?minPercent=100')).body.items.map((p: { poolId: string }) => p.poolId)).toEqual([pools.p100]);

    // A customer's pools, every one that has not ended, with seats used and left.
    const own = await client(url, makerToken).get('/v1/overview/seats');
    expect(own.body.matching).toBe(6);
    expect(own.body.items.slice(0, 3).map((p: { poolId: string; seatsUsed: number; seatsLeft: number }) => [p.poolId, p.seatsUsed, p.seatsLeft])).toEqual([
      [pools.p100, 100, 0],
      [pools.p80, 80, 20],
      [pools.p79, 79, 21],
    ]);
  });

  it('lists trials ending within 7 days with the days they have left', async () => {
    const staff = await admin.get('/v1/overview/trials?withinDays=7');
    expect(staff.body.items.map((t: { poolId: string; daysLeft: number }) => [t.poolId, t.daysLeft])).toEqual([
      [trials[6], 6],
      [trials[7], 7],
    ]);
    expect(staff.body.matching).toBe(2);
    const own = await client(url, makerToken).get('/v1/overview/trials');
    expect(own.body.items.map((t: { daysLeft: number }) => t.daysLeft)).toEqual([6, 7, 8]);
    expect((await client(url, otherToken).get('/v1/overview/trials')).body).toEqual({ items: [], matching: 0 });
    // Once a trial has ended it is no longer listed, nor are its seats.
    clock.set(at(NOW + 6 * DAY + 1));
    expect((await client(url, makerToken).get('/v1/overview/trials')).body.items.map((t: { daysLeft: number }) => t.daysLeft)).toEqual([1, 2]);
    expect((await client(url, makerToken).get('/v1/overview/seats')).body.matching).toBe(5);
    clock.set(at(NOW));
  });

  it('counts the review queue and its overdue applications as the lists filter them', async () => {
    const review = await admin.get('/v1/overview/review');
    expect(review.body).toEqual({ orders: { submitted: 2, overdue: 1 }, trials: { submitted: 1, overdue: 1 }, nextDueAt: '2026-11-25T12:00:00.000Z' });
    expect((await admin.get('/v1/orders?overdue=true')).body.total).toBe(review.body.orders.overdue);
    expect((await admin.get('/v1/trials?overdue=true')).body.total).toBe(review.body.trials.overdue);
    expect((await client(url, makerToken).get('/v1/overview/review')).status).toBe(403);
  });
});
