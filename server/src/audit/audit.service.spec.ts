import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../database/database.service';
import { ManualClock, openSpecDatabase, SPEC_DATABASES } from '../spec-support';
import { AuditService } from './audit.service';
import { canonicalJson } from './canonical';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: undefined } })).toBe('{"a":{"d":[2,{"y":null,"z":1}]},"b":1}');
  });
});

describe.each(SPEC_DATABASES)('AuditService on %s', (kind) => {
  let db: Database;
  let close: () => Promise<void>;
  let audit: AuditService;

  beforeEach(async () => {
    ({ db, close } = await openSpecDatabase({}, kind));
    audit = new AuditService(db, new ManualClock(new Date('2026-11-25T00:00:00Z')));
  });
  afterEach(() => close());

  const appendSome = async (n: number) => {
    for (let i = 0; i < n; i++) await audit.record({ action: 'thing.done', actor: 'cli', subject: `thing:${i}`, data: { i } });
  };

  it('chains the events of one append longer than an insert (several statements) and moves the head past them', async () => {
    await db.write((m) => audit.append(m, Array.from({ length: 450 }, (_, i) => ({ action: 'thing.done', actor: 'cli', subject: `thing:${i}` }))));
    await appendSome(1);
    expect((await audit.verifyLinks()).verdict).toEqual({ ok: true, events: 451 });
  });

  it('chains events and verifies them', async () => {
    expect((await audit.verifyLinks()).verdict).toEqual({ ok: true, events: 0 });
    await appendSome(3);
    await db.write((m) => audit.append(m, [1, 2].map((i) => ({ action: 'batch.item', actor: 'device', subject: `b:${i}` }))));
    expect((await audit.verifyLinks()).verdict).toEqual({ ok: true, events: 5 });
    const page = await audit.listEvents({ limit: 2, offset: 0 });
    expect(page.total).toBe(5);
    expect(page.items.map((e) => e.seq)).toEqual([5, 4]);
  });

  it('drops the events of a transaction that rolls back', async () => {
    await appendSome(1);
    await expect(
      db.write(async (m) => {
        await audit.append(m, [{ action: 'lost', actor: 'cli', subject: 'x' }]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await audit.verifyLinks()).verdict).toEqual({ ok: true, events: 1 });
  });

  it('detects an edited actor, a removed event and a forged re-hash of one event', async () => {
    await appendSome(4);
    await db.write((m) => m.query("UPDATE audit_events SET actor = 'someone-else' WHERE seq = 2"));
    expect((await audit.verifyLinks()).verdict).toMatchObject({ ok: false, brokenAt: 2 });
    await db.write((m) => m.query("UPDATE audit_events SET actor = 'cli' WHERE seq = 2"));
    await db.write((m) => m.query('DELETE FROM audit_events WHERE seq = 4'));
    expect((await audit.verifyLinks()).verdict).toMatchObject({ ok: false, brokenAt: 4 });
  });

  it('keeps one chain when appends run concurrently', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => audit.record({ action: 'race', actor: 'cli', subject: `r:${i}` })));
    expect((await audit.verifyLinks()).verdict).toEqual({ ok: true, events: 20 });
  });
});
