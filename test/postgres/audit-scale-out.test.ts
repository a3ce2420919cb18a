import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { type RawSql, rewriteEvent } from '../support/audit-tamper';
import { client } from '../support/http';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { type StartedServer, startInstance } from '../support/server';

const EVERY = 10;

/** Two server instances append to one chain on one PostgreSQL database; both sign its head. */
describe('audit checkpoints with two instances on one PostgreSQL database', { timeout: 240_000 }, () => {
  let database: TestDatabase;
  let a: StartedServer;
  let b: StartedServer;
  const start = (adminToken?: string) =>
    startInstance(database.url, { adminToken, env: { SEATLOCK_AUDIT_CHECKPOINT_EVENTS: String(EVERY), SEATLOCK_AUDIT_CHECKPOINT_SECONDS: '3600' } });
  const sql: RawSql = async (text, params = []) => {
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      let n = 0;
      return (await db.query(text.replace(/\?/g, () => `$${++n}`), params)).rows;
    } finally {
      await db.end();
    }
  };
  const verifyOn = async (server: StartedServer) => (await client(server.url, server.adminToken).get('/v1/audit/verify')).body;

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await start();
    b = await start(a.adminToken);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  it('keeps every checkpoint valid while activations race across both instances, and both see a rewrite', async () => {
    const { activationCode } = await approvedPool(a.url, a.adminToken, { quantity: 200 });
    const answers = await Promise.all(
      Array.from({ length: 120 }, (_, i) => client((i % 2 ? a : b).url).post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint(`audit-race-${i}`) })),
    );
    expect(answers.every((answer) => answer.status === 201)).toBe(true);

    let verdict = await verifyOn(a);
    for (let i = 0; i < 300 && verdict.events - verdict.signedThrough >= EVERY; i++) {
      await new Promise((r) => setTimeout(r, 100));
      verdict = await verifyOn(a);
    }
    expect(verdict).toMatchObject({ ok: true });
    expect(verdict.events).toBeGreaterThanOrEqual(120);
    expect(verdict.events - verdict.signedThrough).toBeLessThan(EVERY);
    // Activations arriving together commit in one batch, so one checkpoint may cover many of them.
    expect(verdict.checkpoints).toBeGreaterThanOrEqual(2);
    expect(await verifyOn(b)).toMatchObject({ ok: true, signedThrough: verdict.signedThrough });

    const [activation] = await sql<{ seq: number }>("SELECT seq FROM audit_events WHERE action = 'device.activated' ORDER BY seq LIMIT 1");
    await rewriteEvent(sql, Number(activation.seq), (row) => (row.subject = 'device:someone-else'));
    for (const server of [a, b]) expect(await verifyOn(server)).toMatchObject({ ok: false, reason: expect.stringContaining('rewritten') });
  });
});
