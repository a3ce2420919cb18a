import { Inject, Injectable } from '@nestjs/common';
import { humanText, SeatlockError } from '@seatlock/shared';
import { randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { type EntityManager, IsNull, Not } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../clock/clock';
import { foundOrFail } from '../common/find-or-fail';
import { findPage, type Page, type PageQuery } from '../common/paging';
import { customerWithin } from '../common/scope';
import { hashSecret, newSecret } from '../common/secrets';
import { CustomersService } from '../customers/customers.service';
import { Database, isUniqueViolation } from '../database/database.service';
import { ApiToken, type Role, ROLES } from './api-token.entity';
import type { Principal } from './principal';
import { User } from './user.entity';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

/** How long an instance trusts what it read about a token; a revocation on another instance takes effect within this. */
export const TOKEN_CACHE_MS = 5_000;

/** The name the token made from SEATLOCK_ADMIN_TOKEN carries. */
const CHOSEN_TOKEN_NAME = 'SEATLOCK_ADMIN_TOKEN';

export interface TokenResponse {
  id: string;
  role: Role;
  name: string;
  customerId: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export interface NewToken {
  role: string;
  name: string;
  /** Required for (and only for) the `customer` role. */
  customerId?: string;
}

@Injectable()
export class TokensService {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();
  /** SEATLOCK_ADMIN_TOKEN and its row, once ensureAdminToken has stored or found it. */
  private chosen?: { token: Buffer; id: string };

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly customers: CustomersService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Creates a token; the plain token is in this answer only. A customer's signed-in user
   * (`creator`) may create `customer` tokens for its own customer only; a customer token cannot
   * mint tokens, so a leaked one cannot outlive its revocation. The new token acts for the
   * creator's person (disabling that user revokes it). The operator's CLI passes no creator and
   * its tokens act for `cli`.
   */
  async createToken(input: NewToken, actor: string, creator?: Principal): Promise<TokenResponse & { token: string }> {
    const role = input.role as Role;
    if (!ROLES.includes(role)) throw new SeatlockError('INVALID_REQUEST', `Unknown role "${input.role}"; expected one of ${ROLES.join(', ')}.`);
    let scope: string | undefined;
    if (creator?.role === 'customer') {
      if (creator.kind !== 'user') throw new SeatlockError('FORBIDDEN', 'Customer tokens are created by a signed-in user of the customer, not by a token.');
      if (role !== 'customer') throw new SeatlockError('FORBIDDEN', 'A customer may create customer tokens only.');
      scope = creator.customerId ?? undefined;
    }
    const customerId = customerWithin(scope, input.customerId) ?? null;
    if (role === 'customer' && customerId === null) throw new SeatlockError('INVALID_REQUEST', 'A customer token needs the customerId it acts for.');
    if (role !== 'customer' && customerId !== null) throw new SeatlockError('INVALID_REQUEST', `A ${role} token acts for every customer; customerId applies to customer tokens only.`);
    const name = humanText(input.name, 'name', 200);
    const token = newSecret('slt');
    const row = await this.db.write(async (manager) => {
      if (customerId !== null) await this.customers.findCustomer(manager, customerId);
      return this.insert(manager, { role, name, customerId, tokenHash: hashSecret(token), tokenSalt: null, person: creator?.person ?? actor }, actor);
    });
    return { ...this.map(row), token };
  }

  async listTokens(query: PageQuery): Promise<Page<TokenResponse>> {
    const { rows, ...rest } = await this.db.read((m) => findPage(m, ApiToken, query, { keys: ['createdAt', 'id'], direction: 'ASC' }));
    return { items: rows.map((row) => this.map(row)), ...rest };
  }

  /**
   * Revokes a token: refused at once on this instance, within TOKEN_CACHE_MS on the others.
   * Revoking a revoked token changes nothing and answers it as it is.
   */
  async revokeToken(id: string, actor: string): Promise<TokenResponse> {
    const row = await this.db.write(async (manager) => {
      const token = foundOrFail(await manager.findOneBy(ApiToken, { id }), 'token', id);
      if (token.revokedAt) return token;
      token.revokedAt = this.clock.now().toISOString();
      await manager.update(ApiToken, { id }, { revokedAt: token.revokedAt });
      await this.audit.append(manager, [{ action: 'token.revoked', actor, subject: `token:${id}`, customerId: token.customerId, data: { role: token.role, name: token.name } }]);
      return token;
    });
    this.cache.clear();
    return this.map(row);
  }

  /**
   * Revokes every token that acts for `person` (a user being disabled), with an audit event for
   * each, in the caller's transaction; call forgetCached() once it is committed.
   */
  async revokeTokensOf(manager: EntityManager, person: string, actor: string, reason: string): Promise<void> {
    const tokens = await manager.findBy(ApiToken, { person, revokedAt: IsNull() });
    if (tokens.length === 0) return;
    const revokedAt = this.clock.now().toISOString();
    await manager.update(ApiToken, { person, revokedAt: IsNull() }, { revokedAt });
    await this.audit.append(
      manager,
      tokens.map((token) => ({ action: 'token.revoked', actor, subject: `token:${token.id}`, customerId: token.customerId, data: { role: token.role, name: token.name, reason } })),
    );
  }

  /** Makes this instance read tokens afresh (the others do within TOKEN_CACHE_MS). */
  forgetCached(): void {
    this.cache.clear();
  }

  /**
   * Makes SEATLOCK_ADMIN_TOKEN an admin token. A person chose it, so it is stored as a salted
   * scrypt hash; a different value than the stored one revokes that one and takes its place.
   */
  async ensureAdminToken(token: string): Promise<void> {
    if (token.length < 16) throw new Error('SEATLOCK_ADMIN_TOKEN must be at least 16 characters long.');
    // Two instances starting together with a new value: the partial unique index lets one insert; the other then finds it.
    for (let attempt = 0; ; attempt++) {
      try {
        const id = await this.db.write(async (manager) => {
          await this.retireUnsaltedCopy(manager, token);
          const current = await manager.findOneBy(ApiToken, { tokenSalt: Not(IsNull()), revokedAt: IsNull() });
          if (current && (await chosenTokenHash(token, Buffer.from(current.tokenSalt!, 'hex'))) === current.tokenHash) return current.id;
          if (current) {
            await manager.update(ApiToken, { id: current.id }, { revokedAt: this.clock.now().toISOString() });
            await this.audit.append(manager, [{ action: 'token.revoked', actor: 'system', subject: `token:${current.id}`, data: { role: current.role, name: current.name, reason: `${CHOSEN_TOKEN_NAME} changed` } }]);
          }
          const salt = randomBytes(16);
          const row = await this.insert(manager, { role: 'admin', name: CHOSEN_TOKEN_NAME, tokenHash: await chosenTokenHash(token, salt), tokenSalt: salt.toString('hex') }, 'system');
          return row.id;
        });
        this.chosen = { token: Buffer.from(token), id };
        return;
      } catch (error) {
        if (!isUniqueViolation(error) || attempt > 0) throw error;
      }
    }
  }

  /**
   * Servers before the salted hash stored SEATLOCK_ADMIN_TOKEN as a bare SHA-256, which a stolen
   * database lets anyone test guesses against: that row is revoked and its hash overwritten.
   */
  private async retireUnsaltedCopy(manager: EntityManager, token: string): Promise<void> {
    const legacy = await manager.findOneBy(ApiToken, { tokenHash: hashSecret(token), tokenSalt: IsNull() });
    if (!legacy) return;
    await manager.update(ApiToken, { id: legacy.id }, { tokenHash: hashSecret(randomBytes(32).toString('hex')), revokedAt: legacy.revokedAt ?? this.clock.now().toISOString() });
    if (!legacy.revokedAt) {
      await this.audit.append(manager, [{ action: 'token.revoked', actor: 'system', subject: `token:${legacy.id}`, data: { role: legacy.role, name: legacy.name, reason: `${CHOSEN_TOKEN_NAME} is now stored salted` } }]);
    }
  }

  async getToken(id: string): Promise<TokenResponse> {
    return this.map(foundOrFail(await this.db.read((m) => m.findOneBy(ApiToken, { id })), 'token', id));
  }

  async countTokens(): Promise<number> {
    return this.db.read((m) => m.count(ApiToken, { where: { revokedAt: IsNull() } }));
  }

  /**
   * The principal a bearer token stands for, or null: revoked, or acting for a disabled user
   * (a token minted while that user was being disabled). Answers are cached for TOKEN_CACHE_MS:
   * every admin request asks.
   */
  async authenticate(token: string): Promise<Principal | null> {
    const chosenId = this.chosenTokenId(token);
    const key = chosenId ? `id:${chosenId}` : `sha256:${hashSecret(token)}`;
    const now = this.clock.now().getTime();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return cached.principal;
    const principal = await this.db.read(async (m) => {
      const row = await m.findOneBy(ApiToken, chosenId ? { id: chosenId } : { tokenHash: hashSecret(token), tokenSalt: IsNull() });
      if (!row || row.revokedAt || (await isDisabledUser(m, row.person))) return null;
      return { kind: 'token', id: row.id, role: row.role, customerId: row.customerId, person: row.person } satisfies Principal;
    });
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { principal, until: now + TOKEN_CACHE_MS });
    return principal;
  }

  private chosenTokenId(token: string): string | undefined {
    if (!this.chosen) return undefined;
    const given = Buffer.from(token);
    return given.length === this.chosen.token.length && timingSafeEqual(given, this.chosen.token) ? this.chosen.id : undefined;
  }

  /** Stores a new token created by `actor`; without a `person` it acts for itself. */
  private async insert(manager: EntityManager, fields: Pick<ApiToken, 'role' | 'name' | 'tokenHash' | 'tokenSalt'> & Partial<Pick<ApiToken, 'customerId' | 'person'>>, actor: string): Promise<ApiToken> {
    const id = randomUUID();
    const row = manager.create(ApiToken, { id, customerId: null, person: `token:${id}`, ...fields, createdBy: actor, revokedAt: null, createdAt: this.clock.now().toISOString() });
    await manager.insert(ApiToken, row);
    const { role, name, customerId } = row;
    await this.audit.append(manager, [{ action: 'token.created', actor, subject: `token:${row.id}`, customerId, data: { role, name, customerId } }]);
    return row;
  }

  private map(row: ApiToken): TokenResponse {
    return { id: row.id, role: row.role, name: row.name, customerId: row.customerId, createdAt: row.createdAt, revokedAt: row.revokedAt };
  }
}

/** Whether `person` is a user who has been disabled. */
async function isDisabledUser(manager: EntityManager, person: string): Promise<boolean> {
  if (!person.startsWith('user:')) return false;
  const user = await manager.findOneBy(User, { id: person.slice('user:'.length) });
  return user?.status === 'disabled';
}

/** scrypt (N = 2^14, r = 8, p = 1, Node's defaults) of a token a person chose, hex: slow to guess from a stolen database. */
async function chosenTokenHash(token: string, salt: Buffer): Promise<string> {
  return (await scryptAsync(token, salt, 32)).toString('hex');
}
