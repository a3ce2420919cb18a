import { Inject, Injectable } from '@nestjs/common';
import { SeatlockError } from '@seatlock/shared';
import { randomBytes, randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import type { Principal } from './principal';
import { FailureRateLimiter } from './rate-limiter';
import { CLOCK, type Clock } from '../clock/clock';
import { hashSecret, newSecret } from '../common/secrets';
import { CONFIG, type ServerConfig } from '../config/config';
import { Database } from '../database/database.service';
import { hashPassword, verifyPassword } from './passwords';
import { Session } from './session.entity';
import { User } from './user.entity';
import { type UserResponse, UsersService } from './users.service';

/** Failed sign-ins in a row that lock an account, and for how long. */
export const SIGN_IN_LOCK = { failures: 5, minutes: 15 } as const;
/** How long an attempt may stay in flight: longer, the instance checking it was lost (a check takes under a second). */
const IN_FLIGHT_MS = 60_000;
// The attempts in flight; none when the last was counted before the `?` given (IN_FLIGHT_MS ago).
const IN_FLIGHT = 'CASE WHEN sign_ins_counted_at > ? THEN sign_ins_in_flight ELSE 0 END';
const OUT_OF_FLIGHT = 'sign_ins_in_flight = CASE WHEN sign_ins_in_flight > 0 THEN sign_ins_in_flight - 1 ELSE 0 END';
// Counts an attempt unless the account is locked or its run of wrong passwords and the attempts
// in flight already make 5; answers the run as it stood and the attempts in flight, this one included.
const COUNT_SIGN_IN = `UPDATE users SET sign_ins_in_flight = ${IN_FLIGHT} + 1, sign_ins_counted_at = ?
  WHERE id = ? AND failed_sign_ins + ${IN_FLIGHT} < ? AND (locked_until IS NULL OR locked_until <= ?)
  RETURNING failed_sign_ins, sign_ins_in_flight`;
const WRONG_PASSWORD = `UPDATE users SET ${OUT_OF_FLIGHT}, failed_sign_ins = failed_sign_ins + 1 WHERE id = ?`;
const LOCK_ACCOUNT = 'UPDATE users SET failed_sign_ins = 0, locked_until = ? WHERE id = ? AND failed_sign_ins >= ?';
// A right password checked alone (none other in flight when it was counted, and since then the run
// unchanged and none other counted) ends the run; one checked beside others leaves their run going.
const RIGHT_PASSWORD_ALONE = `UPDATE users SET ${OUT_OF_FLIGHT},
  failed_sign_ins = CASE WHEN sign_ins_in_flight = 1 AND failed_sign_ins = ? THEN 0 ELSE failed_sign_ins END
  WHERE id = ?`;
// Out of flight, the run untouched: a right password beside others, or that of an account not active.
const GIVE_BACK_SIGN_IN = `UPDATE users SET ${OUT_OF_FLIGHT} WHERE id = ?`;
/** How stale `last_seen_at` may get before a request moves it: one write per minute, not per request. */
const LAST_SEEN_STEP_MS = 60_000;

/** A sign-in counted against its account: the run of wrong passwords then, and whether no other attempt was in flight. */
interface CountedSignIn {
  readonly failedBefore: number;
  readonly alone: boolean;
}

export interface SignedIn {
  token: string;
  expiresAt: string;
  user: UserResponse;
}

@Injectable()
export class SessionsService {
  private unknownUserHash?: Promise<string>;

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly users: UsersService,
    private readonly limiter: FailureRateLimiter,
    @Inject(CONFIG) private readonly config: ServerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Signs a user in: a new session whose token (for the cookie) is in this answer only. Each
   * attempt is counted before the password is checked, against the address (the failure rate
   * limiter) and against the account (5 in a row lock it for 15 minutes, even for the right
   * password), and given back when the password was right: so a burst of attempts at once, on
   * any number of instances, gets no more wrong passwords checked than those limits allow.
   */
  async signIn(email: string, password: string, client: string): Promise<SignedIn> {
    const attempt = await this.limiter.countAttempt(client);
    const now = this.clock.now();
    const user = await this.db.read((m) => m.findOneBy(User, { email: email.trim().toLowerCase() }));
    const counted = user
      ? await this.countAccountAttempt(user, now).catch(async (error: unknown) => {
          // Refused before any password was checked: the address is not charged for it.
          await this.limiter.refund(attempt);
          throw error;
        })
      : undefined;
    // An unknown email costs the same hash as a known one, so timing does not tell which emails exist.
    const passwordHash = user?.passwordHash ?? (await (this.unknownUserHash ??= hashPassword(randomBytes(16).toString('hex'))));
    const matches = await verifyPassword(password, passwordHash);
    if (!user || !counted || !matches || user.status !== 'active') {
      if (user && !matches) await this.lockAfterWrongPassword(user, now);
      else if (user) await this.db.commit((manager) => this.db.execute(manager, GIVE_BACK_SIGN_IN, [user.id]));
      throw new SeatlockError('UNAUTHORIZED', 'The email or the password is wrong, or the account is not active.');
    }
    await this.limiter.refund(attempt);
    const token = newSecret('sls');
    const expiresAt = new Date(now.getTime() + this.config.sessions.maxHours * 3_600_000).toISOString();
    await this.db.write(async (manager) => {
      // The lock is left alone: one set while this password was being checked stays until it ends.
      if (counted.alone) await this.db.execute(manager, RIGHT_PASSWORD_ALONE, [counted.failedBefore, user.id]);
      else await this.db.execute(manager, GIVE_BACK_SIGN_IN, [user.id]);
      const session = manager.create(Session, { id: randomUUID(), tokenHash: hashSecret(token), userId: user.id, createdAt: now.toISOString(), lastSeenAt: now.toISOString(), expiresAt });
      await manager.insert(Session, session);
      await this.audit.append(manager, [{ action: 'user.signed-in', actor: `user:${user.id}`, subject: `session:${session.id}`, customerId: user.customerId }]);
    });
    return { token, expiresAt, user: this.users.map(user) };
  }

  /** Ends the session the token names (nothing if there is none). */
  async signOut(token: string): Promise<void> {
    await this.db.write((manager) => manager.delete(Session, { tokenHash: hashSecret(token) }));
  }

  /**
   * The principal a session token stands for, or null when it is unknown, idle too long, past its
   * absolute end, or its user is no longer active. Not cached: a sign-out or a disabled user
   * takes effect on the next request, on every instance.
   */
  async authenticate(token: string): Promise<Principal | null> {
    const now = this.clock.now();
    const session = await this.db.read((m) => m.findOneBy(Session, { tokenHash: hashSecret(token) }));
    if (!session) return null;
    const idleSince = Date.parse(session.lastSeenAt);
    if (session.expiresAt <= now.toISOString() || now.getTime() - idleSince >= this.config.sessions.idleMinutes * 60_000) {
      await this.db.write((m) => m.delete(Session, { id: session.id }));
      return null;
    }
    const user = await this.db.read((m) => m.findOneBy(User, { id: session.userId }));
    if (!user || user.status !== 'active') return null;
    if (now.getTime() - idleSince >= LAST_SEEN_STEP_MS) await this.db.write((m) => m.update(Session, { id: session.id }, { lastSeenAt: now.toISOString() }));
    return { kind: 'user', id: user.id, role: user.role, customerId: user.customerId, person: `user:${user.id}` };
  }

  /** Seconds a new session's cookie lives: its absolute lifetime. */
  get cookieMaxAgeSeconds(): number {
    return this.config.sessions.maxHours * 3600;
  }

  /**
   * Counts a sign-in attempt against the account before its password is checked, in one
   * conditional update (atomic on every instance): refused while the account is locked or while
   * its run of wrong passwords and the attempts in flight already make 5. Attempts left in flight
   * by an instance that stopped mid-check stop counting a minute after the last one was counted.
   */
  private async countAccountAttempt(user: User, now: Date): Promise<CountedSignIn> {
    const outcome = await this.db.commit<{ counted: CountedSignIn } | { lockedUntil: string | null }>(async (manager) => {
      const lost = new Date(now.getTime() - IN_FLIGHT_MS).toISOString();
      const { rows } = await this.db.execute(manager, COUNT_SIGN_IN, [lost, now.toISOString(), user.id, lost, SIGN_IN_LOCK.failures, now.toISOString()]);
      if (rows.length === 1) return { counted: { failedBefore: Number(rows[0].failed_sign_ins), alone: Number(rows[0].sign_ins_in_flight) === 1 } };
      return { lockedUntil: ((await this.db.execute(manager, 'SELECT locked_until FROM users WHERE id = ?', [user.id])).rows[0]?.locked_until ?? null) as string | null };
    });
    if ('counted' in outcome) return outcome.counted;
    const { lockedUntil } = outcome;
    // Not locked yet: its last attempts are still being checked, and will lock it if wrong.
    const until = lockedUntil && lockedUntil > now.toISOString() ? Date.parse(lockedUntil) : now.getTime() + SIGN_IN_LOCK.minutes * 60_000;
    const retryAfterSeconds = Math.max(1, Math.ceil((until - now.getTime()) / 1000));
    throw new SeatlockError('RATE_LIMITED', `Too many failed sign-ins to this account; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds });
  }

  /** A wrong password, already counted: it joins the run, and the account locks once the run holds 5, which starts it again. */
  private async lockAfterWrongPassword(user: User, now: Date): Promise<void> {
    await this.db.write(async (manager) => {
      await this.db.execute(manager, WRONG_PASSWORD, [user.id]);
      const lockedUntil = new Date(now.getTime() + SIGN_IN_LOCK.minutes * 60_000).toISOString();
      const { affected } = await this.db.execute(manager, LOCK_ACCOUNT, [lockedUntil, user.id, SIGN_IN_LOCK.failures]);
      if (affected === 0) return;
      await this.audit.append(manager, [{ action: 'user.locked', actor: 'system', subject: `user:${user.id}`, customerId: user.customerId, data: { lockedUntil } }]);
    });
  }
}
