import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SeatlockError } from '@seatlock/shared';
import { CLOCK, type Clock } from '../clock/clock';
import { CONFIG, type ServerConfig } from '../config/config';
import { Database } from '../database/database.service';

/** An attempt counted before its secret was checked, to refund if the secret was right. */
export interface CountedAttempt {
  readonly client: string;
  readonly windowStartedAt: number;
}

/** How often an instance learns which addresses other instances have limited. */
export const LIMITS_REFRESH_MS = 1_000;

// One row per address: a new window starts with a failure after the last one ended.
const COUNT_FAILURE = `INSERT INTO rate_limit_windows (client, started_at, failures) VALUES (?, ?, 1)
  ON CONFLICT (client) DO UPDATE SET
    failures = CASE WHEN rate_limit_windows.started_at <= ? THEN 1 ELSE rate_limit_windows.failures + 1 END,
    started_at = CASE WHEN rate_limit_windows.started_at <= ? THEN excluded.started_at ELSE rate_limit_windows.started_at END
  RETURNING started_at, failures`;
// Only from the window the attempt was counted in: a window that ended meanwhile owes nothing.
const REFUND = 'UPDATE rate_limit_windows SET failures = failures - 1 WHERE client = ? AND started_at = ? AND failures > 0';
const LIMITED = 'SELECT client, started_at FROM rate_limit_windows WHERE failures > ? AND started_at > ?';
const FORGET_ENDED = 'DELETE FROM rate_limit_windows WHERE started_at <= ?';

/**
 * Counts failed attempts (wrong activation codes, bad tokens) per client address in a fixed
 * window that starts with the first failure. Once an address has more failures than allowed,
 * every attempt from it that needs a secret is refused (RATE_LIMITED) until the window ends,
 * including one with the right secret: otherwise a guesser learns when they hit. The counts
 * live in the database, so all instances add to the same ones; each instance keeps the limited
 * addresses in memory (checked on every attempt without a query) and re-reads them every second.
 */
@Injectable()
export class FailureRateLimiter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimiter');
  /** Limited address → when its window ends (ms). */
  private readonly limited = new Map<string, number>();
  private readonly windowMs: number;
  private refresher?: NodeJS.Timeout;

  constructor(
    @Inject(CONFIG) private readonly config: ServerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly db: Database,
  ) {
    this.windowMs = config.rateLimit.windowSeconds * 1000;
  }

  onModuleInit(): void {
    this.refresher = setInterval(() => void this.refresh(), LIMITS_REFRESH_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.refresher);
  }

  /** Throws RATE_LIMITED while `client` is limited; call before checking any secret it sent. */
  assertAllowed(client: string): void {
    const refusal = this.refusalFor(client);
    if (refusal) throw refusal;
  }

  /** The RATE_LIMITED refusal while `client` is limited, else undefined. */
  refusalFor(client: string): SeatlockError | undefined {
    const until = this.limited.get(client);
    if (until === undefined) return undefined;
    const now = this.clock.now().getTime();
    if (now < until) return this.refusal(until - now);
    this.limited.delete(client);
    return undefined;
  }

  /** Records a failure from `client`, then throws RATE_LIMITED if that put it over the limit, else `failure`. */
  async fail(client: string, failure: SeatlockError): Promise<never> {
    await this.countFailure(client);
    throw failure;
  }

  /**
   * Counts an attempt from `client` as a failure before its secret is checked, and throws
   * RATE_LIMITED if `client` is limited or this attempt puts it over the limit: so however many
   * attempts arrive at once, on however many instances, no more secrets are checked than the
   * limit allows. {@link refund} it when the secret was right. For secrets that are slow to
   * check (passwords); elsewhere {@link fail} counts after the check, without a write per request.
   */
  async countAttempt(client: string): Promise<CountedAttempt> {
    this.assertAllowed(client);
    return { client, windowStartedAt: await this.countFailure(client) };
  }

  /** Takes back an attempt counted by {@link countAttempt}: its secret was right. */
  async refund(attempt: CountedAttempt): Promise<void> {
    await this.db.commit((manager) => this.db.execute(manager, REFUND, [attempt.client, attempt.windowStartedAt]));
  }

  /** Adds a failure to `client`'s window and answers when that window started; throws RATE_LIMITED past the limit. */
  private async countFailure(client: string): Promise<number> {
    const now = this.clock.now().getTime();
    const windowStartedBefore = now - this.windowMs;
    const { rows } = await this.db.commit((manager) => this.db.execute(manager, COUNT_FAILURE, [client, now, windowStartedBefore, windowStartedBefore]));
    const windowStartedAt = Number(rows[0].started_at);
    if (Number(rows[0].failures) > this.config.rateLimit.maxFailures) {
      const until = windowStartedAt + this.windowMs;
      this.limited.set(client, until);
      throw this.refusal(until - now);
    }
    return windowStartedAt;
  }

  /** Takes in the addresses other instances limited, and forgets windows that ended. */
  async refresh(): Promise<void> {
    const now = this.clock.now().getTime();
    try {
      const { rows } = await this.db.read((manager) => this.db.execute(manager, LIMITED, [this.config.rateLimit.maxFailures, now - this.windowMs]));
      // Merged, not replaced: a limit this instance set after that read began must not be lost.
      for (const [client, until] of this.limited) if (until <= now) this.limited.delete(client);
      for (const row of rows) this.limited.set(String(row.client), Math.max(this.limited.get(String(row.client)) ?? 0, Number(row.started_at) + this.windowMs));
      await this.db.commit((manager) => this.db.execute(manager, FORGET_ENDED, [now - this.windowMs]));
    } catch (error) {
      this.logger.warn(`Could not refresh the limited addresses: ${(error as Error).message}`);
    }
  }

  private refusal(remainingMs: number): SeatlockError {
    const retryAfterSeconds = Math.max(1, Math.ceil(remainingMs / 1000));
    return new SeatlockError('RATE_LIMITED', `Too many failed attempts from this address; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds });
  }
}
