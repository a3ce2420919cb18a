import { Inject, Injectable } from '@nestjs/common';
import { SeatlockError } from '@seatlock/shared';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../clock/clock';
import { hashSecret, newSecret } from '../common/secrets';
import { Database, isUniqueViolation } from '../database/database.service';
import { ApiToken, type Role, ROLES } from './api-token.entity';
import type { Principal } from './principal';

export interface TokenResponse {
  id: string;
  role: Role;
  name: string;
  createdAt: string;
}

@Injectable()
export class TokensService {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Creates a token; the plain token is in this answer only. */
  async createToken(role: string, name: string, actor: string): Promise<TokenResponse & { token: string }> {
    if (!ROLES.includes(role as Role)) throw new SeatlockError('INVALID_REQUEST', `Unknown role "${role}"; expected one of ${ROLES.join(', ')}.`);
    const token = newSecret('slt');
    const row = await this.insert(role as Role, name, hashSecret(token), actor);
    return { ...this.map(row), token };
  }

  /** Makes sure the given token exists as an admin token (SEATLOCK_ADMIN_TOKEN). */
  async ensureAdminToken(token: string): Promise<void> {
    if (token.length < 16) throw new Error('SEATLOCK_ADMIN_TOKEN must be at least 16 characters long.');
    const tokenHash = hashSecret(token);
    const existing = await this.db.read((m) => m.findOneBy(ApiToken, { tokenHash }));
    if (existing) return;
    await this.insert('admin', 'SEATLOCK_ADMIN_TOKEN', tokenHash, 'system').catch((error: unknown) => {
      // Another instance starting with the same token stored it first.
      if (!isUniqueViolation(error)) throw error;
    });
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
    const principal = row ? { tokenId: row.id, role: row.role } : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(tokenHash, { principal, until: now + 5_000 });
    return principal;
  }

  private async insert(role: Role, name: string, tokenHash: string, actor: string): Promise<ApiToken> {
    return this.db.write(async (manager) => {
      const row = manager.create(ApiToken, { id: randomUUID(), role, name, tokenHash, createdAt: this.clock.now().toISOString() });
      await manager.insert(ApiToken, row);
      this.cache.delete(tokenHash);
      await this.audit.append(manager, [{ action: 'token.created', actor, subject: `token:${row.id}`, data: { role, name } }]);
      return row;
    });
  }

  private map(row: ApiToken): TokenResponse {
    return { id: row.id, role: row.role, name: row.name, createdAt: row.createdAt };
  }
}
