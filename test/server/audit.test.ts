import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../support/admin';
import { anchorOf, EVERY, settled, someHistory, sqlOn, verifyOf, withServer } from '../support/audit-checkpoints';
import { headSeq, rewriteEvent } from '../support/audit-tamper';
import { rawQuery } from '../support/database';
import { client } from '../support/http';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { ADMIN_CLI, REPO_ROOT, type StartedServer, startServer } from '../support/server';

describe('audit chain', () => {
  let server: StartedServer;
  let admin: ReturnType<typeof client>;
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => rawQuery<T>(server.dataDir, text, params);

  beforeAll(async () => {
    server = await startServer();
    admin = client(server.url, server.adminToken);
  });
  afterAll(() => server?.stop());

  it('records every state change, in order, and verifies', async () => {
    const { activationCode, customerId, poolId, applicationId } = await approvedPool(server.url, server.adminToken);
    const device = await client(server.url).post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint('audited') });
    await admin.post(`/v1/devices/${device.body.deviceId}/revoke`);
    const trial = await admin.post('/v1/trials', { customerId, product: 'face-detection' });
    await admin.post(`/v1/trials/${trial.body.id}/reject`, { reason: 'already a customer' });

    const events = (await admin.get('/v1/audit?limit=7')).body.items.reverse();
    expect(events.map((e: { action: string }) => e.action)).toEqual([
      'customer.created',
      'order.submitted',
      'order.approved',
      'device.activated',
      'device.revoked',
      'trial.submitted',
      'trial.rejected',
    ]);
    expect(events[2]).toMatchObject({ subject: `order:${applicationId}`, data: { poolId } });
    expect(JSON.stringify(events)).not.toContain(activationCode);
    const verdict = await admin.get('/v1/audit/verify');
    expect(verdict.body).toMatchObject({ ok: true, events: expect.any(Number) });
    expect(verdict.body.events).toBeGreaterThanOrEqual(events.length);
  });

  it('detects an edited row', async () => {
    const [row] = await sql<{ seq: number; data: string }>("SELECT seq, data FROM audit_events WHERE action = 'order.approved' LIMIT 1");
    await sql('UPDATE audit_events SET data = ? WHERE seq = ?', [row.data.replace(/"seats":\d+/, '"seats":9999'), row.seq]);
    const verdict = await admin.get('/v1/audit/verify');
    expect(verdict.body).toMatchObject({ ok: false, brokenAt: row.seq, reason: expect.stringContaining('altered') });
    await sql('UPDATE audit_events SET data = ? WHERE seq = ?', [row.data, row.seq]);
    expect((await admin.get('/v1/audit/verify')).body.ok).toBe(true);
  });

  it('detects an event moved to another customer', async () => {
    const { customerId } = await approvedPool(server.url, server.adminToken);
    const other = await admin.post('/v1/customers', { name: 'Someone else' });
    const [approval] = await sql<{ seq: number; customer_id: string }>("SELECT seq, customer_id FROM audit_events WHERE action = 'order.approved' ORDER BY seq DESC LIMIT 1");
    expect(approval.customer_id).toBe(customerId);
    await sql('UPDATE audit_events SET customer_id = ? WHERE seq = ?', [other.body.id, approval.seq]);
    expect((await admin.get('/v1/audit/verify')).body).toMatchObject({ ok: false, brokenAt: Number(approval.seq), reason: expect.stringContaining('altered') });
    await sql('UPDATE audit_events SET customer_id = ? WHERE seq = ?', [approval.customer_id, approval.seq]);
    expect((await admin.get('/v1/audit/verify')).body.ok).toBe(true);
  });

  it('detects a deleted row, in the middle or at the end', async () => {
    const [last] = await sql('SELECT seq, at, action, actor, subject, data, customer_id, prev_hash, hash, hash_version FROM audit_events ORDER BY seq DESC LIMIT 1');
    await sql('DELETE FROM audit_events WHERE seq = ?', [last.seq]);
    expect((await admin.get('/v1/audit/verify')).body).toMatchObject({ ok: false, reason: expect.stringContaining('missing') });
    await sql('INSERT INTO audit_events (seq, at, action, actor, subject, data, customer_id, prev_hash, hash, hash_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', Object.values(last));
    expect((await admin.get('/v1/audit/verify')).body.ok).toBe(true);

    await sql('DELETE FROM audit_events WHERE seq = 3');
    expect((await admin.get('/v1/audit/verify')).body).toMatchObject({ ok: false, brokenAt: 3 });
    const cli = spawnSync(process.execPath, [ADMIN_CLI, 'audit', 'verify'], {
      env: { ...process.env, ...server.storageEnv },
      encoding: 'utf8',
    });
    expect(cli.status).toBe(3);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: false, brokenAt: 3 });
  });
});

/**
 * The chain's head is signed (checkpoints in the database, anchors kept elsewhere). The attacker
 * writes to the database directly and knows how the chain is hashed, but holds no signing key.
 */
// The second half of these cases is in audit-checkpoints.test.ts: each starts a server, so two files run on two workers.
describe('signed audit checkpoints', { timeout: 240_000 }, () => {
  it('verifies an unchanged chain against checkpoints signed every few events, and against an anchor', () =>
    withServer(async (server) => {
      const verdict = await someHistory(server);
      expect(verdict).toMatchObject({ ok: true });
      expect(verdict.events - verdict.signedThrough).toBeLessThan(EVERY);
      expect(verdict.checkpoints).toBeGreaterThanOrEqual(3);

      const anchor = await anchorOf(server);
      expect(anchor.seq).toBe(await headSeq(sqlOn(server)));
      expect(await verifyOf(server, anchor.anchor)).toMatchObject({ ok: true, anchoredAt: anchor.seq, signedThrough: anchor.seq });
      const cli = await runAdmin(['audit', 'verify', '--anchor', anchor.file], server.storageEnv);
      expect(cli.code).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true, anchoredAt: anchor.seq });
    }));

  it('resumes from the newest checkpoint: re-reads only what follows it, and still finds an edit there', () =>
    withServer(async (server) => {
      await someHistory(server);
      await client(server.url, server.adminToken).post('/v1/customers', { name: 'After the checkpoint' });
      const full = await settled(server);
      expect(full.ok).toBe(true);
      const resumed = (await client(server.url, server.adminToken).get('/v1/audit/verify?resume=true')).body;
      expect(resumed).toMatchObject({ ok: true, events: full.events, resumedFrom: full.signedThrough, signedThrough: full.signedThrough });
      const cli = await runAdmin(['audit', 'verify', '--resume'], server.storageEnv);
      expect(cli.code, cli.stderr).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ ok: true, resumedFrom: full.signedThrough });
      expect(cli.stderr).toContain(`audit verify: ${full.events} of ${full.events} events`);

      // The event the walk starts from must still be the one signed, and those after it must link.
      await sqlOn(server)('UPDATE audit_events SET actor = ? WHERE seq = ?', ['someone-else', full.signedThrough]);
      expect(await verifyOf(server)).toMatchObject({ ok: false, brokenAt: full.signedThrough });
      expect((await client(server.url, server.adminToken).get('/v1/audit/verify?resume=true')).body).toMatchObject({ ok: false, brokenAt: full.signedThrough, reason: expect.stringContaining('altered') });
    }));

  it('fails when an event is edited and every later hash recomputed', () =>
    withServer(async (server) => {
      await someHistory(server);
      await anchorOf(server);
      const [approval] = await sqlOn(server)<{ seq: number }>("SELECT seq FROM audit_events WHERE action = 'order.approved'");
      await rewriteEvent(sqlOn(server), Number(approval.seq), (row) => (row.actor = 'someone-else'));

      const verdict = await verifyOf(server);
      expect(verdict).toMatchObject({ ok: false, reason: expect.stringContaining('rewritten') });
      expect(verdict.brokenAt).toBeLessThanOrEqual(Number(approval.seq));
      const cli = await runAdmin(['audit', 'verify'], server.storageEnv);
      expect(cli.code).toBe(3);
      expect(JSON.parse(cli.stdout)).toMatchObject({ ok: false, brokenAt: verdict.brokenAt });
      // The signed head is not re-signed over the rewrite either.
      expect((await runAdmin(['audit', 'anchor'], server.storageEnv)).code).toBe(3);
    }));

  it('fails against an anchor when an event is moved to another customer and every later hash recomputed', () =>
    withServer(async (server) => {
      await someHistory(server);
      const sql = sqlOn(server);
      const anchor = await anchorOf(server);
      const other = await client(server.url, server.adminToken).post('/v1/customers', { name: 'Someone else' });
      await settled(server);
      const [approval] = await sql<{ seq: number }>("SELECT seq FROM audit_events WHERE action = 'order.approved' ORDER BY seq LIMIT 1");
      await rewriteEvent(sql, Number(approval.seq), (row) => (row.customer_id = other.body.id));
      await sql('DELETE FROM audit_checkpoints WHERE seq >= ?', [Number(approval.seq)]);
      const [moved] = await sql<{ customer_id: string }>('SELECT customer_id FROM audit_events WHERE seq = ?', [Number(approval.seq)]);
      expect(moved.customer_id).toBe(other.body.id);

      expect(await verifyOf(server, anchor.anchor)).toMatchObject({ ok: false, reason: expect.stringContaining('rewritten') });
      expect((await runAdmin(['audit', 'verify', '--anchor', anchor.file], server.storageEnv)).code).toBe(3);
    }));
});
