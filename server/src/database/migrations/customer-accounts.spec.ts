import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config';
import { dataSourceOptions, MIGRATIONS } from '../data-source-options';
import { CustomerAccounts1764600000000 } from './1764600000000-customer-accounts';

describe('migration CustomerAccounts on SQLite', () => {
  it('keeps the rows of a database made by the first schema, and lets a rejected trial be applied for again', async () => {
    const config = loadConfig({ SEATLOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'seatlock-migration-')) });
    const before = await new DataSource({ ...dataSourceOptions(config), migrations: [MIGRATIONS[0]] }).initialize();
    const at = '2026-11-01T00:00:00.000Z';
    await before.query(`INSERT INTO customers (id, name, created_at) VALUES ('c1', 'Old Customer', ?)`, [at]);
    await before.query(`INSERT INTO trials (id, customer_id, product, status, submitted_at, review_due_at) VALUES ('t1', 'c1', 'face-detection', 'rejected', ?, ?)`, [at, at]);
    await before.query(
      `INSERT INTO orders (id, customer_id, product, quantity, tier, unit_price, total, negotiated, status, submitted_at, review_due_at) VALUES ('o1', 'c1', 'face-detection', 50, 1, 68, 3400, 0, 'submitted', ?, ?)`,
      [at, at],
    );
    await before.destroy();

    // Up to this migration: later ones may replace the indexes it keeps.
    const after = await new DataSource({ ...dataSourceOptions(config), migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(CustomerAccounts1764600000000) + 1) }).initialize();
    try {
      expect(await after.query(`SELECT id, status FROM trials`)).toEqual([{ id: 't1', status: 'rejected' }]);
      expect(await after.query(`SELECT id, unit_price, total FROM orders`)).toEqual([{ id: 'o1', unit_price: 68, total: 3400 }]);
      const trial = (id: string) =>
        after.query(`INSERT INTO trials (id, customer_id, product, status, submitted_at, review_due_at) VALUES (?, 'c1', 'face-detection', 'submitted', ?, ?)`, [id, at, at]);
      await trial('t2');
      await expect(trial('t3')).rejects.toThrow(/UNIQUE/);
      await after.query(`INSERT INTO orders (id, customer_id, product, quantity, tier, negotiated, status, submitted_at, review_due_at) VALUES ('o2', 'c1', 'face-detection', 20000, 4, 1, 'submitted', ?, ?)`, [at, at]);
      expect(await after.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('orders', 'trials') ORDER BY name`)).toEqual(
        expect.arrayContaining([{ name: 'orders_customer' }, { name: 'orders_review' }, { name: 'trials_one_per_customer_product' }, { name: 'trials_review' }]),
      );
    } finally {
      await after.destroy();
    }
  });
});
