import { verifyLicense } from '@seatlock/shared';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE } from '../support/database';
import { client } from '../support/http';
import { approvedPool, deviceFingerprint, poolHoldings } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';
import { SERVER_START_MS } from '../support/timing';

/** SQLite is ours to keep consistent across a kill; PostgreSQL's own recovery gets a few rounds. */
const ROUNDS = TEST_DATABASE === 'sqlite' ? 20 : 3;

interface Received {
  seed: string;
  deviceId: string;
  license: string;
}

// A start per round and the first, and the load and checks of the rounds as much again.
describe('SIGKILL during activation load', { timeout: 2 * (ROUNDS + 1) * SERVER_START_MS }, () => {
  let server: StartedServer | undefined;
  afterAll(() => server?.stop());

  it(`loses no license it handed out and no seat count, killed ${ROUNDS} times in a row at random points`, async () => {
    let current = await startServer();
    server = current;
    const { activationCode, poolId } = await approvedPool(current.url, current.adminToken, { quantity: 10_000 });
    const root = (await client(current.url).get('/v1/trust')).body.root as string;
    const received = new Map<string, Received>();
    const answeredOtherwise: string[] = [];
    let sent = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const anonymous = client(current.url);
      const known = [...received.values()];
      let stopped = false;
      // The kill lands after this round's target of new licenses plus a random moment, not after a
      // fixed time: a loaded machine answers fewer requests in a given time, not fewer in all.
      const target = received.size + 11 + Math.floor(Math.random() * 20);
      let reachedTarget!: () => void;
      const targetReached = new Promise<void>((resolve) => (reachedTarget = resolve));
      // New devices, with re-activations of licensed ones mixed in: a kill may land in either.
      const worker = async () => {
        while (!stopped) {
          const again = known.length > 0 && Math.random() < 0.2 ? known[Math.floor(Math.random() * known.length)] : undefined;
          const seed = again?.seed ?? `crash-${sent++}`;
          try {
            const res = await anonymous.post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint(seed) });
            if (res.status === 201 || res.status === 200) {
              if (again && (res.body.deviceId !== again.deviceId || res.body.license !== again.license)) answeredOtherwise.push(seed);
              if (!again) received.set(seed, { seed, deviceId: res.body.deviceId, license: res.body.license });
              if (received.size >= target) reachedTarget();
            } else if (!stopped) {
              answeredOtherwise.push(`${seed}: ${res.status} ${JSON.stringify(res.body)}`);
            }
          } catch {
            // The connection died with the server: this client got nothing.
          }
        }
      };
      const load = Array.from({ length: 16 }, worker);
      const tooSlow = new Promise((_, reject) => setTimeout(() => reject(new Error(`round ${round + 1}: fewer than ${target} licenses within ${SERVER_START_MS} ms`)), SERVER_START_MS).unref());
      await Promise.race([targetReached, tooSlow]);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
      await current.kill('SIGKILL');
      stopped = true;
      await Promise.all(load);

      current = await startServer({ dataDir: current.dataDir, adminToken: current.adminToken });
      server = current;
      const admin = client(current.url, current.adminToken);
      // No device here is revoked, so the pool's bundle holds every license kept.
      const { deviceIds: devices, bundle: kept } = await poolHoldings(current.url, current.adminToken, poolId);
      const lost = [...received.values()].filter(({ deviceId, license }) => !devices.includes(deviceId) || !kept.includes(license));
      expect(lost, `round ${round + 1}: licenses handed out and not kept`).toEqual([]);
      expect((await admin.get(`/v1/pools/${poolId}`)).body.seatsUsed, `round ${round + 1}: seats used`).toBe(devices.length);
      expect((await admin.get('/v1/audit/verify')).body.ok, `round ${round + 1}: audit chain`).toBe(true);
    }
    expect(answeredOtherwise).toEqual([]);
    expect(received.size).toBeGreaterThan(ROUNDS * 10);

    // Every license a client received verifies, and its device activating again gets it back.
    const anonymous = client(current.url);
    const everyOne = [...received.values()];
    for (let i = 0; i < everyOne.length; i += 32) {
      await Promise.all(
        everyOne.slice(i, i + 32).map(async ({ seed, deviceId, license }) => {
          const fingerprint = deviceFingerprint(seed);
          expect((await verifyLicense(license, { roots: root, fingerprint, platform: 'android' })).valid).toBe(true);
          const again = await anonymous.post('/v1/activations', { activationCode, platform: 'android', fingerprint });
          expect(again.status).toBe(200);
          expect(again.body).toMatchObject({ deviceId, license });
        }),
      );
    }
  });
});
