import { afterAll, describe, expect, it } from 'vitest';
import { client } from '../support/http';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

describe('SIGKILL during activation load', { timeout: 90_000 }, () => {
  let server: StartedServer | undefined;
  afterAll(() => server?.stop());

  it('loses no license it handed out and no seat count', async () => {
    const first = await startServer();
    server = first;
    const { activationCode, poolId } = await approvedPool(first.url, first.adminToken, { quantity: 10_000 });
    const anonymous = client(first.url);

    const received: { deviceId: string; license: string }[] = [];
    let sent = 0;
    let stopped = false;
    const worker = async () => {
      while (!stopped) {
        const seed = `crash-${sent++}`;
        try {
          const res = await anonymous.post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint(seed) });
          if (res.status === 201) received.push({ deviceId: res.body.deviceId, license: res.body.license });
        } catch {
          // The connection died with the server: this client got nothing.
        }
      }
    };
    const load = Array.from({ length: 32 }, worker);
    while (received.length < 300) await new Promise((r) => setTimeout(r, 10));
    await first.kill('SIGKILL');
    stopped = true;
    await Promise.all(load);
    expect(received.length).toBeGreaterThanOrEqual(300);

    const second = await startServer({ dataDir: first.dataDir, adminToken: first.adminToken });
    server = second;
    const admin = client(second.url, second.adminToken);
    const all: { id: string; license: string }[] = [];
    for (let after = ''; ; ) {
      const page = (await admin.get(`/v1/devices?poolId=${poolId}&limit=500${after}`)).body;
      all.push(...page.items);
      if (page.nextCursor === null) break;
      after = `&cursor=${page.nextCursor}`;
    }
    const bound = new Map(all.map((d) => [d.id, d.license]));
    for (const { deviceId, license } of received) expect(bound.get(deviceId)).toBe(license);
    expect((await admin.get(`/v1/pools/${poolId}`)).body.seatsUsed).toBe(all.length);
    expect((await admin.get('/v1/audit/verify')).body.ok).toBe(true);
  });
});
