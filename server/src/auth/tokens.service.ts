import { Inject, Injectable } from '@nestjs/common';
import { SeatlockError } from '@seatlock/shared';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../clock/clock';
import { foundOrFail } from '../common/find-or-fail';
import { customerWithin } from '../common/scope';
import { hashSecret, newSecret } from '../common/secrets';
import { CustomersService } from '../customers/customers.service';
import { Database, isUniqueViolation } from '../database/database.service';
import { ApiToken, type Role, ROLES } from './api-token.entity';
import type { Principal } from './principal';

export interface TokenResponse {
  id: string;
  role: Role;
  name: string;
  customerId: string | null;
  createdAt: string;
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

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly customers: CustomersService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Creates a token; the plain token is in this answer only. A customer's signed-in user
   * (`creator`) may create `customer` tokens for its own customer only; a token cannot mint
   * tokens, so a leaked one cannot outlive its revocation. The operator's CLI passes no creator.
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
    const token = newSecret('slt');
    const row = await this.insert({ role, name: input.name, customerId, tokenHash: hashSecret(token) }, actor);
    return { ...this.map(row), token };
  }

  /** Makes sure the given token exists as an admin token (SEATLOCK_ADMIN_TOKEN). */
  async ensureAdminToken(token: string): Promise<void> {
    if (token.length < 16) throw new Error('SEATLOCK_ADMIN_TOKEN must be at least 16 characters long.');
    const tokenHash = hashSecret(token);
    const existing = await this.db.read((m) => m.findOneBy(ApiToken, { tokenHash }));
    if (existing) return;
    await this.insert({ role: 'admin', name: 'SEATLOCK_ADMIN_TOKEN', customerId: null, tokenHash }, 'system').catch((error: unknown) => {
      // Another instance starting with the same token stored it first.
      if (!isUniqueViolation(error)) throw error;
    });
  }

  async getToken(id: string): Promise<TokenResponse> {
    return this.map(foundOrFail(await this.db.read((m) => m.findOneBy(ApiToken, { id })), 'token', id));
  }

  async countTokens(): Promise<number> {
    return this.db.read((m) => m.count(ApiToken));
  }

  /** The principal a bearer token stands for, or null. Answers are cached briefly: every admin request asks. */
  async authenticate(token: string): Promise<Principal | null> {
    const tokenHash = hashSecret(token);
    const now = Date.now();
    const cached = this.cache.get(tokenHash);
    if (cached && cached.until > now) return cached.principal;
    const row = await this.db.read((m) => m.findOneBy(ApiToken, { tokenHash }));
    const principal: Principal | null = row ? { kind: 'token', id: row.id, role: row.role, customerId: row.customerId } : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(tokenHash, { principal, until: now + 5_000 });
    return principal;
  }

  private async insert(fields: Pick<ApiToken, 'role' | 'name' | 'customerId' | 'tokenHash'>, actor: string): Promise<ApiToken> {
    return this.db.write(async (manager) => {
      if (fields.customerId !== null) await this.customers.findCustomer(manager, fields.customerId);
      const row = manager.create(ApiToken, { id: randomUUID(), ...fields, createdAt: this.clock.now().toISOString() });
      await manager.insert(ApiToken, row);
      this.cache.delete(fields.tokenHash);
      const { role, name, customerId } = row;
      await this.audit.append(manager, [{ action: 'token.created', actor, subject: `token:${row.id}`, customerId, data: { role, name, customerId } }]);
      return row;
    });
  }

  private map(row: ApiToken): TokenResponse {
    return { id: row.id, role: row.role, name: row.name, customerId: row.customerId, createdAt: row.createdAt };
  }
}
