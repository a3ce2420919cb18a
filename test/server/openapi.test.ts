import { ERROR_STATUS } from '@seatlock/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, request } from '../support/http';
import { type StartedServer, startServer } from '../support/server';

type Schema = { $ref?: string; type?: string; items?: Schema; properties?: Record<string, Schema>; allOf?: Schema[] };
type Operation = {
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: Schema }> }>;
  security?: unknown[];
};
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/** Routes that need no principal. */
const PUBLIC = new Set(['GET /healthz', 'GET /readyz', 'GET /v1/catalog', 'GET /v1/quote', 'GET /v1/trust', 'POST /v1/activations', 'POST /v1/activations/offline', 'POST /v1/activations/batch', 'POST /v1/users/accept', 'POST /v1/session']);

describe('the OpenAPI document', () => {
  let server: StartedServer;
  let docs: Document;
  const operations = () =>
    Object.entries(docs.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, method, path, operation })));

  beforeAll(async () => {
    server = await startServer({ env: { SEATLOCK_RATE_LIMIT_FAILURES: '10000' } });
    docs = (await client(server.url).get('/docs-json')).body;
  });
  afterAll(() => server?.stop());

  /** A schema a generated client can type: a named model with properties, an array of one, or a string (text bodies). */
  function expectTyped(schema: Schema | undefined, where: string): void {
    expect(schema, where).toBeDefined();
    const resolved = schema as Schema;
    if (resolved.type === 'string') return;
    if (resolved.type === 'array') return expectTyped(resolved.items, `${where}[]`);
    expect(resolved.$ref, `${where} names a model`).toMatch(/^#\/components\/schemas\//);
    const model = docs.components.schemas[(resolved.$ref as string).split('/').pop() as string];
    expect(model, `${where}: ${resolved.$ref} exists`).toBeDefined();
    const properties = { ...model.properties, ...Object.assign({}, ...(model.allOf ?? []).map((part) => part.properties ?? {})) };
    expect(Object.keys(properties).length, `${where}: ${resolved.$ref} has properties`).toBeGreaterThan(0);
  }

  it('gives every route a typed success answer and a typed request body', () => {
    for (const { route, operation } of operations()) {
      const successes = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
      expect(successes.length, `${route} documents its success`).toBeGreaterThan(0);
      for (const [status, response] of successes) {
        if (status === '204') continue;
        const content = response.content ?? {};
        expect(Object.keys(content).length, `${route} ${status} has a body schema`).toBeGreaterThan(0);
        for (const [type, { schema }] of Object.entries(content)) expectTyped(schema, `${route} ${status} ${type}`);
      }
      for (const [type, { schema }] of Object.entries(operation.requestBody?.content ?? {})) expectTyped(schema, `${route} request ${type}`);
    }
  });

  it("documents every route's error codes with the error body, and the ones every protected route or id route can answer", () => {
    for (const { route, path, operation } of operations()) {
      const errors = Object.entries(operation.responses).filter(([status]) => /^[45]\d\d$/.test(status));
      const codes = errors.flatMap(([status, response]) => {
        expectTyped(response.content?.['application/json']?.schema, `${route} ${status}`);
        const named = (response.description ?? '').split(', ');
        for (const code of named) expect(ERROR_STATUS[code as keyof typeof ERROR_STATUS], `${route}: ${code} answers ${status}`).toBe(Number(status));
        return named;
      });
      if (!PUBLIC.has(route)) expect(codes, route).toEqual(expect.arrayContaining(['UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED']));
      if (path.includes('{id}')) expect(codes, route).toContain('NOT_FOUND');
      if (operation.requestBody || route.startsWith('GET') === false) expect(codes.length, `${route} documents its errors`).toBeGreaterThan(0);
    }
  });

  it('names only routes the server has, and the server answers every protected one with the documented UNAUTHORIZED', async () => {
    for (const { route, method, path } of operations()) {
      const answer = await request(server.url, method.toUpperCase(), path.replace('{id}', '00000000-0000-0000-0000-000000000000'), {
        body: method === 'post' ? {} : undefined,
      });
      // The router's own "no such route" is a 404 with this message; a documented route never answers it.
      expect(answer.body?.error?.message, route).not.toBe('No such resource.');
      if (!PUBLIC.has(route)) expect(answer.status, route).toBe(401);
    }
  });
});
