import { X509Certificate } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditService } from '../audit/audit.service';
import type { ServerConfig } from '../config/config';
import type { Database } from '../database/database.service';
import { ManualClock, openSpecDatabase } from '../spec-support';
import { KeysService } from './keys.service';

let db: Database;
let close: () => Promise<void>;
let keys: KeysService;
let clock: ManualClock;
let config: ServerConfig;

beforeEach(async () => {
  ({ db, config, close } = await openSpecDatabase());
  clock = new ManualClock(new Date('2026-12-01T00:00:00Z'));
  keys = new KeysService(db, new AuditService(db, clock), config, clock);
  await keys.initKeys('cli', { allowPlaintext: true });
});
afterEach(() => close());

describe('KeysService.activeIssuer', () => {
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

  it('reads again at once, not seconds later, when the key it holds was declared compromised by another process', async () => {
    const held = await keys.activeIssuer();
    const otherProcess = new KeysService(db, new AuditService(db, clock), config, clock);
    clock.advance(1_000);
    const rotated = await otherProcess.rotateIssuer('cli');
    await otherProcess.markCompromised(held.kid, 'cli');
    const compromised = await db.read((m) => keys.compromisedKids(m));
    expect((await keys.activeIssuer()).kid).toBe(held.kid);
    expect((await keys.issuerOutside(compromised)).kid).toBe(rotated.kid);
    expect((await keys.activeIssuer()).kid).toBe(rotated.kid);
  });
});

describe('KeysService key kinds', () => {
  it('makes an EdDSA issuing key on a new install and rotates to the kind asked for, under the same root', async () => {
    const [root, first] = await keys.listKeys();
    expect([root.alg, first.alg]).toEqual(['PS256', 'EdDSA']);
    for (const alg of ['ES256', 'PS256', 'EdDSA'] as const) {
      clock.advance(1_000);
      expect(await keys.rotateIssuer('cli', { alg })).toMatchObject({ kind: 'issuer', alg });
      expect(new X509Certificate((await keys.activeIssuer()).certificatePem).checkIssued(new X509Certificate((await keys.trust()).root))).toBe(true);
    }
    const rotations = await db.read((m) => m.query("SELECT data FROM audit_events WHERE action = 'keys.rotated' ORDER BY seq"));
    expect(rotations.map((row: { data: string }) => JSON.parse(row.data).alg)).toEqual(['ES256', 'PS256', 'EdDSA']);
  });
});

describe('KeysService.markCompromised', () => {
  it('marks a retired issuing key once, with one audit event, and refuses the root, the key in use and unknown kids', async () => {
    const [root, first] = await keys.listKeys();
    await expect(keys.markCompromised(first.kid, 'cli')).rejects.toThrow(/keys rotate/);
    clock.advance(1_000);
    const second = await keys.rotateIssuer('cli');
    clock.advance(1_000);
    expect(await keys.markCompromised(first.kid, 'cli')).toMatchObject({ kid: first.kid, compromisedAt: '2026-12-01T00:00:02.000Z' });
    clock.advance(1_000);
    expect((await keys.markCompromised(first.kid, 'cli')).compromisedAt).toBe('2026-12-01T00:00:02.000Z');
    expect([...(await db.read((m) => keys.compromisedKids(m)))]).toEqual([first.kid]);
    await expect(keys.markCompromised(root.kid, 'cli')).rejects.toThrow(/No issuing key/);
    await expect(keys.markCompromised('no-such-kid', 'cli')).rejects.toThrow(/No issuing key/);
    await expect(keys.markCompromised(second.kid, 'cli')).rejects.toThrow(/keys rotate/);
    const events = await db.read((m) => m.query("SELECT subject FROM audit_events WHERE action = 'keys.compromised'"));
    expect(events).toEqual([{ subject: `key:${first.kid}` }]);
  });
});
