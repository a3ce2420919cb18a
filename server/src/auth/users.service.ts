import { lookUpNames } from '../common/names';
import { Inject, Injectable } from '@nestjs/common';
import { humanText, SeatlockError } from '@seatlock/shared';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { ROLES, type Role } from './api-token.entity';
import { FailureRateLimiter } from './rate-limiter';
import { addDays, CLOCK, type Clock } from '../clock/clock';
import { foundOrFail } from '../common/find-or-fail';
import { findPage, type Page, type PageQuery } from '../common/paging';
import { hashSecret, newSecret } from '../common/secrets';
import { CustomersService } from '../customers/customers.service';
import { Database, isUniqueViolation } from '../database/database.service';
import type { Language } from '../mail/language';
import { OutboxService } from '../outbox/outbox.service';
import { hashPassword } from './passwords';
import { Session } from './session.entity';
import { TokensService } from './tokens.service';
import { User, type UserStatus } from './user.entity';

export const INVITE_DAYS = 7;
export const PASSWORD_LENGTH = { min: 12, max: 256 } as const;

export interface UserResponse {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  customerId: string | null;
  status: UserStatus;
  /** The language of the person's e-mails. */
  language: Language;
  createdAt: string;
}

/** A user in the list: with its customer's name. */
export interface ListedUser extends UserResponse {
  customerName: string | null;
}

export interface NewUser {
  email: string;
  /** A display name (shared's humanText rule). */
  name?: string;
  role: string;
  /** Required for (and only for) the `customer` role. */
  customerId?: string;
  /** The language of the person's e-mails; en when not given. */
  language?: Language;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly customers: CustomersService,
    private readonly limiter: FailureRateLimiter,
    private readonly tokens: TokensService,
    private readonly outbox: OutboxService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Invites a person: the one-time invite token (valid 7 days) is in this answer only. */
  async inviteUser(input: NewUser, actor: string): Promise<{ id: string; invite: string; inviteExpiresAt: string }> {
    const role = input.role as Role;
    if (!ROLES.includes(role)) throw new SeatlockError('INVALID_REQUEST', `Unknown role "${input.role}"; expected one of ${ROLES.join(', ')}.`);
    if (role === 'customer' && !input.customerId) throw new SeatlockError('INVALID_REQUEST', 'A customer user needs the customerId it acts for.');
    if (role !== 'customer' && input.customerId) throw new SeatlockError('INVALID_REQUEST', `A ${role} acts for every customer; customerId applies to customer users only.`);
    const invite = newSecret('slinv');
    const now = this.clock.now();
    const email = input.email.trim().toLowerCase();
    const name = input.name === undefined ? null : humanText(input.name, 'name', 200);
    try {
      return await this.db.write(async (manager) => {
        const customerId = input.customerId ?? null;
        if (customerId !== null) await this.customers.findCustomer(manager, customerId);
        const row = manager.create(User, {
          id: randomUUID(),
          email,
          name,
          role,
          customerId,
          status: 'invited',
          passwordHash: null,
          inviteHash: hashSecret(invite),
          inviteExpiresAt: addDays(now, INVITE_DAYS).toISOString(),
          failedSignIns: 0,
          signInsInFlight: 0,
          signInsCountedAt: null,
          lockedUntil: null,
          language: input.language ?? 'en',
          createdAt: now.toISOString(),
        });
        await manager.insert(User, row);
        await this.audit.append(manager, [{ action: 'user.invited', actor, subject: `user:${row.id}`, customerId, data: { email, name, role, customerId } }]);
        // The invite goes to the outbox directly, never to the audit chain: the e-mail carries it, nothing else keeps it.
        await this.outbox.enqueue(manager, [{ type: 'user.invited', customerId, data: { userId: row.id, invite, inviteExpiresAt: row.inviteExpiresAt } }]);
        return { id: row.id, invite, inviteExpiresAt: row.inviteExpiresAt as string };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new SeatlockError('INVALID_REQUEST', `A user with the email ${email} exists already.`);
      throw error;
    }
  }

  /** Sets the password of an invited user with its invite token, once; a wrong or used invite counts as a failure from `client`. */
  async acceptInvite(invite: string, password: string, client: string): Promise<UserResponse> {
    this.limiter.assertAllowed(client);
    const passwordHash = await hashPassword(password);
    const now = this.clock.now().toISOString();
    const accepted = await this.db.write(async (manager) => {
      const user = await manager.findOneBy(User, { inviteHash: hashSecret(invite) });
      if (!user || user.status !== 'invited' || (user.inviteExpiresAt ?? '') < now) return null;
      const result = await manager.update(User, { id: user.id, status: 'invited' }, { status: 'active', passwordHash, inviteHash: null, inviteExpiresAt: null });
      if (!result.affected) return null;
      await this.audit.append(manager, [{ action: 'user.activated', actor: `user:${user.id}`, subject: `user:${user.id}`, customerId: user.customerId }]);
      return { ...user, status: 'active' as const };
    });
    if (!accepted) return this.limiter.fail(client, new SeatlockError('UNAUTHORIZED', 'The invite is not valid: unknown, used already, or older than 7 days.'));
    return this.map(accepted);
  }

  async listUsers(query: PageQuery): Promise<Page<ListedUser>> {
    const { rows, names, ...rest } = await this.db.read(async (m) => {
      const page = await findPage(m, User, query, { keys: ['createdAt', 'id'], direction: 'ASC' });
      return { ...page, names: await lookUpNames(m, { customerIds: page.rows.flatMap((row) => (row.customerId ? [row.customerId] : [])) }) };
    });
    return { items: rows.map((row) => ({ ...this.map(row), customerName: row.customerId ? (names.customers.get(row.customerId) ?? null) : null })), ...rest };
  }

  /**
   * Disables a user: it can no longer sign in, its sessions end now (on every instance: sessions
   * are not cached), and every token its credentials minted is revoked (refused at once here,
   * within TOKEN_CACHE_MS on the other instances).
   */
  async disableUser(id: string, actor: string): Promise<UserResponse> {
    const disabled = await this.db.write(async (manager) => {
      const user = foundOrFail(await manager.findOneBy(User, { id }), 'user', id);
      if (user.status === 'disabled') return this.map(user);
      await manager.update(User, { id }, { status: 'disabled', inviteHash: null, inviteExpiresAt: null });
      await manager.delete(Session, { userId: id });
      await this.audit.append(manager, [{ action: 'user.disabled', actor, subject: `user:${id}`, customerId: user.customerId }]);
      await this.tokens.revokeTokensOf(manager, `user:${id}`, actor, 'its creator was disabled');
      return this.map({ ...user, status: 'disabled' });
    });
    this.tokens.forgetCached();
    return disabled;
  }

  async countUsers(): Promise<number> {
    return this.db.read((m) => m.count(User));
  }

  async getUser(id: string): Promise<UserResponse> {
    return this.map(foundOrFail(await this.db.read((m) => m.findOneBy(User, { id })), 'user', id));
  }

  map(row: User): UserResponse {
    return { id: row.id, email: row.email, name: row.name, role: row.role, customerId: row.customerId, status: row.status, language: row.language, createdAt: row.createdAt };
  }
}
