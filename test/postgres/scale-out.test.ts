import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseLicense, verifyLicense } from '@seatlock/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/http';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { approvedPool, deviceFingerprint, poolHoldings } from '../support/seatlock';
import { ADMIN_CLI, REPO_ROOT, type StartedServer, startInstance } from '../support/server';

const run = promisify(execFile);

/** Two server processes on one PostgreSQL database, as behind a load balancer. */
describe('two server instances on one PostgreSQL database', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let a: StartedServer;
  let b: StartedServer;
  const start = (adminToken?: string) => startInstance(database.url, { adminToken });

  beforeAll(async () => {
    database = await createTestDatabase();
    // The first start applies the migrations and makes the development keys; the second finds both.
    a = await start();
    b = await start(a.adminToken);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  it('starts two instances at once on an empty database: one set of migrations, one root', async () => {
    const empty = await createTestDatabase();
    const starts = await Promise.allSettled(
      [0, 1].map(() => startInstance(empty.url, { adminToken: a.adminToken })),
    );
    const both = starts.flatMap((start) => (start.status === 'fulfilled' ? [start.value] : []));
    try {
      expect(starts.map((start) => (start.status === 'rejected' ? String(start.reason) : 'started'))).toEqual(['started', 'started']);
      const trusts = await Promise.all(both.map((server) => client(server.url).get('/v1/trust')));
      expect(trusts[0].body).toEqual(trusts[1].body);
      expect(trusts[0].body.issuers).toHaveLength(1);
    } finally {
      await Promise.all(both.map((server) => server.stop()));
      await empty.drop();
    }
  });

  const activate = (server: StartedServer, activationCode: string, seed: string) =>
    client(server.url).post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint(seed) });

  it('binds exactly 50 devices when 500 race across both instances for 50 seats, and keeps one audit chain', async () => {
    const { activationCode, poolId } = await approvedPool(a.url, a.adminToken, { quantity: 50 });
    const answers = await Promise.all(Array.from({ length: 500 }, (_, i) => activate(i % 2 ? a : b, activationCode, `race-${i}`)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(450);
    expect(answers.filter((r) => r.status === 409).every((r) => r.body.error.code === 'SEATS_EXHAUSTED')).toBe(true);

    for (const server of [a, b]) {
      const admin = client(server.url, server.adminToken);
      expect((await admin.get(`/v1/pools/${poolId}`)).body).toMatchObject({ seats: 50, seatsUsed: 50 });
      expect((await admin.get(`/v1/devices?poolId=${poolId}&limit=100`)).body.total).toBe(50);
      expect((await admin.get('/v1/audit/verify')).body.ok).toBe(true);
    }
    // Both instances wrote to the chain: one ordered list of 50 activations.
    const audit = (await client(a.url, a.adminToken).get('/v1/audit?limit=500')).body;
    const seqs: number[] = audit.items.map((e: { seq: number }) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(audit.items.filter((e: { action: string; data: { poolId?: string } }) => e.action === 'device.activated' && e.data.poolId === poolId)).toHaveLength(50);
  });

  it('binds one seat when the same device races itself on both instances', async () => {
    const { activationCode, poolId } = await approvedPool(a.url, a.adminToken, { quantity: 50 });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => activate(i % 2 ? a : b, activationCode, 'one-device')));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(19);
    expect(new Set(answers.map((r) => r.body.deviceId)).size).toBe(1);
    expect(new Set(answers.map((r) => r.body.license)).size).toBe(1);
    expect((await client(b.url, b.adminToken).get(`/v1/pools/${poolId}`)).body.seatsUsed).toBe(1);
  });

  it('signs with shared keys: a license from either instance verifies against the one root, and a rotation on one is used by the other', async () => {
    const { activationCode } = await approvedPool(a.url, a.adminToken, { quantity: 50 });
    const trust = (await client(a.url).get('/v1/trust')).body;
    expect((await client(b.url).get('/v1/trust')).body).toEqual(trust);
    for (const [server, seed] of [[a, 'key-a'], [b, 'key-b']] as const) {
      const answer = await activate(server, activationCode, seed);
      const result = await verifyLicense(answer.body.license, { roots: trust.root, fingerprint: deviceFingerprint(seed), platform: 'android' });
      expect(result.valid).toBe(true);
    }

    const rotated = await run(process.execPath, [ADMIN_CLI, 'keys', 'rotate'], {
      env: { ...process.env, ...a.storageEnv },
    });
    const newKid: string = JSON.parse(rotated.stdout).kid;
    expect(newKid).toBeTruthy();
    // Instances re-read the active issuer every few seconds.
    let kid = '';
    for (let i = 0; i < 40 && kid !== newKid; i++) {
      await new Promise((r) => setTimeout(r, 250));
      kid = parseLicense((await activate(b, activationCode, `after-rotation-${i}`)).body.license).header.kid;
    }
    expect(kid).toBe(newKid);
    const issuers = (await client(b.url).get('/v1/trust')).body.issuers.map((i: { kid: string }) => i.kid);
    expect(issuers).toContain(newKid);
  });

  it('keeps serving on one instance while the other is killed under load, and agrees with the device rows after its restart', async () => {
    const { activationCode, poolId } = await approvedPool(a.url, a.adminToken, { quantity: 10_000 });
    const received: { deviceId: string; license: string }[] = [];
    let next = 0;
    let stopped = false;
    let servedByB = 0;
    const worker = (server: () => StartedServer, countB: boolean) => async () => {
      while (!stopped) {
        try {
          const answer = await activate(server(), activationCode, `kill-${next++}`);
          if (answer.status === 201) {
            received.push({ deviceId: answer.body.deviceId, license: answer.body.license });
            if (countB) servedByB++;
          }
        } catch {
          // That instance died with this request: the client got no license.
        }
      }
    };
    const load = [...Array.from({ length: 16 }, () => worker(() => a, false)()), ...Array.from({ length: 16 }, () => worker(() => b, true)())];
    while (received.length < 200) await new Promise((r) => setTimeout(r, 10));
    await a.kill('SIGKILL');
    const servedBefore = servedByB;
    while (servedByB < servedBefore + 100) await new Promise((r) => setTimeout(r, 10));
    stopped = true;
    await Promise.all(load);

    a = await start(b.adminToken);
    const admin = client(a.url, a.adminToken);
    // No device here is revoked, so the pool's bundle holds every license kept.
    const { deviceIds: devices, bundle: kept } = await poolHoldings(a.url, a.adminToken, poolId);
    for (const { deviceId, license } of received) {
      expect(devices).toContain(deviceId);
      expect(kept).toContain(license);
    }
    expect((await admin.get(`/v1/pools/${poolId}`)).body.seatsUsed).toBe(devices.length);
    expect((await client(b.url, b.adminToken).get('/v1/audit/verify')).body.ok).toBe(true);
  });
});
