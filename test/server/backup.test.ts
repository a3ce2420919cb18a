import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../support/admin';
import { TEST_DATABASE } from '../support/database';
import { client } from '../support/http';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

const run = promisify(execFile);

/** A device that got a license. */
interface Activated {
  seed: string;
  activationCode: string;
  deviceId: string;
}

/**
 * Takes a backup of `server` (SQLite: seatlock-admin backup; PostgreSQL: pg_dump) and restores it
 * to new storage, returning the environment that points a server at the restored copy.
 */
async function backupAndRestore(server: StartedServer, work: string, restoredDatabases: TestDatabase[]): Promise<{ take: () => Promise<void>; restore: () => Promise<Record<string, string>> }> {
  const file = join(work, TEST_DATABASE === 'sqlite' ? 'seatlock-backup.sqlite' : 'seatlock.dump');
  if (TEST_DATABASE === 'sqlite') {
    const dataDir = join(work, 'restored');
    return {
      take: async () => {
        const backup = await runAdmin(['backup', '--out', file], server.storageEnv);
        expect(backup.code, backup.stderr).toBe(0);
        expect(JSON.parse(backup.stdout)).toMatchObject({ file, schema: expect.stringMatching(/^[A-Za-z]+\d{13}$/) });
      },
      restore: async () => {
        // Never into a directory that holds a database, unless told.
        const refused = await runAdmin(['restore', file], server.storageEnv);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/is not empty/);
        const restored = await runAdmin(['restore', file], { SEATLOCK_DATA_DIR: dataDir, DATABASE_URL: '' });
        expect(restored.code, restored.stderr).toBe(0);
        return { SEATLOCK_DATA_DIR: dataDir, DATABASE_URL: '' };
      },
    };
  }
  return {
    take: async () => {
      await run('pg_dump', ['--format=custom', `--file=${file}`, server.storageEnv.DATABASE_URL]);
    },
    restore: async () => {
      const target = await createTestDatabase();
      restoredDatabases.push(target);
      await run('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${target.url}`, file]);
      return { SEATLOCK_DATA_DIR: join(work, 'restored'), DATABASE_URL: target.url };
    },
  };
}

describe(`a backup taken while devices activate (${TEST_DATABASE === 'sqlite' ? 'seatlock-admin backup' : 'pg_dump'})`, { timeout: 120_000 }, () => {
  const servers: StartedServer[] = [];
  const restoredDatabases: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await Promise.all(restoredDatabases.map((d) => d.drop()));
  });

  it('restores, starts, verifies its audit chain, re-activates every device licensed before it began, and binds no more devices than seats', async () => {
    const original = await startServer({ env: { SEATLOCK_RATE_LIMIT_FAILURES: '100000' } });
    servers.push(original);
    // A large pool that keeps taking devices, and a small one that runs out of seats during the load.
    const large = await approvedPool(original.url, original.adminToken, { quantity: 10_000 });
    const small = await approvedPool(original.url, original.adminToken, { quantity: 50 });
    const work = mkdtempSync(join(tmpdir(), 'seatlock-backup-test-'));
    const backup = await backupAndRestore(original, work, restoredDatabases);

    const activated: Activated[] = [];
    const refusals = new Map<string, number>();
    let next = 0;
    let backupDone = false;
    const worker = async () => {
      while (!backupDone || next < 400) {
        const n = next++;
        const seed = `backup-${n}`;
        const activationCode = n % 3 === 0 ? small.activationCode : large.activationCode;
        const answer = await client(original.url).post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint(seed) });
        if (answer.status === 201) activated.push({ seed, activationCode, deviceId: answer.body.deviceId });
        else refusals.set(answer.body.error.code, (refusals.get(answer.body.error.code) ?? 0) + 1);
      }
    };
    const load = Array.from({ length: 8 }, worker);
    while (activated.length < 100) await new Promise((r) => setTimeout(r, 10));
    const countBefore = activated.length;
    await backup.take();
    const countAfter = activated.length;
    backupDone = true;
    await Promise.all(load);
    // Devices were answered while the backup ran, and the small pool ran out.
    expect(countAfter).toBeGreaterThan(countBefore);
    expect([...refusals.keys()]).toEqual(['SEATS_EXHAUSTED']);
    await original.stop();

    const restoredEnv = await backup.restore();
    const restored = await startServer({ dataDir: restoredEnv.SEATLOCK_DATA_DIR, adminToken: original.adminToken, env: restoredEnv });
    servers.push(restored);
    expect((await client(restored.url).get('/readyz')).status).toBe(200);
    const verified = await runAdmin(['audit', 'verify'], restoredEnv);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);

    // The answers recorded before the backup began, by position: a clock reading can tie with them.
    const licensedBefore = activated.slice(0, countBefore);
    expect(licensedBefore.length).toBeGreaterThanOrEqual(100);
    for (const device of licensedBefore) {
      const again = await client(restored.url).post('/v1/activations', { activationCode: device.activationCode, platform: 'android', fingerprint: deviceFingerprint(device.seed) });
      expect(again.status, device.seed).toBe(200);
      expect(again.body.deviceId).toBe(device.deviceId);
    }
    const admin = client(restored.url, original.adminToken);
    for (const pool of [large, small]) {
      const { seats, seatsUsed } = (await admin.get(`/v1/pools/${pool.poolId}`)).body;
      const devices = (await admin.get(`/v1/devices?poolId=${pool.poolId}&limit=1`)).body.total;
      expect(devices, pool.poolId).toBe(seatsUsed);
      expect(devices, pool.poolId).toBeLessThanOrEqual(seats);
    }
  });
});
