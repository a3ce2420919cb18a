import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config';
import { dataSourceOptions, MIGRATIONS } from '../data-source-options';
import { KeysetPagingIndexes1765100000000 } from './1765100000000-keyset-paging-indexes';

describe('migration KeysetPagingIndexes on SQLite', () => {
  it('replaces the filter-only indexes with filter-and-order ones, and gives them back when undone', async () => {
    const config = loadConfig({ SEATLOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'seatlock-migration-')) });
    // Up to this migration, so undoing the last one undoes this one whatever follows it in the list.
    const dataSource = await new DataSource({ ...dataSourceOptions(config), migrations: MIGRATIONS.slice(0, MIGRATIONS.indexOf(KeysetPagingIndexes1765100000000) + 1) }).initialize();
    const indexes = async (table: string) =>
      Object.fromEntries(((await dataSource.query(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`, [table])) as { name: string; sql: string }[]).map((i) => [i.name, i.sql]));
    try {
      expect(await indexes('devices')).toMatchObject({
        devices_activated: expect.stringContaining('(activated_at, id)'),
        devices_pool: expect.stringContaining('(pool_id, activated_at, id)'),
        devices_customer: expect.stringContaining('(customer_id, activated_at, id)'),
        devices_revoked: expect.stringContaining("WHERE status = 'revoked'"),
      });
      expect(Object.keys(await indexes('orders'))).not.toContain('orders_review');

      await dataSource.undoLastMigration();
      expect(await indexes('devices')).toEqual({ devices_pool: expect.stringContaining('(pool_id)'), devices_customer: expect.stringContaining('(customer_id)') });
      expect(Object.keys(await indexes('orders')).sort()).toEqual(['orders_customer', 'orders_review']);
      expect(Object.keys(await indexes('device_components'))).toEqual(['device_components_device']);
    } finally {
      await dataSource.destroy();
    }
  });
});
