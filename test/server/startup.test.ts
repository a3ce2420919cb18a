import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/http';
import { type StartedServer, startServer } from '../support/server';

describe('server start', () => {
  let server: StartedServer;
  beforeAll(async () => {
    server = await startServer();
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

  it('stops on SIGTERM', async () => {
    const other = await startServer();
    await other.stop();
    expect(other.process.exitCode ?? other.process.signalCode).not.toBeNull();
  });
});
