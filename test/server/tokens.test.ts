import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn } from '../support/accounts';
import { rawQuery } from '../support/database';
import { client, request } from '../support/http';
import { approvedPool } from '../support/seatlock';
import { ADMIN_CLI, REPO_ROOT, type StartedServer, startServer } from '../support/server';
import { SERVER_START_MS } from '../support/timing';

const run = promisify(execFile);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A token that leaked (a laptop, a log, a departed employee) must stop working. */
// A test restarts the server twice at most, and runs seatlock-admin besides.
describe('token revocation', { timeout: 2 * 3 * SERVER_START_MS }, () => {
  let server: StartedServer;
  let admin: ReturnType<typeof client>;
  const cli = async (...args: string[]) => JSON.parse((await run(process.execPath, [ADMIN_CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...server.storageEnv } })).stdout);

  beforeAll(async () => {
    server = await startServer();
    admin = client(server.url, server.adminToken);
  });
  afterAll(() => server?.stop());

  it('lists tokens with paging, never their secrets', async () => {
    const created = await admin.post('/v1/tokens', { role: 'auditor', name: 'listed' });
    const all = await admin.get('/v1/tokens');
    expect(all.status).toBe(200);
    expect(all.body.total).toBeGreaterThanOrEqual(2);
    expect(all.body.items).toContainEqual({ id: created.body.id, role: 'auditor', name: 'listed', customerId: null, createdAt: expect.any(String), revokedAt: null });
    expect(JSON.stringify(all.body)).not.toContain(created.body.token);
    expect(JSON.stringify(all.body)).not.toContain(sha256(created.body.token));
    const page = await admin.get('/v1/tokens?limit=1&offset=1');
    expect(page.body.items).toHaveLength(1);
    expect(page.body.items[0].id).toBe(all.body.items[1].id);
  });

  it('refuses a revoked token at once, and records who revoked it', async () => {
    const created = await admin.post('/v1/tokens', { role: 'issuer', name: 'leaked' });
    const leaked = client(server.url, created.body.token);
    expect((await leaked.get('/v1/orders')).status).toBe(200);
    const revoked = await request(server.url, 'DELETE', `/v1/tokens/${created.body.id}`, { token: server.adminToken });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: created.body.id, revokedAt: expect.any(String) });
    const refused = await leaked.get('/v1/orders');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('UNAUTHORIZED');
    const audit = (await admin.get('/v1/audit?limit=1')).body.items[0];
    expect(audit).toMatchObject({ action: 'token.revoked', subject: `token:${created.body.id}`, actor: expect.stringMatching(/^token:/) });
    expect((await request(server.url, 'DELETE', '/v1/tokens/no-such-token', { token: server.adminToken })).status).toBe(404);
  });

  it('lets the operator list and revoke tokens with seatlock-admin', async () => {
    const created = await admin.post('/v1/tokens', { role: 'auditor', name: 'revoked from the terminal' });
    const listed = await cli('tokens', 'list', '--limit', '500');
    expect(listed.items.map((t: { id: string }) => t.id)).toContain(created.body.id);
    expect((await cli('tokens', 'revoke', created.body.id)).revokedAt).toEqual(expect.any(String));
    // Never used on this server, so not cached: refused at once.
    expect((await client(server.url, created.body.token).get('/v1/orders')).status).toBe(401);
    expect((await admin.get('/v1/audit?limit=1')).body.items[0]).toMatchObject({ action: 'token.revoked', actor: 'cli' });
  });

  it('stores the chosen SEATLOCK_ADMIN_TOKEN salted and slow, and a changed one replaces it', async () => {
    const rows = await rawQuery<{ id: string; token_hash: string; token_salt: string | null }>(server.dataDir, "SELECT id, token_hash, token_salt FROM api_tokens WHERE name = 'SEATLOCK_ADMIN_TOKEN'");
    expect(rows).toHaveLength(1);
    expect(rows[0].token_salt).toMatch(/^[0-9a-f]{32}$/);
    expect(rows[0].token_hash).not.toBe(sha256(server.adminToken));

    const oldToken = server.adminToken;
    await server.stop();
    server = await startServer({ dataDir: server.dataDir, env: server.storageEnv, adminToken: `${oldToken}-changed` });
    admin = client(server.url, server.adminToken);
    expect((await client(server.url, oldToken).get('/v1/orders')).status).toBe(401);
    expect((await admin.get('/v1/orders')).status).toBe(200);
    const chosen = (await admin.get('/v1/tokens?limit=500')).body.items.filter((t: { name: string }) => t.name === 'SEATLOCK_ADMIN_TOKEN');
    expect(chosen.map((t: { id: string; revokedAt: string | null }) => [t.id === rows[0].id, t.revokedAt === null])).toEqual([
      [true, false],
      [false, true],
    ]);
    // The same value at the next start keeps its token.
    await server.stop();
    server = await startServer({ dataDir: server.dataDir, env: server.storageEnv, adminToken: `${oldToken}-changed` });
    expect((await client(server.url, server.adminToken).get('/v1/tokens?limit=500')).body.items.filter((t: { name: string; revokedAt: string | null }) => t.name === 'SEATLOCK_ADMIN_TOKEN' && !t.revokedAt)).toHaveLength(1);
  });
});

/** A person leaves: what they minted while signed in must stop working with their account. */
describe("a disabled person's tokens", { timeout: 90_000 }, () => {
  let server: StartedServer;
  let admin: ReturnType<typeof client>;

  beforeAll(async () => {
    server = await startServer();
    admin = client(server.url, server.adminToken);
  });
  afterAll(() => server?.stop());

  it("revokes the customer token a customer user minted when an admin disables the user, with an audit event", async () => {
    const { customerId, poolId } = await approvedPool(server.url, server.adminToken, { quantity: 60 });
    const user = await createUser(server.url, server.adminToken, { email: 'leaver@tokens.example', role: 'customer', customerId });
    const session = await signIn(server.url, user.email);
    const minted = await session.post('/v1/tokens', { role: 'customer', name: 'build server' });
    expect(minted.status).toBe(201);
    const kept = client(server.url, minted.body.token);
    expect((await kept.get('/v1/pools')).status).toBe(200);

    expect((await admin.post(`/v1/users/${user.id}/disable`)).status).toBe(200);

    const listed = await kept.get('/v1/pools');
    expect(listed.status, JSON.stringify(listed.body)).toBe(401);
    expect((await kept.post(`/v1/pools/${poolId}/activation-code`)).status).toBe(401);
    const row = (await admin.get('/v1/tokens?limit=500')).body.items.find((t: { id: string }) => t.id === minted.body.id);
    expect(row.revokedAt).toEqual(expect.any(String));
    const audit = (await admin.get('/v1/audit?limit=10')).body.items;
    expect(audit).toContainEqual(expect.objectContaining({ action: 'token.revoked', subject: `token:${minted.body.id}`, actor: expect.stringMatching(/^token:/) }));
  });

  it("revokes what an admin user's tokens minted in turn: every token that traces back to the person", async () => {
    const user = await createUser(server.url, server.adminToken, { email: 'departing-admin@tokens.example', role: 'admin' });
    const session = await signIn(server.url, user.email);
    const first = await session.post('/v1/tokens', { role: 'admin', name: 'script' });
    expect(first.status).toBe(201);
    const second = await client(server.url, first.body.token).post('/v1/tokens', { role: 'auditor', name: 'made by the script' });
    expect(second.status).toBe(201);
    expect((await client(server.url, second.body.token).get('/v1/audit?limit=1')).status).toBe(200);

    expect((await admin.post(`/v1/users/${user.id}/disable`)).status).toBe(200);

    expect((await client(server.url, first.body.token).get('/v1/orders')).status).toBe(401);
    expect((await client(server.url, second.body.token).get('/v1/audit?limit=1')).status).toBe(401);
    const revoked = (await admin.get('/v1/audit?limit=10')).body.items.filter((e: { action: string }) => e.action === 'token.revoked').map((e: { subject: string }) => e.subject);
    expect(revoked).toEqual(expect.arrayContaining([`token:${first.body.id}`, `token:${second.body.id}`]));
    // The admin who disabled the person keeps working.
    expect((await admin.get('/v1/orders')).status).toBe(200);
  });

  it('refuses a token that acts for a disabled user even where its revocation is missing (minted while the user was being disabled)', async () => {
    const user = await createUser(server.url, server.adminToken, { email: 'raced@tokens.example', role: 'admin' });
    const minted = await (await signIn(server.url, user.email)).post('/v1/tokens', { role: 'auditor', name: 'minted during the disable' });
    expect((await admin.post(`/v1/users/${user.id}/disable`)).status).toBe(200);
    // Never used yet, so no instance has an answer about it cached.
    await rawQuery(server.dataDir, 'UPDATE api_tokens SET revoked_at = NULL WHERE id = ?', [minted.body.id]);
    expect((await client(server.url, minted.body.token).get('/v1/audit?limit=1')).status).toBe(401);
  });
});
