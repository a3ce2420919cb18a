import { writeActivationRequest } from '@seatlock/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/http';
import { approvedPool, deviceFingerprint, issuerToken } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

/** An activation code leaked with a request file; the customer's pool must stop accepting it. */
describe('changing a pool’s activation code', () => {
  let server: StartedServer;
  let admin: ReturnType<typeof client>;
  const anonymous = () => client(server.url);
  const activate = (activationCode: string, seed: string) => anonymous().post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint(seed) });

  beforeAll(async () => {
    server = await startServer({ env: { SEATLOCK_RATE_LIMIT_FAILURES: '1000' } });
    admin = client(server.url, server.adminToken);
  });
  afterAll(() => server?.stop());

  it('refuses the leaked code at once, online and offline; bound devices keep their license and re-activate with the new one', async () => {
    const { activationCode: leaked, poolId } = await approvedPool(server.url, server.adminToken, { quantity: 60 });
    const bound = await activate(leaked, 'bound-before');
    expect(bound.status).toBe(201);

    const changed = await client(server.url, await issuerToken(server.url, server.adminToken)).post(`/v1/pools/${poolId}/activation-code`);
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ activationCode: expect.stringMatching(/^slac_[A-Za-z0-9_-]{43}$/) });
    const fresh: string = changed.body.activationCode;
    expect(fresh).not.toBe(leaked);

    for (const seed of ['bound-before', 'new-with-leaked']) {
      const refused = await activate(leaked, seed);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('INVALID_ACTIVATION_CODE');
    }
    const offline = await anonymous().post('/v1/activations/offline', writeActivationRequest({ activationCode: leaked, platform: 'android', fingerprint: deviceFingerprint('offline-leaked') }));
    expect(offline.status).toBe(403);

    const again = await activate(fresh, 'bound-before');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ deviceId: bound.body.deviceId, license: bound.body.license, seatsUsed: 1 });
    expect((await activate(fresh, 'new-with-fresh')).status).toBe(201);
    expect((await admin.get(`/v1/devices/${bound.body.deviceId}`)).body.status).toBe('active');

    const audit = (await admin.get('/v1/audit?limit=5')).body.items;
    expect(audit.find((e: { action: string }) => e.action === 'pool.activation-code-changed')).toMatchObject({ subject: `pool:${poolId}`, actor: expect.stringMatching(/^token:/) });
    expect(JSON.stringify(audit)).not.toContain(fresh);
    expect((await admin.get(`/v1/pools/${poolId}`)).body.activationCode).toBeUndefined();
  });

  it('is for admins and issuers only, and answers NOT_FOUND for an unknown pool', async () => {
    const { poolId } = await approvedPool(server.url, server.adminToken);
    const auditor = (await admin.post('/v1/tokens', { role: 'auditor' })).body.token;
    const refused = await client(server.url, auditor).post(`/v1/pools/${poolId}/activation-code`);
    expect(refused.status).toBe(403);
    expect((await admin.post(`/v1/pools/${poolId}/activation-code`)).status).toBe(200);
    const missing = await admin.post('/v1/pools/00000000-0000-0000-0000-000000000000/activation-code');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });
});
