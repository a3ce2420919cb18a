import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config';
import { dataSourceOptions, MIGRATIONS } from '../data-source-options';
import { SignInsInFlight1765600000000 } from './1765600000000-sign-ins-in-flight';

describe('migration SignInsInFlight on SQLite', () => {
  it("keeps each account's run of wrong passwords, starts it with none in flight, and takes the columns back when undone", async () => {
    const config = loadConfig({ SEATLOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'seatlock-migration-')) });
    // Up to this migration, so undoing the last one undoes this one whatever follows it in the list.
    const at = MIGRATIONS.indexOf(SignInsInFlight1765600000000);
    const before = await new DataSource({ ...dataSourceOptions(config), migrations: MIGRATIONS.slice(0, at) }).initialize();
    await before.query(`INSERT INTO users (id, email, role, status, failed_sign_ins, created_at) VALUES ('u1', 'old@example.com', 'admin', 'active', 3, '2026-11-01T00:00:00.000Z')`);
    await before.destroy();

    const after = await new DataSource({ ...dataSourceOptions(config), migrations: MIGRATIONS.slice(0, at + 1) }).initialize();
    try {
      expect(await after.query(`SELECT failed_sign_ins, sign_ins_in_flight, sign_ins_counted_at FROM users`)).toEqual([{ failed_sign_ins: 3, sign_ins_in_flight: 0, sign_ins_counted_at: null }]);
      await after.undoLastMigration();
      expect(await after.query(`SELECT failed_sign_ins FROM users`)).toEqual([{ failed_sign_ins: 3 }]);
      const columns = (await after.query(`PRAGMA table_info(users)`)).map((c: { name: string }) => c.name);
      expect(columns).not.toContain('sign_ins_in_flight');
      expect(columns).not.toContain('sign_ins_counted_at');
    } finally {
      await after.destroy();
    }
  });
});
