import { createHash } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { buildFingerprint, verifyLicense } from '@seatlock/shared';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config';
import { CLI_CALLER } from '../auth/principal';
import { TokensService } from '../auth/tokens.service';
import { ManualClock } from '../spec-support';
import { appForSpec } from '../spec-support/app';

const ADMIN = 'spec-admin-token-0123456789';
const DAY = 86_400_000;

describe('trials and reviews on a moving clock', () => {
  const clock = new ManualClock(new Date('2026-11-27T10:00:00Z')); // a Friday
  let app: NestFastifyApplication;
  let url: string;
  // Submits applications; the admin approves them (four-eyes review).
  let issuer: string;

  const call = async (method: string, path: string, body?: unknown, token = ADMIN) => {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  // A CID as long as a real one (32 hex digits): shorter values are placeholders.
  const fingerprint = (label: string) => buildFingerprint([{ name: 'emmc.cid', value: createHash('sha256').update(label).digest('hex').slice(0, 32) }]);

  beforeAll(async () => {
    const config = loadConfig({ SEATLOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'seatlock-spec-')), SEATLOCK_ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn' });
    app = await appForSpec(clock, config);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    url = url.replace('[::1]', '127.0.0.1');
    // Made as the operator's CLI makes it: a person other than the admin whose token approves.
    issuer = (await app.get(TokensService).createToken({ role: 'issuer', name: 'sales' }, CLI_CALLER.actor)).token;
  });
  afterAll(() => app?.close());

  it('dates reviews 2 business days out and lists overdue applications', async () => {
    const customer = await call('POST', '/v1/customers', { name: 'Clockwork' });
    const trial = await call('POST', '/v1/trials', { customerId: customer.body.id, product: 'face-detection' }, issuer);
    expect(trial.body.reviewDueAt).toBe('2026-12-01T10:00:00.000Z'); // Tuesday: the weekend does not count
    const order = await call('POST', '/v1/orders', { customerId: customer.body.id, product: 'face-detection', quantity: 50 }, issuer);
    expect(order.body.reviewDueAt).toBe('2026-12-01T10:00:00.000Z');

    clock.set('2026-12-01T09:59:00Z');
    expect((await call('GET', '/v1/trials?overdue=true')).body.total).toBe(0);
    clock.set('2026-12-01T10:01:00Z');
    const overdueTrials = await call('GET', '/v1/trials?overdue=true');
    expect(overdueTrials.body.items.map((t: { id: string }) => t.id)).toEqual([trial.body.id]);
    expect(overdueTrials.body.items[0].overdue).toBe(true);
    const overdueOrders = await call('GET', '/v1/orders?overdue=true');
    expect(overdueOrders.body.items.map((o: { id: string }) => o.id)).toEqual([order.body.id]);
    expect((await call('POST', `/v1/orders/${order.body.id}/approve`)).status).toBe(200);
    expect((await call('GET', '/v1/orders?overdue=true')).body.total).toBe(0);
  });

  it('expires a trial 60 days after approval: licenses carry exp, later activations get TRIAL_EXPIRED', async () => {
    clock.set('2027-01-04T08:00:00Z');
    const customer = await call('POST', '/v1/customers', { name: 'Trialist' });
    const trial = await call('POST', '/v1/trials', { customerId: customer.body.id, product: 'face-liveness', modality: 'ir' }, issuer);
    const approved = await call('POST', `/v1/trials/${trial.body.id}/approve`);
    expect(approved.body.pool).toMatchObject({ kind: 'trial', seats: 3, expiresAt: new Date(Date.parse('2027-01-04T08:00:00Z') + 60 * DAY).toISOString() });
    const activationCode = approved.body.pool.activationCode;

    clock.set('2027-02-01T00:00:00Z');
    const fp = fingerprint('trial-device-1');
    const activation = await call('POST', '/v1/activations', { activationCode, platform: 'android', fingerprint: fp });
    expect(activation.status, JSON.stringify(activation.body)).toBe(201);
    const trust = await call('GET', '/v1/trust');
    const verified = await verifyLicense(activation.body.license, { roots: trust.body.root, fingerprint: fp, now: clock.now() });
    expect(verified.valid).toBe(true);
    expect(verified.license).toMatchObject({ kind: 'trial', iat: Date.parse('2027-02-01T00:00:00Z') / 1000, exp: Date.parse(approved.body.pool.expiresAt) / 1000 });

    // Three seats, then the pool is full.
    for (const cid of ['trial-device-2', 'trial-device-3']) {
      expect((await call('POST', '/v1/activations', { activationCode, platform: 'android', fingerprint: fingerprint(cid) })).status).toBe(201);
    }
    expect((await call('POST', '/v1/activations', { activationCode, platform: 'android', fingerprint: fingerprint('trial-device-4') })).body.error.code).toBe('SEATS_EXHAUSTED');

    clock.set(approved.body.pool.expiresAt);
    const expired = await call('POST', '/v1/activations', { activationCode, platform: 'android', fingerprint: fp });
    expect(expired.status).toBe(403);
    expect(expired.body.error.code).toBe('TRIAL_EXPIRED');
  });
});
