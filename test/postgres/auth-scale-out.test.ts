import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, signIn, TEST_PASSWORD } from '../support/accounts';
import { client, type JsonResponse, request } from '../support/http';
import { createTestDatabase, type TestDatabase } from '../support/postgres';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { type StartedServer, startInstance } from '../support/server';

/** Asks until `done` holds, for at most `seconds`; answers the last response. */
async function eventually(ask: () => Promise<JsonResponse>, done: (response: JsonResponse) => boolean, seconds: number): Promise<JsonResponse> {
  const deadline = Date.now() + seconds * 1000;
  let response = await ask();
  while (!done(response) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    response = await ask();
  }
  return response;
}

/** Revocations, changed codes and rate limits made on one instance hold on the other. */
describe('credentials across two instances on one PostgreSQL database', { timeout: 120_000 }, () => {
  let database: TestDatabase;
  let a: StartedServer;
  let b: StartedServer;
  const start = (adminToken?: string, env: Record<string, string> = {}) =>
    // The test acts as a balancer at 127.0.0.1: a burst names its own addresses in X-Forwarded-For.
    startInstance(database.url, { adminToken, env: { SEATLOCK_RATE_LIMIT_FAILURES: '5', SEATLOCK_RATE_LIMIT_WINDOW_SECONDS: '600', SEATLOCK_TRUST_PROXY: '127.0.0.1', ...env } });

  beforeAll(async () => {
    database = await createTestDatabase();
    a = await start();
    b = await start(a.adminToken);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  it('keeps one SEATLOCK_ADMIN_TOKEN row for instances started with the same value', async () => {
    const tokens = (await client(b.url, b.adminToken).get('/v1/tokens?limit=500')).body.items;
    expect(tokens.filter((t: { name: string; revokedAt: string | null }) => t.name === 'SEATLOCK_ADMIN_TOKEN' && !t.revokedAt)).toHaveLength(1);
  });

  it('refuses a token revoked on one instance at once there, and on the other once its 5 s cache ends', async () => {
    const created = await client(a.url, a.adminToken).post('/v1/tokens', { role: 'auditor', name: 'leaked' });
    const leakedOn = (server: StartedServer) => client(server.url, created.body.token).get('/v1/orders');
    // B has it cached as valid.
    expect((await leakedOn(b)).status).toBe(200);
    expect((await request(a.url, 'DELETE', `/v1/tokens/${created.body.id}`, { token: a.adminToken })).status).toBe(200);
    expect((await leakedOn(a)).status).toBe(401);
    const onB = await eventually(() => leakedOn(b), (r) => r.status === 401, 30);
    expect(onB.status).toBe(401);
  });

  it('refuses a changed activation code on the other instance at once, though that one had it cached', async () => {
    const { activationCode: leaked, poolId } = await approvedPool(a.url, a.adminToken, { quantity: 60 });
    const activate = (server: StartedServer, code: string, seed: string) => client(server.url).post('/v1/activations', { activationCode: code, platform: 'android', fingerprint: deviceFingerprint(seed) });
    expect((await activate(b, leaked, 'cached-on-b')).status).toBe(201);
    const { activationCode: fresh } = (await client(a.url, a.adminToken).post(`/v1/pools/${poolId}/activation-code`)).body;
    const refused = await activate(b, leaked, 'after-change');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('INVALID_ACTIVATION_CODE');
    expect((await activate(b, fresh, 'cached-on-b')).status).toBe(200);
  });

  it('refuses the token of a user disabled on one instance at once there, and on the other within its 5 s cache', async () => {
    const user = await createUser(a.url, a.adminToken, { email: 'leaver@scale-out.example', role: 'admin' });
    const minted = await (await signIn(a.url, user.email)).post('/v1/tokens', { role: 'issuer', name: 'kept after leaving' });
    expect(minted.status).toBe(201);
    const keptOn = (server: StartedServer) => client(server.url, minted.body.token).get('/v1/orders');
    // B has it cached as valid.
    expect((await keptOn(b)).status).toBe(200);
    expect((await client(a.url, a.adminToken).post(`/v1/users/${user.id}/disable`)).status).toBe(200);
    const disabledAt = Date.now();
    expect((await keptOn(a)).status).toBe(401);
    const onB = await eventually(() => keptOn(b), (r) => r.status === 401, 30);
    expect(onB.status).toBe(401);
    // The cache's 5 s, and a margin for a loaded machine.
    expect(Date.now() - disabledAt).toBeLessThan(8_000);
  });

  const signInFrom = (server: StartedServer, address: string, email: string, password: string) =>
    request(server.url, 'POST', '/v1/session', { body: { email, password }, headers: { 'x-forwarded-for': address } });
  // A wrong password was checked when the answer is 401; 429 checked nothing.
  const wrongChecked = (answers: JsonResponse[]) => answers.filter((r) => r.status === 401).length;
  const expectOnly = (answers: JsonResponse[]) => expect(answers.filter((r) => r.status !== 200 && r.status !== 401 && r.status !== 429)).toEqual([]);
  // Each request takes its own connection, so they are counted in no set order: the right
  // password sent 16th may be among the first checked, and then signs in.
  const expectRightOnlyAt = (answers: JsonResponse[], at: number) =>
    expect(answers.map((r, i) => (r.status === 200 ? i : -1)).filter((i) => i >= 0)).toEqual(answers[at].status === 200 ? [at] : []);
  const statusesOf = (answers: JsonResponse[]) => answers.map((r) => r.status).join(' ');

  it('checks 5 of 40 wrong passwords sent at once to one account through both instances from 20 addresses, then the account is locked on both', async () => {
    const user = await createUser(a.url, a.adminToken, { email: 'locked@scale-out.example', role: 'admin' });
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => signInFrom(i % 2 ? a : b, `198.51.100.${i % 20}`, user.email, `wrong password ${i}`)));
    expectOnly(burst);
    expect(wrongChecked(burst), statusesOf(burst)).toBe(5);
    for (const server of [a, b]) {
      const locked = await signInFrom(server, '198.51.100.200', user.email, TEST_PASSWORD);
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    }
  });

  it('counts the wrong passwords checked beside the right one on the other instance: their run goes on, and locks the account at the 5th', async () => {
    const user = await createUser(a.url, a.adminToken, { email: 'alongside@scale-out.example', role: 'admin' });
    const alongside = await Promise.all(Array.from({ length: 5 }, (_, i) => signInFrom(i === 4 ? b : a, `198.51.101.${i}`, user.email, i === 4 ? TEST_PASSWORD : `wrong password ${i}`)));
    expect(alongside.map((r) => r.status)).toEqual([401, 401, 401, 401, 200]);
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => signInFrom(i % 2 ? a : b, `198.51.101.${10 + (i % 20)}`, user.email, `wrong password ${10 + i}`)));
    expectOnly(burst);
    expect(wrongChecked(burst), statusesOf(burst)).toBe(1);
    for (const server of [a, b]) expect((await signInFrom(server, '198.51.101.200', user.email, TEST_PASSWORD)).status).toBe(429);
  });

  it('checks at most 5 wrong passwords of 40 sent at once to one account through both instances from 20 addresses, the right one 16th', async () => {
    const user = await createUser(a.url, a.adminToken, { email: 'burst@scale-out.example', role: 'admin' });
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => signInFrom(i % 2 ? a : b, `198.51.100.${i % 20}`, user.email, i === 15 ? TEST_PASSWORD : `wrong password ${i}`)));
    expectOnly(burst);
    expect(wrongChecked(burst), statusesOf(burst)).toBeLessThanOrEqual(5);
    expectRightOnlyAt(burst, 15);
  });

  it('checks at most 5 wrong passwords of 40 sign-ins sent at once from one address through both instances, then refuses the address the right one on both', async () => {
    const user = await createUser(a.url, a.adminToken, { email: 'sprayed@scale-out.example', role: 'admin' });
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signInFrom(i % 2 ? a : b, '203.0.113.2', i === 15 ? user.email : `sprayed-${i}@scale-out.example`, i === 15 ? TEST_PASSWORD : 'a guessed password')),
    );
    expectOnly(burst);
    expect(wrongChecked(burst), statusesOf(burst)).toBeLessThanOrEqual(5);
    expectRightOnlyAt(burst, 15);
    for (const server of [a, b]) expect((await signInFrom(server, '203.0.113.2', user.email, TEST_PASSWORD)).status).toBe(429);
  });

  it('adds failures from both instances to one count, and limits the address on both', async () => {
    const guess = (server: StartedServer, i: number) => client(server.url, `slt_guess-${i}`).get('/v1/orders');
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => guess(i % 2 ? a : b, i)));
    // One shared count: five guesses in all were answered, not five per instance.
    expect(answers.filter((r) => r.status === 401).length).toBeLessThanOrEqual(5);
    expect(answers.filter((r) => r.status !== 401 && r.status !== 429)).toEqual([]);
    // Each instance learns the other's limits within a second; the right token is refused on both.
    for (const server of [a, b]) {
      const right = await eventually(() => client(server.url, a.adminToken).get('/v1/orders'), (r) => r.status === 429, 30);
      expect(right.status).toBe(429);
      expect(right.body.error.code).toBe('RATE_LIMITED');
    }
  });
});
