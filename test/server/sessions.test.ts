import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieOf, createUser, sessionClient, signIn, TEST_PASSWORD } from '../support/accounts';
import { rawQuery } from '../support/database';
import { client, request } from '../support/http';
import { clockEnv, type StartedServer, startServer } from '../support/server';
import { SERVER_START_MS } from '../support/timing';

describe('people: invites, sign-in and sessions', () => {
  let server: StartedServer;
  let customerId: string;

  beforeAll(async () => {
    server = await startServer();
    customerId = (await client(server.url, server.adminToken).post('/v1/customers', { name: 'Sessions Ltd' })).body.id;
  });
  afterAll(() => server?.stop());

  it('invites a person, who sets a password once, signs in with a hardened cookie and is told who they are', async () => {
    const invited = await client(server.url, server.adminToken).post('/v1/users', { email: 'Buyer@Sessions.example', role: 'customer', customerId });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ id: expect.any(String), invite: expect.stringMatching(/^slinv_/) });
    const anonymous = client(server.url);
    expect((await anonymous.post('/v1/users/accept', { invite: invited.body.invite, password: 'short' })).status).toBe(400);
    expect((await anonymous.post('/v1/users/accept', { invite: invited.body.invite, password: TEST_PASSWORD })).status).toBe(200);
    const reused = await anonymous.post('/v1/users/accept', { invite: invited.body.invite, password: 'another long password' });
    expect(reused.status).toBe(401);

    const signedIn = await anonymous.post('/v1/session', { email: 'buyer@sessions.example', password: TEST_PASSWORD });
    expect(signedIn.status).toBe(200);
    const setCookie = signedIn.headers.get('set-cookie') as string;
    expect(setCookie).toMatch(/^seatlock_session=sls_[\w-]+;/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).toMatch(/; Max-Age=43200/);
    // Served over plain HTTP here: a Secure cookie would never come back.
    expect(setCookie).not.toMatch(/Secure/);
    expect(JSON.stringify(signedIn.body)).not.toContain('password');

    const me = await sessionClient(server.url, cookieOf(signedIn)).get('/v1/me');
    expect(me.body).toMatchObject({ kind: 'user', id: invited.body.id, email: 'buyer@sessions.example', role: 'customer', customerId, status: 'active' });
  });

  it('refuses a wrong password, then locks the account after 5 in a row, even for the right password', async () => {
    const user = await createUser(server.url, server.adminToken, { email: 'locked@sessions.example', role: 'issuer' });
    const anonymous = client(server.url);
    for (let i = 0; i < 5; i += 1) {
      const wrong = await anonymous.post('/v1/session', { email: user.email, password: `wrong password ${i}` });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('UNAUTHORIZED');
      expect(wrong.headers.get('set-cookie')).toBeNull();
    }
    const locked = await anonymous.post('/v1/session', { email: user.email, password: TEST_PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    const audit = await client(server.url, server.adminToken).get('/v1/audit?limit=5');
    expect(audit.body.items.map((e: { action: string }) => e.action)).toContain('user.locked');
  });

  it('limits failed sign-ins per address, whatever account they try', async () => {
    const limited = await startServer({ env: { SEATLOCK_RATE_LIMIT_FAILURES: '3' } });
    try {
      const anonymous = client(limited.url);
      const answers = [];
      for (let i = 0; i < 5; i += 1) answers.push((await anonymous.post('/v1/session', { email: `nobody-${i}@sessions.example`, password: 'a guessed password' })).status);
      expect(answers).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await limited.stop();
    }
  });

  // The test acts as a balancer at 127.0.0.1, so that each burst comes from addresses of its own;
  // a long window keeps each address limited for the whole test however slow the machine is.
  describe('behind a balancer', () => {
    let proxied: StartedServer;
    beforeAll(async () => {
      proxied = await startServer({ env: { SEATLOCK_TRUST_PROXY: '127.0.0.1', SEATLOCK_RATE_LIMIT_WINDOW_SECONDS: '600' } });
    });
    afterAll(() => proxied?.stop());

    it('marks the cookie Secure when the server is reached over TLS', async () => {
      const user = await createUser(proxied.url, proxied.adminToken, { email: 'tls@sessions.example', role: 'auditor' });
      const signedIn = await request(proxied.url, 'POST', '/v1/session', { body: { email: user.email, password: TEST_PASSWORD }, headers: { 'x-forwarded-proto': 'https' } });
      expect(signedIn.status).toBe(200);
      expect(signedIn.headers.get('set-cookie')).toMatch(/; Secure/);
    });

    describe('a concurrent burst of sign-ins', () => {
      const signInFrom = (address: string, email: string, password: string) =>
        request(proxied.url, 'POST', '/v1/session', { body: { email, password }, headers: { 'x-forwarded-for': address } });
      // A wrong password was checked when the answer is 401; 429 checked nothing.
      const wrongChecked = (statuses: number[]) => statuses.filter((s) => s === 401).length;
      const expectOnly = (statuses: number[]) => expect(statuses.filter((s) => s !== 200 && s !== 401 && s !== 429)).toEqual([]);

      // Answers are counted in no set order (on PostgreSQL each request takes its own connection), so
      // a right password sent 16th may be among the first checked: it then signs in, and the bound
      // that holds is on the wrong passwords checked.
      const expectRightOnlyAt = (statuses: number[], at: number) => expect(statuses.map((s, i) => (s === 200 ? i : -1)).filter((i) => i >= 0)).toEqual(statuses[at] === 200 ? [at] : []);

      it('checks 5 of 40 wrong passwords sent at once from one address to one account, then refuses the right one while the account is locked', async () => {
        const user = await createUser(proxied.url, proxied.adminToken, { email: 'burst@sessions.example', role: 'admin' });
        const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => signInFrom('203.0.113.1', user.email, `wrong password ${i}`)));
        const statuses = burst.map((answer) => answer.status);
        expectOnly(statuses);
        expect(wrongChecked(statuses)).toBe(5);
        // From another address: the account's lock (15 minutes), not the address's limit, refuses it.
        const locked = await signInFrom('203.0.113.11', user.email, TEST_PASSWORD);
        expect(locked.status).toBe(429);
        expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
      });

      it('checks at most 5 wrong passwords of 40 sent at once from one address to one account with the right one 16th, which signs in only if checked among them', async () => {
        const user = await createUser(proxied.url, proxied.adminToken, { email: 'burst-right@sessions.example', role: 'admin' });
        const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => signInFrom('203.0.113.4', user.email, i === 15 ? TEST_PASSWORD : `wrong password ${i}`)));
        const statuses = burst.map((answer) => answer.status);
        expectOnly(statuses);
        expect(wrongChecked(statuses), statuses.join(' ')).toBeLessThanOrEqual(5);
        expectRightOnlyAt(statuses, 15);
      });

      it('counts the wrong passwords checked alongside the right one: the run they start goes on, and locks the account at the 5th', async () => {
        const user = await createUser(proxied.url, proxied.adminToken, { email: 'alongside@sessions.example', role: 'admin' });
        const alongside = await Promise.all(Array.from({ length: 5 }, (_, i) => signInFrom(`198.51.101.${i}`, user.email, i === 4 ? TEST_PASSWORD : `wrong password ${i}`)));
        expect(alongside.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 200]);
        const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => signInFrom(`198.51.101.${10 + (i % 20)}`, user.email, `wrong password ${10 + i}`)));
        const statuses = burst.map((answer) => answer.status);
        expectOnly(statuses);
        expect(wrongChecked(statuses), statuses.join(' ')).toBe(1);
        const locked = await signInFrom('198.51.101.200', user.email, TEST_PASSWORD);
        expect(locked.status).toBe(429);
        expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
      });

      it('ends the run of wrong passwords with the right one sent after them, one at a time, so 4 more wrong ones do not lock the account', async () => {
        const user = await createUser(proxied.url, proxied.adminToken, { email: 'mistyped@sessions.example', role: 'issuer' });
        const statuses = [];
        for (const password of ['mistyped 1', 'mistyped 2', 'mistyped 3', 'mistyped 4', TEST_PASSWORD, 'mistyped 5', 'mistyped 6', 'mistyped 7', 'mistyped 8', TEST_PASSWORD]) {
          statuses.push((await signInFrom('198.51.102.1', user.email, password)).status);
        }
        expect(statuses).toEqual([401, 401, 401, 401, 200, 401, 401, 401, 401, 200]);
      });

      it('checks 5 of 40 wrong passwords sent at once to one account from 20 addresses, then the account is locked', async () => {
        const user = await createUser(proxied.url, proxied.adminToken, { email: 'spread@sessions.example', role: 'admin' });
        const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => signInFrom(`198.51.100.${i % 20}`, user.email, `wrong password ${i}`)));
        const statuses = burst.map((answer) => answer.status);
        expectOnly(statuses);
        expect(wrongChecked(statuses)).toBe(5);
        const locked = await signInFrom('198.51.100.200', user.email, TEST_PASSWORD);
        expect(locked.status).toBe(429);
        expect(locked.body.error.code).toBe('RATE_LIMITED');
        expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
      });

      it('checks at most 10 wrong passwords of 40 sent at once from one address to many accounts, then refuses the address the right one', async () => {
        const user = await createUser(proxied.url, proxied.adminToken, { email: 'sprayed@sessions.example', role: 'admin' });
        const burst = await Promise.all(
          Array.from({ length: 40 }, (_, i) => (i === 15 ? signInFrom('203.0.113.2', user.email, TEST_PASSWORD) : signInFrom('203.0.113.2', `sprayed-${i}@sessions.example`, 'a guessed password'))),
        );
        const statuses = burst.map((answer) => answer.status);
        expectOnly(statuses);
        expect(wrongChecked(statuses), statuses.join(' ')).toBeLessThanOrEqual(10);
        expectRightOnlyAt(statuses, 15);
        expect((await signInFrom('203.0.113.2', user.email, TEST_PASSWORD)).status).toBe(429);
        // The account was not locked by it: from another address, the right password signs in.
        expect((await signInFrom('203.0.113.3', user.email, TEST_PASSWORD)).status).toBe(200);
      });
    });
  });

  it("ends a disabled user's sessions at once and refuses its sign-in", async () => {
    const user = await createUser(server.url, server.adminToken, { email: 'leaver@sessions.example', role: 'customer', customerId });
    const session = await signIn(server.url, user.email);
    expect((await session.get('/v1/orders')).status).toBe(200);
    const disabled = await client(server.url, server.adminToken).post(`/v1/users/${user.id}/disable`);
    expect(disabled.body.status).toBe('disabled');
    expect((await session.get('/v1/orders')).status).toBe(401);
    expect((await client(server.url).post('/v1/session', { email: user.email, password: TEST_PASSWORD })).status).toBe(401);
    const users = await client(server.url, server.adminToken).get('/v1/users');
    expect(users.body.items.find((u: { id: string }) => u.id === user.id)).toMatchObject({ status: 'disabled' });
  });

  it('refuses a forged cross-site POST that carries the victim\'s cookie, and a POST naming no origin', async () => {
    const user = await createUser(server.url, server.adminToken, { email: 'victim@sessions.example', role: 'customer', customerId });
    const { cookie } = await signIn(server.url, user.email);
    const forged = { product: 'face-liveness', modality: 'ir' };
    const fromEvil = await request(server.url, 'POST', '/v1/trials', { body: forged, headers: { cookie, origin: 'https://evil.example' } });
    expect(fromEvil.status).toBe(403);
    expect(fromEvil.body.error.code).toBe('FORBIDDEN');
    const fetchMetadata = await request(server.url, 'POST', '/v1/trials', { body: forged, headers: { cookie, origin: new URL(server.url).origin, 'sec-fetch-site': 'cross-site' } });
    expect(fetchMetadata.status).toBe(403);
    const noOrigin = await request(server.url, 'POST', '/v1/trials', { body: forged, headers: { cookie } });
    expect(noOrigin.status).toBe(403);
    // Nothing was submitted; the same request from the console's own origin is.
    expect((await client(server.url, server.adminToken).get(`/v1/trials?customerId=${customerId}`)).body.total).toBe(0);
    const own = await request(server.url, 'POST', '/v1/trials', { body: forged, headers: { cookie, origin: new URL(server.url).origin } });
    expect(own.status).toBe(201);
    // Nor can another site sign the browser in to an account of its choosing.
    const loginFromEvil = await request(server.url, 'POST', '/v1/session', { body: { email: user.email, password: TEST_PASSWORD }, headers: { origin: 'https://evil.example' } });
    expect(loginFromEvil.status).toBe(403);
    expect(loginFromEvil.headers.get('set-cookie')).toBeNull();
  });

  it('signs out: the cookie is cleared and the session no longer works', async () => {
    const user = await createUser(server.url, server.adminToken, { email: 'signout@sessions.example', role: 'auditor' });
    const session = await signIn(server.url, user.email);
    const out = await session.delete('/v1/session');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^seatlock_session=; Max-Age=0;/);
    const after = await session.get('/v1/me');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHORIZED');
  });

  it('lets a customer user create customer tokens for its own customer only; a token cannot mint tokens', async () => {
    const admin = client(server.url, server.adminToken);
    const other = (await admin.post('/v1/customers', { name: 'Someone Else Ltd' })).body.id;
    const user = await createUser(server.url, server.adminToken, { email: 'scripts@sessions.example', role: 'customer', customerId });
    const session = await signIn(server.url, user.email);
    const created = await session.post('/v1/tokens', { role: 'customer', name: 'factory line' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ role: 'customer', name: 'factory line', customerId, token: expect.stringMatching(/^slt_/) });
    expect((await client(server.url, created.body.token).get('/v1/me')).body).toMatchObject({ kind: 'token', role: 'customer', customerId });
    expect((await session.post('/v1/tokens', { role: 'customer', customerId: other })).status).toBe(404);
    expect((await session.post('/v1/tokens', { role: 'issuer' })).status).toBe(403);
    expect((await client(server.url, created.body.token).post('/v1/tokens', { role: 'customer' })).status).toBe(403);
  });
});

describe('session expiry', () => {
  it('ends a session idle for longer than the idle limit, and any session at its absolute end', async () => {
    const start = Date.parse('2026-12-01T09:00:00Z');
    const env = (minutes: number) => ({
      ...clockEnv(start + minutes * 60_000),
      SEATLOCK_SESSION_IDLE_MINUTES: '30',
      SEATLOCK_SESSION_MAX_HOURS: '1',
    });
    // The server is restarted on the same data with its clock moved on: no test waits in real time.
    let server = await startServer({ env: env(0) });
    const { dataDir, adminToken } = server;
    const at = async (minutes: number) => {
      await server.stop();
      server = await startServer({ dataDir, adminToken, env: env(minutes) });
    };
    // Each restart listens on a new port: the cookie is sent to wherever the server is now.
    const me = async (cookie: string) => (await sessionClient(server.url, cookie).get('/v1/me')).status;
    try {
      const user = await createUser(server.url, adminToken, { email: 'expiry@sessions.example', role: 'auditor' });
      const idle = (await signIn(server.url, user.email)).cookie;
      const busy = (await signIn(server.url, user.email)).cookie;
      await at(25);
      expect(await me(busy)).toBe(200);
      await at(50);
      // Idle since minute 0: ended. Used at minute 25: still on.
      expect(await me(idle)).toBe(401);
      expect(await me(busy)).toBe(200);
      await at(70);
      // Used 20 minutes ago, but signed in more than an hour ago.
      expect(await me(busy)).toBe(401);
    } finally {
      await server.stop();
    }
  }, 2 * 4 * SERVER_START_MS); // four starts, and the sign-ins and checks between them
});

describe('sign-ins lost mid-check', () => {
  it('stops counting the attempts an instance was killed while checking a minute after the last was counted', async () => {
    const start = Date.parse('2026-12-01T09:00:00Z');
    const env = (seconds: number) => clockEnv(start + seconds * 1000);
    let server = await startServer({ env: env(0) });
    const { dataDir, adminToken } = server;
    const at = async (seconds: number) => {
      await server.stop();
      server = await startServer({ dataDir, adminToken, env: env(seconds) });
    };
    const signInRight = async (email: string) => (await client(server.url).post('/v1/session', { email, password: TEST_PASSWORD })).status;
    try {
      const user = await createUser(server.url, adminToken, { email: 'lost@sessions.example', role: 'auditor' });
      // What an instance killed while it checked 5 sign-ins leaves: counted at minute 0, never answered.
      await rawQuery(dataDir, 'UPDATE users SET sign_ins_in_flight = 5, sign_ins_counted_at = ? WHERE id = ?', [new Date(start).toISOString(), user.id]);
      await at(30);
      expect(await signInRight(user.email)).toBe(429);
      await at(61);
      expect(await signInRight(user.email)).toBe(200);
      expect(await rawQuery(dataDir, 'SELECT failed_sign_ins, sign_ins_in_flight FROM users WHERE id = ?', [user.id])).toEqual([{ failed_sign_ins: 0, sign_ins_in_flight: 0 }]);
    } finally {
      await server.stop();
    }
  }, 180_000);
});
