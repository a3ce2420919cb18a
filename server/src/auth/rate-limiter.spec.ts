import { isSeatlockError, SeatlockError } from '@seatlock/shared';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config';
import { ManualClock } from '../spec-support';
import { FailureRateLimiter } from './rate-limiter';

function thrown(fn: () => unknown): SeatlockError {
  try {
    fn();
  } catch (error) {
    if (isSeatlockError(error)) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('FailureRateLimiter', () => {
  const failure = new SeatlockError('INVALID_ACTIVATION_CODE', 'wrong code');

  it('passes failures through up to the limit, then answers RATE_LIMITED until the window ends', () => {
    const clock = new ManualClock(new Date('2026-11-25T00:00:00Z'));
    const limiter = new FailureRateLimiter(loadConfig({ SEATLOCK_RATE_LIMIT_FAILURES: '2', SEATLOCK_RATE_LIMIT_WINDOW_SECONDS: '60' }), clock);
    expect(thrown(() => limiter.fail('10.0.0.1', failure)).code).toBe('INVALID_ACTIVATION_CODE');
    expect(thrown(() => limiter.fail('10.0.0.1', failure)).code).toBe('INVALID_ACTIVATION_CODE');
    clock.advance(15_000);
    const limited = thrown(() => limiter.fail('10.0.0.1', failure));
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.details).toEqual({ retryAfterSeconds: 45 });
    // Another address is not affected.
    expect(thrown(() => limiter.fail('10.0.0.2', failure)).code).toBe('INVALID_ACTIVATION_CODE');
    clock.advance(45_000);
    expect(thrown(() => limiter.fail('10.0.0.1', failure)).code).toBe('INVALID_ACTIVATION_CODE');
  });
});
