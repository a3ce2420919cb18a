import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { AuditService } from '../../audit/audit.service';
import { canonicalJson, GENESIS_HASH } from '../../audit/canonical';
import { loadConfig } from '../../config/config';
import { ManualClock } from '../../spec-support';
import { Database } from '../database.service';
import { dataSourceOptions, MIGRATIONS } from '../data-source-options';
import { KeyCompromiseAndAuditHashVersions1765400000000 } from './1765400000000-key-compromise-and-audit-hash-versions';

describe('migration KeyCompromiseAndAuditHashVersions on SQLite', () => {
  it('keeps the events written before it verifying under the old rule, and hashes new ones with their customer', async () => {
    const config = loadConfig({ SEATLOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'seatlock-migration-')) });
    const thisOne = MIGRATIONS.indexOf(KeyCompromiseAndAuditHashVersions1765400000000);
    const before = await new DataSource({ ...dataSourceOptions(config), migrations: MIGRATIONS.slice(0, thisOne) }).initialize();
    // Two events as the server wrote them before: SHA-256 over the fields without the customer.
    let prevHash = GENESIS_HASH;
    for (const seq of [1, 2]) {
      const fields = { seq, at: '2026-11-01T00:00:00.000Z', action: 'order.submitted', actor: 'cli', subject: `order:o${seq}`, data: '{}', prevHash };
      const hash = createHash('sha256').update(canonicalJson(fields)).digest('hex');
      await before.query('INSERT INTO audit_events (seq, at, action, actor, subject, data, prev_hash, hash, customer_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        ...Object.values(fields).slice(0, 6),
        prevHash,
        hash,
        'c1',
      ]);
      prevHash = hash;
    }
    await before.query('UPDATE audit_head SET seq = 2, hash = ? WHERE id = 1', [prevHash]);
    await before.destroy();

    const after = await new DataSource({ ...dataSourceOptions(config), migrations: MIGRATIONS.slice(0, thisOne + 1) }).initialize();
    const db = new Database(after);
    try {
      const audit = new AuditService(db, new ManualClock(new Date('2026-12-01T00:00:00Z')));
      expect((await audit.verifyLinks()).verdict).toEqual({ ok: true, events: 2 });
      await audit.record({ action: 'order.approved', actor: 'cli', subject: 'order:o2', customerId: 'c1' });
      expect((await audit.verifyLinks()).verdict).toEqual({ ok: true, events: 3 });
      expect(await after.query('SELECT seq, hash_version FROM audit_events ORDER BY seq')).toEqual([
        { seq: 1, hash_version: 1 },
        { seq: 2, hash_version: 1 },
        { seq: 3, hash_version: 2 },
      ]);

      // A new event's customer is in its hash; an old one's was not, and still is not.
      await after.query("UPDATE audit_events SET customer_id = 'c2' WHERE seq = 3");
      expect((await audit.verifyLinks()).verdict).toMatchObject({ ok: false, brokenAt: 3, reason: 'event 3 was altered' });
      await after.query("UPDATE audit_events SET customer_id = 'c1' WHERE seq = 3");
      await after.query("UPDATE audit_events SET customer_id = 'c2' WHERE seq = 1");
      expect((await audit.verifyLinks()).verdict).toEqual({ ok: true, events: 3 });

      // Nor can a new event be passed off as one hashed under the old rule, or under one that does not exist.
      await after.query('UPDATE audit_events SET hash_version = 1 WHERE seq = 3');
      expect((await audit.verifyLinks()).verdict).toMatchObject({ ok: false, brokenAt: 3, reason: 'event 3 was altered' });
      await after.query('UPDATE audit_events SET hash_version = 3 WHERE seq = 3');
      expect((await audit.verifyLinks()).verdict).toMatchObject({ ok: false, brokenAt: 3, reason: expect.stringContaining('no known hash rule') });
    } finally {
      await db.onApplicationShutdown();
      await after.destroy();
    }
  });
});
