import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import { CustomersService } from '../customers/customers.service';
import { hashSecret } from '../common/secrets';
import type { Database } from '../database/database.service';
import { ManualClock, openSpecDatabase } from '../spec-support';
import { ApiToken } from './api-token.entity';
import { TOKEN_CACHE_MS, TokensService } from './tokens.service';

describe('TokensService', () => {
  let db: Database;
  let close: () => Promise<void>;
  const clock = new ManualClock(new Date('2026-11-25T00:00:00Z'));
  const instance = () => {
    const audit = new AuditService(db, clock);
    return new TokensService(db, audit, new CustomersService(db, audit, clock), clock);
  };

  beforeAll(async () => {
    ({ db, close } = await openSpecDatabase());
  });
  afterAll(() => close());

  it('refuses a token revoked by another instance once that instance’s cached answer is TOKEN_CACHE_MS old', async () => {
    const [a, b] = [instance(), instance()];
    const { id, token } = await a.createToken({ role: 'issuer', name: 'leaked' }, 'cli');
    expect(await b.authenticate(token)).toEqual({ kind: 'token', id, role: 'issuer', customerId: null, person: 'cli' });
    await a.revokeToken(id, 'cli');
    expect(await a.authenticate(token)).toBeNull();
    clock.advance(TOKEN_CACHE_MS - 1);
    expect(await b.authenticate(token)).not.toBeNull();
    clock.advance(1);
    expect(await b.authenticate(token)).toBeNull();
  });

  it('accepts the chosen admin token by value, not by a bare SHA-256 of it, and keeps it across restarts', async () => {
    const chosen = 'a-person-chose-this-token';
    const first = instance();
    await first.ensureAdminToken(chosen);
    const principal = await first.authenticate(chosen);
    expect(principal?.role).toBe('admin');
    const restarted = instance();
    await restarted.ensureAdminToken(chosen);
    expect(await restarted.authenticate(chosen)).toEqual(principal);
    // An instance that was not given the value does not find it in the database.
    expect(await instance().authenticate(chosen)).toBeNull();
  });

  it('retires a bare SHA-256 copy of the chosen token that an older server stored', async () => {
    const chosen = 'chosen-before-the-upgrade';
    await db.write((m) => m.insert(ApiToken, { id: 'legacy', role: 'admin', name: 'SEATLOCK_ADMIN_TOKEN', tokenHash: hashSecret(chosen), tokenSalt: null, createdBy: 'system', person: 'token:legacy', revokedAt: null, createdAt: clock.now().toISOString() }));
    expect((await instance().authenticate(chosen))?.id).toBe('legacy');
    const upgraded = instance();
    await upgraded.ensureAdminToken(chosen);
    const legacy = await db.read((m) => m.findOneByOrFail(ApiToken, { id: 'legacy' }));
    expect(legacy.revokedAt).not.toBeNull();
    expect(legacy.tokenHash).not.toBe(hashSecret(chosen));
    expect((await upgraded.authenticate(chosen))?.id).not.toBe('legacy');
  });
});
