import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/http';
import { type StartedServer, startServer } from '../support/server';

// The console's request and answer types are generated from the OpenAPI document, never typed by hand.
describe("the console's API types", () => {
  let server: StartedServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it('match the OpenAPI document the server serves (regenerate: node console/scripts/api-types.mjs URL/docs-json)', async () => {
    const { renderTypes, TYPES_FILE } = await import('../../console/scripts/api-types.mjs');
    const document = (await client(server.url).get('/docs-json')).body;
    expect(readFileSync(TYPES_FILE, 'utf8')).toBe(renderTypes(document));
  });
});
