import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, request } from '../support/http';
import { type StartedServer, startServer } from '../support/server';
import { PUBLIC_ROUTES } from '../support/routes';

type Role = 'issuer' | 'auditor' | 'customer';
const ROLES: Role[] = ['issuer', 'auditor', 'customer'];

/** Every route that needs a token, with the roles (besides admin) allowed on it. */
const PROTECTED: Record<string, Role[]> = {
  'POST /v1/tokens': ['customer'],
  'GET /v1/tokens': [],
  'DELETE /v1/tokens/{id}': [],
  'POST /v1/users': [],
  'GET /v1/users': [],
  'POST /v1/users/{id}/disable': [],
  'DELETE /v1/session': ['issuer', 'auditor', 'customer'],
  'GET /v1/me': ['issuer', 'auditor', 'customer'],
  'POST /v1/customers': ['issuer'],
  'GET /v1/customers': ['issuer', 'auditor', 'customer'],
  'GET /v1/customers/{id}': ['issuer', 'auditor', 'customer'],
  'POST /v1/orders': ['issuer', 'customer'],
  'GET /v1/orders': ['issuer', 'auditor', 'customer'],
  'GET /v1/orders/export': ['issuer', 'auditor', 'customer'],
  'GET /v1/orders/{id}': ['issuer', 'auditor', 'customer'],
  'POST /v1/orders/{id}/approve': ['issuer'],
  'POST /v1/orders/{id}/reject': ['issuer'],
  'POST /v1/trials': ['issuer', 'customer'],
  'GET /v1/trials': ['issuer', 'auditor', 'customer'],
  'GET /v1/trials/export': ['issuer', 'auditor', 'customer'],
  'GET /v1/trials/{id}': ['issuer', 'auditor', 'customer'],
  'POST /v1/trials/{id}/approve': ['issuer'],
  'POST /v1/trials/{id}/reject': ['issuer'],
  'GET /v1/pools': ['issuer', 'auditor', 'customer'],
  'GET /v1/pools/{id}': ['issuer', 'auditor', 'customer'],
  'POST /v1/pools/{id}/activation-code': ['issuer', 'customer'],
  'GET /v1/pools/{id}/licenses': ['issuer', 'auditor', 'customer'],
  'GET /v1/devices': ['issuer', 'auditor', 'customer'],
  'GET /v1/devices/export': ['issuer', 'auditor', 'customer'],
  'POST /v1/devices/search': ['issuer', 'auditor', 'customer'],
  'GET /v1/devices/{id}': ['issuer', 'auditor', 'customer'],
  'GET /v1/devices/{id}/license': ['issuer', 'auditor', 'customer'],
  'POST /v1/devices/{id}/revoke': ['issuer'],
  'GET /v1/audit': ['auditor', 'customer'],
  'GET /v1/audit/export': ['auditor', 'customer'],
  'GET /v1/audit/verify': ['auditor'],
  'POST /v1/audit/verify': ['auditor'],
  'GET /v1/overview/seats': ['issuer', 'auditor', 'customer'],
  'GET /v1/overview/trials': ['issuer', 'auditor', 'customer'],
  'GET /v1/overview/activations': ['issuer', 'auditor', 'customer'],
  'GET /v1/overview/review': ['issuer', 'auditor'],
  'POST /v1/webhooks': [],
  'GET /v1/webhooks': [],
  'GET /v1/webhooks/{id}': [],
  'PATCH /v1/webhooks/{id}': [],
  'DELETE /v1/webhooks/{id}': [],
  'POST /v1/webhooks/{id}/rotate-secret': [],
  'GET /v1/webhooks/{id}/deliveries': [],
  'POST /v1/webhooks/{id}/deliveries/{delivery}/send-again': [],
};


describe('access control', () => {
  let server: StartedServer;
  const tokens: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    // Wrong tokens are failures the rate limiter counts; this file sends many on purpose.
    server = await startServer({ env: { SEATLOCK_RATE_LIMIT_FAILURES: '10000' } });
    const admin = client(server.url, server.adminToken);
    const customer = await admin.post('/v1/customers', { name: 'Customer of the access tests' });
    for (const role of ROLES) {
      const created = await admin.post('/v1/tokens', { role, name: `${role} for tests`, ...(role === 'customer' ? { customerId: customer.body.id } : {}) });
      expect(created.status).toBe(201);
      expect(created.body.token).toMatch(/^slt_/);
      tokens[role] = created.body.token;
    }
  });
  afterAll(() => server?.stop());

  it('lists every route of the OpenAPI document here, protected or public', async () => {
    const docs = await client(server.url).get('/docs-json');
    const routes = Object.entries(docs.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual([...Object.keys(PROTECTED), ...PUBLIC_ROUTES].sort());
  });

  for (const [route, roles] of Object.entries(PROTECTED)) {
    const [method, template] = route.split(' ');
    const path = template.replace('{id}', '00000000-0000-0000-0000-000000000000');

    it(`${route} refuses no token, a wrong token${roles.length < ROLES.length ? ' and a role without the right' : ''}`, async () => {
      const none = await request(server.url, method, path, { body: method === 'POST' ? {} : undefined });
      expect(none.status).toBe(401);
      expect(none.body.error.code).toBe('UNAUTHORIZED');
      const wrong = await request(server.url, method, path, { token: 'slt_not-a-real-token', body: method === 'POST' ? {} : undefined });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('UNAUTHORIZED');
      for (const role of ROLES.filter((r) => !roles.includes(r))) {
        const refused = await request(server.url, method, path, { token: tokens[role], body: method === 'POST' ? {} : undefined });
        expect(refused.status, `${role} on ${route}`).toBe(403);
        expect(refused.body.error.code).toBe('FORBIDDEN');
      }
      for (const role of roles) {
        const allowed = await request(server.url, method, path, { token: tokens[role], body: method === 'POST' ? {} : undefined });
        expect([200, 201, 204, 400, 404], `${role} on ${route}`).toContain(allowed.status);
      }
    });
  }

  it('lets an auditor read and an issuer work', async () => {
    const issuer = client(server.url, tokens.issuer);
    const customer = await issuer.post('/v1/customers', { name: 'Issued by the issuer' });
    expect(customer.status).toBe(201);
    const auditor = client(server.url, tokens.auditor);
    expect((await auditor.get(`/v1/customers/${customer.body.id}`)).body.name).toBe('Issued by the issuer');
    const audit = await auditor.get('/v1/audit?limit=5');
    expect(audit.status).toBe(200);
    expect(audit.body.items[0]).toMatchObject({ action: 'customer.created', subject: `customer:${customer.body.id}` });
  });
});
