import { fc } from '@fast-check/vitest';
import { MAX_BATCH_BYTES, MAX_BATCH_REQUESTS, parseLicense, writeActivationRequest } from '@seatlock/shared';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client } from '../support/http';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

const requestFile = (activationCode: string, seed: string) => writeActivationRequest({ activationCode, platform: 'android', fingerprint: deviceFingerprint(seed) });

/**
 * Announces a batch body of `bytes` bytes and waits for the answer before sending any of it: the
 * server refuses a body by its announced length at once.
 */
function announceBatch(url: string, bytes: number): Promise<{ status?: number; body: any }> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(new URL('/v1/activations/batch', url), { method: 'POST', headers: { 'content-type': 'text/plain', 'content-length': bytes } }, (answer) => {
      let text = '';
      answer.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      answer.on('end', () => {
        sent.destroy();
        resolve({ status: answer.statusCode, body: JSON.parse(text) });
      });
    });
    sent.on('error', reject);
    sent.flushHeaders();
  });
}

describe('POST /v1/activations/batch', () => {
  let server: StartedServer;
  const batch = (body: string) => client(server.url).post('/v1/activations/batch', body);
  const seatsUsed = async (poolId: string) => (await client(server.url, server.adminToken).get(`/v1/pools/${poolId}`)).body.seatsUsed as number;

  beforeAll(async () => {
    server = await startServer({ env: { SEATLOCK_RATE_LIMIT_FAILURES: '1000' } });
  });
  afterAll(() => server?.stop());

  it('takes seats in file order: the files past the last seat are SEATS_EXHAUSTED; the same batch again takes nothing and answers the same licenses', async () => {
    const { activationCode, poolId } = await approvedPool(server.url, server.adminToken, { quantity: 100 });
    const body = Array.from({ length: 120 }, (_, i) => requestFile(activationCode, `line-a-${i}`)).join('');

    const first = await batch(body);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: 100, existing: 0, refused: 20 });
    first.body.results.forEach((result: any, i: number) => {
      expect(result.index).toBe(i);
      if (i < 100) expect(result).toMatchObject({ outcome: 'created', deviceId: expect.any(String), license: expect.stringContaining('BEGIN SEATLOCK LICENSE') });
      else expect(result).toEqual({ index: i, outcome: 'refused', error: { code: 'SEATS_EXHAUSTED', message: expect.any(String) } });
    });
    expect(parseLicense(first.body.results[7].license).claims.sub).toBe(first.body.results[7].deviceId);
    expect(await seatsUsed(poolId)).toBe(100);

    const again = await batch(body);
    expect(again.body).toMatchObject({ created: 0, existing: 100, refused: 20 });
    for (let i = 0; i < 100; i++) expect(again.body.results[i]).toEqual({ ...first.body.results[i], outcome: 'existing' });
    expect(await seatsUsed(poolId)).toBe(100);
  });

  it('sends its status once every seat is queued: a batch sent on that status takes its seats after, whichever is signed first', async () => {
    const { activationCode, poolId } = await approvedPool(server.url, server.adminToken, { quantity: 150 });
    const first = Array.from({ length: 100 }, (_, i) => requestFile(activationCode, `queued-a-${i}`)).join('');
    const second = Array.from({ length: 100 }, (_, i) => requestFile(activationCode, `queued-b-${i}`)).join('');
    // The first answer's status, then the second batch at once, then both bodies.
    const firstAnswer = await fetch(`${server.url}/v1/activations/batch`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: first });
    expect(firstAnswer.status).toBe(200);
    const secondAnswer = fetch(`${server.url}/v1/activations/batch`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: second }).then((r) => r.json() as Promise<{ results: { outcome: string }[] }>);
    const [a, b] = [await firstAnswer.json(), await secondAnswer];
    expect(a).toMatchObject({ created: 100, existing: 0, refused: 0 });
    expect(b).toMatchObject({ created: 50, existing: 0, refused: 50 });
    expect(b.results.map((r: { outcome: string }) => r.outcome)).toEqual([...Array(50).fill('created'), ...Array(50).fill('refused')]);
    expect(await seatsUsed(poolId)).toBe(150);
  });

  it('answers a device sent twice in one batch as one seat, even when the pool runs out between the two', async () => {
    const { activationCode, poolId } = await approvedPool(server.url, server.adminToken, { quantity: 50 });
    const files = Array.from({ length: 50 }, (_, i) => requestFile(activationCode, `twice-${i}`));
    const answer = await batch([...files, requestFile(activationCode, 'twice-0'), requestFile(activationCode, 'one-too-many')].join(''));
    expect(answer.body).toMatchObject({ created: 50, existing: 1, refused: 1 });
    expect(answer.body.results[50]).toMatchObject({ outcome: 'existing', license: answer.body.results[0].license });
    expect(answer.body.results[51].error.code).toBe('SEATS_EXHAUSTED');
    expect(await seatsUsed(poolId)).toBe(50);
  });

  it('refuses a body with no request file (INVALID_REQUEST) and a batch above the limit whole (BATCH_TOO_LARGE, 413)', async () => {
    const empty = await batch('nothing here');
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('INVALID_REQUEST');

    const { activationCode, poolId } = await approvedPool(server.url, server.adminToken, { quantity: 50 });
    const file = requestFile(activationCode, 'too-many');
    const tooMany = await batch(file.repeat(MAX_BATCH_REQUESTS + 1));
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error.code).toBe('BATCH_TOO_LARGE');
    const tooBig = await announceBatch(server.url, MAX_BATCH_BYTES + 1);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('BATCH_TOO_LARGE');
    expect(await seatsUsed(poolId)).toBe(0);
  });

  it('fuzzed bodies (truncated files, duplicates, two pools, garbage between files): no 5xx, each bad file refused with its code, the good ones served', async () => {
    const a = await approvedPool(server.url, server.adminToken, { quantity: 1000 });
    const b = await approvedPool(server.url, server.adminToken, { quantity: 1000 });
    let run = 0;
    type Piece = { kind: 'good'; pool: 'a' | 'b'; seed: number } | { kind: 'truncated'; cut: number } | { kind: 'garbage'; text: string } | { kind: 'unknown-code' } | { kind: 'bad-base64' };
    const piece: fc.Arbitrary<Piece> = fc.oneof(
      fc.record({ kind: fc.constant('good' as const), pool: fc.constantFrom('a' as const, 'b' as const), seed: fc.integer({ min: 0, max: 5 }) }),
      fc.record({ kind: fc.constant('truncated' as const), cut: fc.integer({ min: 50, max: 2000 }) }),
      fc.record({ kind: fc.constant('garbage' as const), text: fc.string({ maxLength: 40 }).filter((t) => !t.includes('-----')) }),
      fc.record({ kind: fc.constant('unknown-code' as const) }),
      fc.record({ kind: fc.constant('bad-base64' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 12 }), async (pieces) => {
        run++;
        const expected: (string | { pool: string; seed: number })[] = [];
        const body = pieces
          .map((p) => {
            switch (p.kind) {
              case 'good':
                expected.push({ pool: p.pool, seed: p.seed });
                return requestFile(p.pool === 'a' ? a.activationCode : b.activationCode, `fuzz-${run}-${p.pool}-${p.seed}`);
              case 'truncated':
                expected.push('INVALID_REQUEST');
                return ((text) => text.slice(0, Math.min(p.cut, text.length - 30)))(requestFile(a.activationCode, `fuzz-truncated-${run}`));
              case 'unknown-code':
                expected.push('INVALID_ACTIVATION_CODE');
                return requestFile('slac_not-a-code-of-any-pool', `fuzz-unknown-${run}`);
              case 'bad-base64':
                expected.push('INVALID_REQUEST');
                return '-----BEGIN SEATLOCK ACTIVATION REQUEST-----\n!!!!\n-----END SEATLOCK ACTIVATION REQUEST-----\n';
              case 'garbage':
                return p.text;
            }
          })
          .join('');
        const answer = await batch(body);
        expect(answer.status).toBeLessThan(500);
        if (expected.length === 0) {
          expect(answer.body.error.code).toBe('INVALID_REQUEST');
          return;
        }
        expect(answer.status).toBe(200);
        expect(answer.body.results).toHaveLength(expected.length);
        const firstLicense = new Map<string, string>();
        answer.body.results.forEach((result: any, i: number) => {
          const want = expected[i];
          if (typeof want === 'string') {
            expect(result.outcome).toBe('refused');
            expect(result.error.code).toBe(want);
            return;
          }
          const key = `${want.pool}-${want.seed}`;
          const earlier = firstLicense.get(key);
          if (earlier) expect(result).toMatchObject({ outcome: 'existing', license: earlier });
          else {
            expect(result.outcome).toBe('created');
            firstLicense.set(key, result.license);
          }
        });
      }),
      { numRuns: 25 },
    );
  });

  it('refuses every file after the limit trips, the right code included: 200 wrong codes and the right one in one batch', async () => {
    // A long window: the address stays limited for the whole test however slow the machine is.
    const limited = await startServer({ env: { SEATLOCK_RATE_LIMIT_FAILURES: '10', SEATLOCK_RATE_LIMIT_WINDOW_SECONDS: '600' } });
    try {
      const post = (body: string) => client(limited.url).post('/v1/activations/batch', body);
      const { activationCode } = await approvedPool(limited.url, limited.adminToken, { quantity: 50 });
      const wrong = Array.from({ length: 200 }, (_, i) => requestFile(`slac_guess-${i}`, `guess-${i}`));
      // The right code once past the point where the limit trips, and once as the last file.
      const files = [...wrong.slice(0, 100), requestFile(activationCode, 'hit-middle'), ...wrong.slice(100), requestFile(activationCode, 'hit-last')];
      const answer = await post(files.join(''));
      expect(answer.status).toBe(200);
      const codes = answer.body.results.map((r: any) => r.error?.code ?? r.outcome);
      // Ten wrong codes are answered; the eleventh trips the limit; every file after it is refused unread.
      expect(codes.slice(0, 10)).toEqual(Array(10).fill('INVALID_ACTIVATION_CODE'));
      expect(codes.slice(10)).toEqual(Array(files.length - 10).fill('RATE_LIMITED'));
      expect(answer.body).toMatchObject({ created: 0, existing: 0, refused: files.length });
      // A later batch from the address, with only the right code, is refused whole until the window ends.
      const later = await post(requestFile(activationCode, 'hit-later'));
      expect(later.status).toBe(429);
      expect(later.body.error.code).toBe('RATE_LIMITED');
    } finally {
      await limited.stop();
    }
  });

  it('serves the right code sent before the limit trips, as single requests would be', async () => {
    const limited = await startServer({ env: { SEATLOCK_RATE_LIMIT_FAILURES: '3', SEATLOCK_RATE_LIMIT_WINDOW_SECONDS: '600' } });
    try {
      const { activationCode } = await approvedPool(limited.url, limited.adminToken, { quantity: 50 });
      const files = [requestFile('slac_guess-a', 'a'), requestFile('slac_guess-b', 'b'), requestFile(activationCode, 'early'), ...['c', 'd', 'e'].map((x) => requestFile(`slac_guess-${x}`, x)), requestFile(activationCode, 'late')];
      const answer = await client(limited.url).post('/v1/activations/batch', files.join(''));
      expect(answer.body.results.map((r: any) => r.error?.code ?? r.outcome)).toEqual([
        'INVALID_ACTIVATION_CODE',
        'INVALID_ACTIVATION_CODE',
        'created',
        'INVALID_ACTIVATION_CODE',
        'RATE_LIMITED',
        'RATE_LIMITED',
        'RATE_LIMITED',
      ]);
    } finally {
      await limited.stop();
    }
  });

  it('is public and rate limited like /offline: after too many unknown codes every batch from the address gets 429', async () => {
    const limited = await startServer({ env: { SEATLOCK_RATE_LIMIT_FAILURES: '2' } });
    try {
      const post = (body: string) => client(limited.url).post('/v1/activations/batch', body);
      const { activationCode } = await approvedPool(limited.url, limited.adminToken, { quantity: 50 });
      // One failure per distinct wrong code, however often a batch repeats it.
      const repeated = await post(requestFile('slac_wrong-1', 'x').repeat(5));
      expect(repeated.status).toBe(200);
      expect(repeated.body.results.map((r: any) => r.error.code)).toEqual(Array(5).fill('INVALID_ACTIVATION_CODE'));
      const more = await post(requestFile('slac_wrong-2', 'x') + requestFile('slac_wrong-3', 'y'));
      expect(more.body.results.map((r: any) => r.error.code)).toEqual(['INVALID_ACTIVATION_CODE', 'RATE_LIMITED']);
      const refused = await post(requestFile(activationCode, 'good'));
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('RATE_LIMITED');
    } finally {
      await limited.stop();
    }
  });
});
