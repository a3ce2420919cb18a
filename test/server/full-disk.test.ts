import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE, rawQuery } from '../support/database';
import { client } from '../support/http';
import { requiredInCi } from '../support/requirement';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

/** A tmpfs of its own as the data directory: mounting needs root, which CI has. */
function smallDisk(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'seatlock-full-disk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=3m,mode=0700', 'tmpfs', dir], { stdio: 'pipe' }).status === 0;
  if (!mounted) rmSync(dir, { recursive: true, force: true });
  return requiredInCi(mounted ? dir : undefined, 'Mounting a small tmpfs', 'run the tests as root (mount -t tmpfs) to test a full disk');
}

const sqlite = TEST_DATABASE === 'sqlite';
const disk = sqlite ? smallDisk() : undefined;

// PostgreSQL's disk is its server's; the server's own data directory is SQLite's.
describe.runIf(disk)('a full disk under the SQLite data directory', { timeout: 120_000 }, () => {
  let server: StartedServer | undefined;
  afterAll(async () => {
    await server?.stop();
    spawnSync('umount', [disk as string]);
    rmSync(disk as string, { recursive: true, force: true });
  });

  it('answers 503 STORAGE_FULL, corrupts nothing, and serves again once space returns', async () => {
    server = await startServer({ dataDir: disk });
    const { activationCode, poolId } = await approvedPool(server.url, server.adminToken, { quantity: 10_000 });
    const anonymous = client(server.url);
    const received: { seed: string; deviceId: string; license: string }[] = [];
    const otherAnswers: string[] = [];
    let full = 0;
    for (let i = 0; i < 10_000 && full < 50; i += 8) {
      const answers = await Promise.all(
        Array.from({ length: 8 }, async (_, j) => {
          const seed = `full-${i + j}`;
          return { seed, res: await anonymous.post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint(seed) }) };
        }),
      );
      for (const { seed, res } of answers) {
        if (res.status === 201) received.push({ seed, deviceId: res.body.deviceId, license: res.body.license });
        else if (res.status === 503 && res.body.error?.code === 'STORAGE_FULL' && res.headers.get('retry-after')) full++;
        else otherAnswers.push(`${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(otherAnswers).toEqual([]);
    expect(full).toBeGreaterThanOrEqual(50);
    expect(received.length).toBeGreaterThan(0);
    expect((await client(server.url).get('/healthz')).status).toBe(200);

    execFileSync('mount', ['-o', 'remount,size=64m', disk as string]);
    const after = await anonymous.post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint('after-space-returns') });
    expect(after.status).toBe(201);

    // What the server answered before the disk filled is all there, after a restart too.
    await server.stop();
    server = await startServer({ dataDir: disk, adminToken: server.adminToken });
    expect(await rawQuery(disk as string, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    const admin = client(server.url, server.adminToken);
    expect((await admin.get('/v1/audit/verify')).body.ok).toBe(true);
    const devices = await admin.get(`/v1/devices?poolId=${poolId}&limit=500`);
    expect((await admin.get(`/v1/pools/${poolId}`)).body.seatsUsed).toBe(devices.body.total);
    expect(devices.body.total).toBe(received.length + 1);
    for (const { seed, deviceId, license } of received) {
      const again = await client(server.url).post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint(seed) });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ deviceId, license });
    }
  });
});
