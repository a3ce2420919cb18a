import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawQuery } from '../support/database';
import { client } from '../support/http';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { REPO_ROOT, type StartedServer, startServer } from '../support/server';

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
    expect(verdict.body).toEqual({ ok: true, events: expect.any(Number) });
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

  it('detects a deleted row, in the middle or at the end', async () => {
    const [last] = await sql('SELECT seq, at, action, actor, subject, data, prev_hash, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
    await sql('DELETE FROM audit_events WHERE seq = ?', [last.seq]);
    expect((await admin.get('/v1/audit/verify')).body).toMatchObject({ ok: false, reason: expect.stringContaining('missing') });
    await sql('INSERT INTO audit_events (seq, at, action, actor, subject, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', Object.values(last));
    expect((await admin.get('/v1/audit/verify')).body.ok).toBe(true);

    await sql('DELETE FROM audit_events WHERE seq = 3');
    expect((await admin.get('/v1/audit/verify')).body).toMatchObject({ ok: false, brokenAt: 3 });
    const cli = spawnSync(process.execPath, [join(REPO_ROOT, 'server/dist/cli/admin.js'), 'audit', 'verify'], {
      env: { ...process.env, ...server.storageEnv },
      encoding: 'utf8',
    });
    expect(cli.status).toBe(3);
    expect(JSON.parse(cli.stdout)).toMatchObject({ ok: false, brokenAt: 3 });
  });
});
