import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config';
import { dataSourceOptions, MIGRATIONS } from '../data-source-options';
import { OverviewAggregates1766600000000 } from './1766600000000-overview-aggregates';

describe('migration OverviewAggregates on SQLite', () => {
  it('counts the devices bound before it per UTC day', async () => {
    const config = loadConfig({ SEATLOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'seatlock-migration-')) });
    const at = MIGRATIONS.indexOf(OverviewAggregates1766600000000);
    const before = await new DataSource({ ...dataSourceOptions(config), migrations: MIGRATIONS.slice(0, at) }).initialize();
    await before.query(`INSERT INTO customers (id, name, created_at) VALUES ('c1', 'Maker', '2026-11-01T00:00:00.000Z')`);
    await before.query(`INSERT INTO pools (id, kind, customer_id, product, seats, seats_used, code_hash, created_at) VALUES ('p1', 'perpetual', 'c1', 'face-detection', 50, 3, 'h1', '2026-11-01T00:00:00.000Z')`);
    for (const [id, activatedAt] of [
      ['d1', '2026-11-02T23:59:59.999Z'],
      ['d2', '2026-11-03T00:00:00.000Z'],
      ['d3', '2026-11-03T16:00:00.000Z'],
    ]) {
      await before.query(`INSERT INTO devices (id, pool_id, customer_id, platform, fingerprint, license_id, license, status, activated_at) VALUES (?, 'p1', 'c1', 'android', '{}', ?, '', 'active', ?)`, [id, `l-${id}`, activatedAt]);
    }
    await before.destroy();

    const after = await new DataSource({ ...dataSourceOptions(config), migrations: MIGRATIONS.slice(0, at + 1) }).initialize();
    try {
      expect(await after.query(`SELECT day, activations FROM activations_per_day ORDER BY day`)).toEqual([
        { day: '2026-11-02', activations: 1 },
        { day: '2026-11-03', activations: 2 },
      ]);
    } finally {
      await after.destroy();
    }
  });
});
