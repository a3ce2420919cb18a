import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditService } from '../audit/audit.service';
import type { Database } from '../database/database.service';
import { ManualClock, openSpecDatabase } from '../spec-support';
import { KeysService } from './keys.service';

describe('KeysService.activeIssuer', () => {
  let db: Database;
  let close: () => Promise<void>;
  let keys: KeysService;
  let clock: ManualClock;

  beforeEach(async () => {
    let config;
    ({ db, config, close } = await openSpecDatabase());
    clock = new ManualClock(new Date());
    keys = new KeysService(db, new AuditService(db, clock), config, clock);
    await keys.initKeys('cli', { allowPlaintext: true });
  });
  afterEach(() => close());

  it('reads the key once for all the requests that need it at the same moment', async () => {
    const reads = vi.spyOn(db, 'read');
    const issuers = await Promise.all(Array.from({ length: 50 }, () => keys.activeIssuer()));
    expect(reads).toHaveBeenCalledTimes(1);
    expect(new Set(issuers.map((issuer) => issuer.kid)).size).toBe(1);
  });

  it('takes a key rotated by this process at once', async () => {
    const before = await keys.activeIssuer();
    clock.advance(1_000);
    const rotated = await keys.rotateIssuer('cli');
    expect(rotated.kid).not.toBe(before.kid);
    expect((await keys.activeIssuer()).kid).toBe(rotated.kid);
  });
});
