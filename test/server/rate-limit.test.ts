import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type JsonResponse } from '../support/http';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

function expectLimited(response: JsonResponse): void {
  expect(response.status, JSON.stringify(response.body)).toBe(429);
  expect(response.body.error.code).toBe('RATE_LIMITED');
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(600);
}

/** A guesser at one address tries tokens and activation codes as fast as it can. */
describe('failure rate limiter against guessing', () => {
  let server: StartedServer;
  let activationCode: string;

  beforeAll(async () => {
    // A long window: the address stays limited for the whole test however slow the machine is.
    server = await startServer({ env: { SEATLOCK_RATE_LIMIT_FAILURES: '5', SEATLOCK_RATE_LIMIT_WINDOW_SECONDS: '600' } });
    ({ activationCode } = await approvedPool(server.url, server.adminToken, { quantity: 100 }));
  });
  afterAll(() => server?.stop());

  it('answers at most the allowed number of a burst of wrong tokens, then refuses the right token too', async () => {
    const guesses = await Promise.all(Array.from({ length: 300 }, (_, i) => client(server.url, `slt_guess-${i}`).get('/v1/orders')));
    const statuses = guesses.map((g) => g.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expectLimited(guesses[guesses.length - 1]);

    // The correct token, from the limited address: refused like any guess, so a hit is not revealed.
    expectLimited(await client(server.url, server.adminToken).get('/v1/orders'));
    // A valid activation code from that address too.
    expectLimited(await client(server.url).post('/v1/activations', { activationCode, platform: 'android', fingerprint: deviceFingerprint('limited') }));
    // Routes that need no secret still answer.
    expect((await client(server.url).get('/v1/catalog')).status).toBe(200);
  });

  it('behind a balancer that appends to X-Forwarded-For, counts the address the balancer saw, whatever the client wrote before it', async () => {
    // The test acts as the balancer at 127.0.0.1: it appends the address it saw to what the client sent.
    const proxied = await startServer({ env: { SEATLOCK_RATE_LIMIT_FAILURES: '5', SEATLOCK_RATE_LIMIT_WINDOW_SECONDS: '600', SEATLOCK_TRUST_PROXY: '127.0.0.1' } });
    try {
      const through = (token: string, written: string, seen: string) => client(proxied.url, token).get('/v1/orders', { headers: { 'x-forwarded-for': `${written}, ${seen}` } });
      const guesses = [];
      for (let i = 0; i < 30; i++) guesses.push((await through(`slt_guess-${i}`, `198.18.${i}.${i + 1}`, '203.0.113.9')).status);
      expect(guesses).toEqual([...Array(5).fill(401), ...Array(25).fill(429)]);
      expectLimited(await through(proxied.adminToken, '198.18.200.1', '203.0.113.9'));
      // Another client behind the same balancer is counted apart.
      expect((await through(proxied.adminToken, '203.0.113.9', '203.0.113.10')).status).toBe(200);
    } finally {
      await proxied.stop();
    }
  });

  it('counts wrong activation codes from another address apart', async () => {
    const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
    const proxied = await startServer({ env: { SEATLOCK_RATE_LIMIT_FAILURES: '3', SEATLOCK_RATE_LIMIT_WINDOW_SECONDS: '600', SEATLOCK_TRUST_PROXY: '127.0.0.1' } });
    try {
      const pool = await approvedPool(proxied.url, proxied.adminToken);
      const anonymous = client(proxied.url);
      const guess = (address: string) => anonymous.post('/v1/activations', { activationCode: 'slac_guess', platform: 'android', fingerprint: deviceFingerprint('guess') }, from(address));
      for (let i = 0; i < 3; i++) expect((await guess('203.0.113.7')).status).toBe(403);
      expectLimited(await guess('203.0.113.7'));
      expectLimited(await anonymous.post('/v1/activations', { activationCode: pool.activationCode, platform: 'android', fingerprint: deviceFingerprint('a') }, from('203.0.113.7')));
      // A factory line at another address is not held up.
      const line = await Promise.all(
        Array.from({ length: 20 }, (_, i) => anonymous.post('/v1/activations', { activationCode: pool.activationCode, platform: 'android', fingerprint: deviceFingerprint(`line-${i}`) }, from('198.51.100.1'))),
      );
      expect(line.map((a) => a.status)).toEqual(Array(20).fill(201));
    } finally {
      await proxied.stop();
    }
  });
});
