import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config';
import { dataSourceOptions, MIGRATIONS } from '../data-source-options';
import { UserNames1765500000000 } from './1765500000000-user-names';

describe('migration UserNames on SQLite', () => {
  it('keeps the people invited before it, without a name, and takes a name for new ones', async () => {
    const config = loadConfig({ SEATLOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'seatlock-migration-')) });
    const before = await new DataSource({ ...dataSourceOptions(config), migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(UserNames1765500000000)) }).initialize();
    const at = '2026-11-01T00:00:00.000Z';
    await before.query(`INSERT INTO users (id, email, role, status, created_at) VALUES ('u1', 'old@example.com', 'admin', 'active', ?)`, [at]);
    await before.destroy();

    const after = await new DataSource({ ...dataSourceOptions(config), migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(UserNames1765500000000) + 1) }).initialize();
    try {
      await after.query(`INSERT INTO users (id, email, name, role, status, created_at) VALUES ('u2', 'new@example.com', 'Ada Lovelace', 'auditor', 'invited', ?)`, [at]);
      expect(await after.query(`SELECT id, email, name FROM users ORDER BY id`)).toEqual([
        { id: 'u1', email: 'old@example.com', name: null },
        { id: 'u2', email: 'new@example.com', name: 'Ada Lovelace' },
      ]);
    } finally {
      await after.destroy();
    }
  });
});
