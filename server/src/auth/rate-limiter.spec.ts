import { isSeatlockError, SeatlockError } from '@seatlock/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../config/config';
import type { Database } from '../database/database.service';
import { ManualClock, openSpecDatabase } from '../spec-support';
import { FailureRateLimiter } from './rate-limiter';

async function thrown(fn: () => unknown): Promise<SeatlockError> {
  try {
    await fn();
  } catch (error) {
    if (isSeatlockError(error)) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('FailureRateLimiter', () => {
  const failure = new SeatlockError('INVALID_ACTIVATION_CODE', 'wrong code');
  let db: Database;
  let config: ServerConfig;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, config, close } = await openSpecDatabase({ SEATLOCK_RATE_LIMIT_FAILURES: '2', SEATLOCK_RATE_LIMIT_WINDOW_SECONDS: '60' }));
  });
  afterAll(() => close());

  it('passes failures through up to the limit, then refuses every attempt until the window ends', async () => {
    const clock = new ManualClock(new Date('2026-11-25T00:00:00Z'));
    const limiter = new FailureRateLimiter(config, clock, db);
    expect((await thrown(() => limiter.fail('10.0.0.1', failure))).code).toBe('INVALID_ACTIVATION_CODE');
    expect((await thrown(() => limiter.fail('10.0.0.1', failure))).code).toBe('INVALID_ACTIVATION_CODE');
    limiter.assertAllowed('10.0.0.1');
    clock.advance(15_000);
    const limited = await thrown(() => limiter.fail('10.0.0.1', failure));
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.details).toEqual({ retryAfterSeconds: 45 });
    // Any attempt, right or wrong, until the window ends.
    expect((await thrown(() => limiter.assertAllowed('10.0.0.1'))).details).toEqual({ retryAfterSeconds: 45 });
    // Another address is not affected.
    limiter.assertAllowed('10.0.0.2');
    expect((await thrown(() => limiter.fail('10.0.0.2', failure))).code).toBe('INVALID_ACTIVATION_CODE');
    clock.advance(45_000);
    limiter.assertAllowed('10.0.0.1');
    expect((await thrown(() => limiter.fail('10.0.0.1', failure))).code).toBe('INVALID_ACTIVATION_CODE');
  });

  it('shares the counts: failures seen by two instances add up, and the other one learns of the limit', async () => {
    const clock = new ManualClock(new Date('2026-11-26T00:00:00Z'));
    const [a, b] = [new FailureRateLimiter(config, clock, db), new FailureRateLimiter(config, clock, db)];
    expect((await thrown(() => a.fail('10.0.0.3', failure))).code).toBe('INVALID_ACTIVATION_CODE');
    expect((await thrown(() => b.fail('10.0.0.3', failure))).code).toBe('INVALID_ACTIVATION_CODE');
    expect((await thrown(() => a.fail('10.0.0.3', failure))).code).toBe('RATE_LIMITED');
    b.assertAllowed('10.0.0.3');
    await b.refresh();
    expect((await thrown(() => b.assertAllowed('10.0.0.3'))).code).toBe('RATE_LIMITED');
    // Ended windows are forgotten.
    clock.advance(60_000);
    await b.refresh();
    b.assertAllowed('10.0.0.3');
    expect(await db.read((m) => db.execute(m, "SELECT client FROM rate_limit_windows WHERE client = '10.0.0.3'"))).toMatchObject({ rows: [] });
  });

  it('counts an attempt before its secret is checked, and gives it back when the secret was right', async () => {
    const clock = new ManualClock(new Date('2026-11-27T00:00:00Z'));
    const limiter = new FailureRateLimiter(config, clock, db);
    const first = await limiter.countAttempt('10.0.0.4');
    await limiter.countAttempt('10.0.0.4');
    // Two attempts in flight fill the limit of 2: a third is refused before its secret is read.
    await limiter.refund(first);
    const third = await limiter.countAttempt('10.0.0.4');
    expect((await thrown(() => limiter.countAttempt('10.0.0.4'))).code).toBe('RATE_LIMITED');
    // A refund owed to a window that ended takes nothing from the next one.
    clock.advance(60_000);
    await limiter.countAttempt('10.0.0.4');
    await limiter.refund(third);
    await limiter.countAttempt('10.0.0.4');
    expect((await thrown(() => limiter.countAttempt('10.0.0.4'))).code).toBe('RATE_LIMITED');
  });
});
