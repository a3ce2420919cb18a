import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config';
import { dataSourceOptions, MIGRATIONS } from '../data-source-options';
import { DecisionReasonsAndFen1766200000000 } from './1766200000000-decision-reasons-and-fen';

describe('migration DecisionReasonsAndFen on SQLite', () => {
  it('turns the whole-CNY amounts of existing orders into fen, keeps an unpriced order unpriced, and stores decision reasons', async () => {
    const config = loadConfig({ SEATLOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'seatlock-migration-')) });
    const at = MIGRATIONS.indexOf(DecisionReasonsAndFen1766200000000);
    const before = await new DataSource({ ...dataSourceOptions(config), migrations: MIGRATIONS.slice(0, at) }).initialize();
    const time = '2026-11-01T00:00:00.000Z';
    await before.query(`INSERT INTO customers (id, name, created_at) VALUES ('c1', 'Old Customer', ?)`, [time]);
    const order = `INSERT INTO orders (id, customer_id, product, quantity, tier, unit_price, total, negotiated, status, submitted_at, submitted_by, submitted_by_person, review_due_at) VALUES (?, 'c1', 'face-detection', ?, ?, ?, ?, ?, 'submitted', ?, 'cli', 'cli', ?)`;
    await before.query(order, ['o1', 50, 1, 68, 3400, 0, time, time]);
    await before.query(order, ['o2', 20_000, 4, null, null, 1, time, time]);
    await before.destroy();

    const after = await new DataSource({ ...dataSourceOptions(config), migrations: MIGRATIONS.slice(0, at + 1) }).initialize();
    try {
      expect(await after.query(`SELECT id, unit_price_fen, total_fen, decision_reason FROM orders ORDER BY id`)).toEqual([
        { id: 'o1', unit_price_fen: 6800, total_fen: 340_000, decision_reason: null },
        { id: 'o2', unit_price_fen: null, total_fen: null, decision_reason: null },
      ]);
      await after.query(`UPDATE trials SET decision_reason = 'x' WHERE id = 'none'`);
    } finally {
      await after.destroy();
    }
  });
});
