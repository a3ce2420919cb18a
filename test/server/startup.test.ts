import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/http';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

describe('server start', () => {
  let server: StartedServer;
  beforeAll(async () => {
    // The first start itself: migrations and keys made by this server, not copied.
    server = await startServer({ firstStart: true });
  });
  afterAll(() => server?.stop());

  it('answers health, catalog and the OpenAPI document', async () => {
    const api = client(server.url);
    expect((await api.get('/healthz')).body).toEqual({ status: 'ok' });
    const catalog = await api.get('/v1/catalog');
    expect(catalog.body.products.map((p: { id: string }) => p.id)).toEqual(['face-detection', 'face-liveness', 'face-recognition']);
    const docs = await api.get('/docs-json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toContain('/v1/activations');
    // The activation body is checked by hand (see activation-body.ts), but still documented.
    expect(docs.body.paths['/v1/activations'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ActivateDto' });
    expect(docs.body.components.schemas.ActivateDto.required).toEqual(['activationCode', 'platform', 'fingerprint']);
    expect((await api.get('/docs')).status).toBe(200);
  });

  it('answers an unknown route with NOT_FOUND', async () => {
    const res = await client(server.url).get('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });

  it('fails clearly when the server cannot start', async () => {
    await expect(startServer({ env: { DATABASE_URL: 'mysql://nowhere' } })).rejects.toThrow(/DATABASE_URL must be a postgres/);
  });

  it('refuses SEATLOCK_TRUST_PROXY=true, a hop count or junk, with one line that says what to set', async () => {
    for (const value of ['true', '1']) {
      const refused = startServer({ env: { SEATLOCK_TRUST_PROXY: value } });
      await expect(refused).rejects.toThrow(/SEATLOCK_TRUST_PROXY must list the addresses or CIDRs of the proxies in front of the server, comma-separated \(for example 10\.0\.0\.0\/8,192\.0\.2\.7\)/);
      await expect(refused).rejects.toThrow(`got "${value}"`);
    }
  });

  it('stops on SIGTERM with activations in flight, and loses none it answered', async () => {
    const other = await startServer();
    const { activationCode, poolId } = await approvedPool(other.url, other.adminToken, { quantity: 1000 });
    const answers = Array.from({ length: 200 }, (_, i) =>
      client(other.url)
        .post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint(`term-${i}`) })
        .catch(() => null),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    other.process.kill('SIGTERM');
    const exitCode = await new Promise((resolve) => other.process.once('exit', resolve));
    expect(exitCode).toBe(0);
    const received = (await Promise.all(answers)).filter((a) => a?.status === 201);

    const again = await startServer({ dataDir: other.dataDir, adminToken: other.adminToken });
    try {
      const admin = client(again.url, again.adminToken);
      const devices = await admin.get(`/v1/devices?poolId=${poolId}&limit=500`);
      const bound = new Set(devices.body.items.map((d: { id: string }) => d.id));
      for (const answer of received) expect(bound.has(answer?.body.deviceId)).toBe(true);
      expect((await admin.get(`/v1/pools/${poolId}`)).body.seatsUsed).toBe(devices.body.total);
    } finally {
      await again.stop();
    }
  });
});
