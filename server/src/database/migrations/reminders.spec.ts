import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config';
import { dataSourceOptions, MIGRATIONS } from '../data-source-options';
import { Reminders1766400000000 } from './1766400000000-reminders';

describe('migration Reminders on SQLite', () => {
  it('marks trials that ended before it as told, so they are not announced late; the others wait for their reminders', async () => {
    const config = loadConfig({ SEATLOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'seatlock-migration-')) });
    const through = (migration: number) => new DataSource({ ...dataSourceOptions(config), migrations: MIGRATIONS.slice(0, migration) }).initialize();
    const before = await through(MIGRATIONS.indexOf(Reminders1766400000000));
    const day = 86_400_000;
    const at = (offset: number) => new Date(Date.now() + offset).toISOString();
    await before.query(`INSERT INTO customers (id, name, created_at) VALUES ('c', 'Customer', ?)`, [at(-90 * day)]);
    const pool = `INSERT INTO pools (id, kind, customer_id, product, seats, code_hash, expires_at, created_at) VALUES (?, ?, 'c', 'face-detection', 3, ?, ?, ?)`;
    await before.query(pool, ['ended', 'trial', 'h1', at(-day), at(-61 * day)]);
    await before.query(pool, ['running', 'trial', 'h2', at(3 * day), at(-57 * day)]);
    await before.query(pool, ['bought', 'perpetual', 'h3', null, at(-90 * day)]);
    await before.destroy();

    const after = await through(MIGRATIONS.indexOf(Reminders1766400000000) + 1);
    try {
      expect(await after.query(`SELECT id, expiry_reminder FROM pools ORDER BY id`)).toEqual([
        { id: 'bought', expiry_reminder: 'none' },
        { id: 'ended', expiry_reminder: 'ended' },
        { id: 'running', expiry_reminder: 'none' },
      ]);
    } finally {
      await after.destroy();
    }
  });
});
