import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, sessionClient, signIn } from '../support/accounts';
import { client, type JsonResponse, request } from '../support/http';
import { deviceFingerprint } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';
import { PUBLIC_ROUTES } from '../support/routes';

/** Public routes act on no customer's objects by id. */
const PUBLIC = new Set(PUBLIC_ROUTES);
/** Acts on the caller's own session only; tried last, on its own. */
const SIGN_OUT = 'DELETE /v1/session';

/** Values for the request fields of a route's body, all naming (or fitting) the other customer. */
function bodyValues(other: Customer): Record<string, unknown> {
  return { customerId: other.customerId, deviceId: other.deviceId, product: 'face-liveness', modality: 'ir', quantity: 1000, role: 'customer', name: 'matrix', email: `matrix-${randomUUID()}@example.com` };
}

interface Customer {
  customerId: string;
  userId: string;
  tokenId: string;
  token: string;
  session: ReturnType<typeof sessionClient>;
  trialId: string;
  orderId: string;
  poolId: string;
  activationCode: string;
  deviceId: string;
}

type OpenApi = {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};

describe('customer isolation: every route, as customer A, on customer B', () => {
  let server: StartedServer;
  let docs: OpenApi;
  /** A webhook endpoint of the vendor's staff: no customer may read or change it. */
  let webhookId: string;
  const customers: Record<'A' | 'B', Customer> = {} as never;

  beforeAll(async () => {
    // A loopback endpoint for an event this test never causes, so nothing is sent.
    server = await startServer({ env: { SEATLOCK_WEBHOOK_ALLOW_PRIVATE: '1' } });
    const admin = client(server.url, server.adminToken);
    const webhook = await admin.post('/v1/webhooks', { url: 'http://127.0.0.1:9/', eventTypes: ['signing_key.rotated'] });
    expect(webhook.status, JSON.stringify(webhook.body)).toBe(201);
    webhookId = webhook.body.id as string;
    for (const name of ['A', 'B'] as const) {
      const customer = await admin.post('/v1/customers', { name: `Customer ${name}` });
      const customerId = customer.body.id as string;
      const user = await createUser(server.url, server.adminToken, { email: `owner-${name.toLowerCase()}@example.com`, role: 'customer', customerId });
      const session = await signIn(server.url, user.email);
      const token = await admin.post('/v1/tokens', { role: 'customer', name: `token of ${name}`, customerId });
      expect(token.status).toBe(201);
      const trial = await session.post('/v1/trials', { product: 'face-detection' });
      expect(trial.status, JSON.stringify(trial.body)).toBe(201);
      const approved = await admin.post(`/v1/trials/${trial.body.id}/approve`);
      const { id: poolId, activationCode } = approved.body.pool;
      const activation = await client(server.url).post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint(`isolation-${name}`) });
      expect(activation.status).toBe(201);
      const order = await session.post('/v1/orders', { product: 'face-recognition', quantity: 1000, modality: 'ir' });
      expect(order.status, JSON.stringify(order.body)).toBe(201);
      customers[name] = {
        customerId,
        userId: user.id,
        tokenId: token.body.id,
        token: token.body.token,
        session,
        trialId: trial.body.id,
        orderId: order.body.id,
        poolId,
        activationCode,
        deviceId: activation.body.deviceId,
      };
    }
    docs = (await client(server.url).get('/docs-json')).body;
  });
  afterAll(() => server?.stop());

  const routes = () =>
    Object.entries(docs.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path, operation: methods[method] })))
      .filter(({ method, path }) => !PUBLIC.has(`${method} ${path}`) && `${method} ${path}` !== SIGN_OUT);

  /** B's object that a path's `{id}` names, by the collection it is under; a route under a new collection fails here until it is added. */
  function idIn(path: string, of: Customer): string {
    const collection = path.split('/')[2];
    const ids: Record<string, string> = {
      customers: of.customerId,
      orders: of.orderId,
      trials: of.trialId,
      pools: of.poolId,
      devices: of.deviceId,
      users: of.userId,
      tokens: of.tokenId,
      webhooks: webhookId,
    };
    const id = ids[collection];
    if (!id) throw new Error(`No object of customer B is known under /v1/${collection}: add one to this test.`);
    return id;
  }

  function body(operation: OpenApi['paths'][string][string], other: Customer): Record<string, unknown> | undefined {
    const ref = operation.requestBody?.content['application/json']?.schema.$ref;
    if (!ref) return undefined;
    const properties = docs.components.schemas[ref.split('/').pop() as string].properties ?? {};
    const values = bodyValues(other);
    return Object.fromEntries(Object.keys(properties).filter((name) => name in values).map((name) => [name, values[name]]));
  }

  const idsOf = (c: Customer) => [c.customerId, c.userId, c.tokenId, c.trialId, c.orderId, c.poolId, c.deviceId];

  for (const principal of ['token', 'session'] as const) {
    it(`as A's ${principal}: B's objects answer exactly like objects that do not exist, and no answer names them`, async () => {
      const { A, B } = customers;
      const call = (method: string, path: string, payload?: unknown): Promise<JsonResponse> =>
        principal === 'token'
          ? request(server.url, method, path, { token: A.token, body: payload })
          : request(server.url, method, path, { headers: { cookie: A.session.cookie, origin: new URL(server.url).origin }, body: payload });
      let notFound = 0;
      for (const { method, path, operation } of routes()) {
        const route = `${method} ${path}`;
        const payload = body(operation, B) ?? (method === 'POST' ? {} : undefined);
        if (path.includes('{id}')) {
          const onB = await call(method, path.replace('{id}', idIn(path, B)), payload);
          const onNothing = await call(method, path.replace('{id}', randomUUID()), payload);
          expect([403, 404], `${route} on B's object: ${JSON.stringify(onB.body)}`).toContain(onB.status);
          expect({ status: onB.status, code: onB.body?.error?.code }, route).toEqual({ status: onNothing.status, code: onNothing.body?.error?.code });
          if (onB.status === 404) notFound += 1;
        } else if (method === 'GET') {
          for (const query of ['', `?customerId=${B.customerId}`, `?poolId=${B.poolId}`]) {
            const answer = await call(method, `${path}${query}`);
            expect([200, 400, 403, 404], `${route}${query}`).toContain(answer.status);
            const text = JSON.stringify(answer.body);
            // An id the caller sent may come back in the message, as a made-up one would.
            for (const id of idsOf(B).filter((id) => !query.includes(id))) expect(text, `${route}${query} names B's ${id}`).not.toContain(id);
          }
        } else {
          const answer = await call(method, path, payload);
          expect([403, 404], `${route} for B: ${JSON.stringify(answer.body)}`).toContain(answer.status);
        }
      }
      // Orders, trials, customers, pools, devices, the device license, the pool licenses.
      expect(notFound).toBeGreaterThanOrEqual(7);
    });
  }

  it("left B's objects as they were, and A still sees its own", async () => {
    const { A, B } = customers;
    const admin = client(server.url, server.adminToken);
    expect((await admin.get(`/v1/orders/${B.orderId}`)).body.status).toBe('submitted');
    expect((await admin.get(`/v1/trials/${B.trialId}`)).body).toMatchObject({ status: 'approved', poolId: B.poolId });
    expect((await admin.get(`/v1/devices/${B.deviceId}`)).body.status).toBe('active');
    expect((await admin.get(`/v1/pools/${B.poolId}`)).body.seatsUsed).toBe(1);
    const again = await client(server.url).post('/v1/activations', { activationCode: B.activationCode, platform: 'android', fingerprint: deviceFingerprint('isolation-B') });
    expect(again.status).toBe(200);
    expect((await client(server.url, B.token).get('/v1/me')).status).toBe(200);

    const own = client(server.url, A.token);
    expect((await own.get('/v1/orders')).body.items.map((o: { id: string }) => o.id)).toEqual([A.orderId]);
    expect((await own.get('/v1/trials')).body.items.map((t: { id: string }) => t.id)).toEqual([A.trialId]);
    expect((await own.get('/v1/pools')).body.items.map((p: { id: string }) => p.id)).toEqual([A.poolId]);
    expect((await own.get('/v1/devices')).body.items.map((d: { id: string }) => d.id)).toEqual([A.deviceId]);
    expect((await own.get('/v1/customers')).body.items.map((c: { id: string }) => c.id)).toEqual([A.customerId]);
    // The overview's figures are A's alone: its trial pool, its one device, no review queue.
    expect((await own.get('/v1/overview/seats')).body.items.map((p: { poolId: string }) => p.poolId)).toEqual([A.poolId]);
    expect((await own.get('/v1/overview/trials')).body.items.map((t: { poolId: string }) => t.poolId)).toEqual([A.poolId]);
    expect((await own.get('/v1/overview/activations')).body.total).toBe(1);
    expect((await own.get('/v1/overview/review')).status).toBe(403);
    expect((await admin.get('/v1/overview/activations')).body.total).toBe(2);
    const audit = await own.get('/v1/audit');
    expect(audit.body.items.map((e: { subject: string }) => e.subject)).toEqual(expect.arrayContaining([`order:${A.orderId}`, `trial:${A.trialId}`, `device:${A.deviceId}`]));
  });

  it("signing out ends A's session only", async () => {
    const { A, B } = customers;
    expect((await A.session.delete('/v1/session')).status).toBe(204);
    expect((await A.session.get('/v1/me')).status).toBe(401);
    expect((await B.session.get('/v1/me')).status).toBe(200);
  });
});
