import { Inject, Injectable } from '@nestjs/common';
import { SeatlockError } from '@seatlock/shared';
import { CLOCK, type Clock } from '../clock/clock';
import { CONFIG, type ServerConfig } from '../config/config';

interface Window {
  startedAt: number;
  failures: number;
}

/**
 * Counts failed attempts (wrong activation codes, bad tokens) per client address in a fixed
 * window. Only failures are counted and only failures are refused, so a gateway activating
 * hundreds of boards with a valid code is never slowed down.
 */
@Injectable()
export class FailureRateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly windowMs: number;

  constructor(
    @Inject(CONFIG) private readonly config: ServerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.windowMs = config.rateLimit.windowSeconds * 1000;
  }

  /** Records a failure from `client`, then throws RATE_LIMITED if it is over the limit, else `failure`. */
  fail(client: string, failure: SeatlockError): never {
    const now = this.clock.now().getTime();
    this.sweep(now);
    let window = this.windows.get(client);
    if (!window || now - window.startedAt >= this.windowMs) {
      window = { startedAt: now, failures: 0 };
      this.windows.set(client, window);
    }
    window.failures += 1;
    if (window.failures > this.config.rateLimit.maxFailures) {
      const retryAfterSeconds = Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000));
      throw new SeatlockError('RATE_LIMITED', `Too many failed attempts from this address; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds });
    }
    throw failure;
  }

  private sweep(now: number): void {
    if (this.windows.size < 10_000) return;
    for (const [client, window] of this.windows) if (now - window.startedAt >= this.windowMs) this.windows.delete(client);
  }
}
