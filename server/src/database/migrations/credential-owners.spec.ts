import { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config';
import { dataSourceOptions, MIGRATIONS } from '../data-source-options';
import { freshDatabase, SPEC_DATABASES } from '../../spec-support';
import { CredentialOwners1765300000000 } from './1765300000000-credential-owners';

describe.each(SPEC_DATABASES)('migration CredentialOwners on %s', (kind) => {
  it('gives existing tokens their creator from the audit log and the person behind it, and orders and trials their submitting person', async () => {
    const database = await freshDatabase(kind);
    const config = loadConfig(database.env);
    const upTo = MIGRATIONS.indexOf(CredentialOwners1765300000000);
    const open = async (count: number) => {
      const dataSource = await new DataSource({ ...dataSourceOptions(config), migrations: MIGRATIONS.slice(0, count) }).initialize();
      if (kind === 'postgres') await dataSource.runMigrations();
      return dataSource;
    };
    const before = await open(upTo);
    // `?` placeholders, as PostgreSQL numbers them.
    const query = (sql: string, params: unknown[] = []) => {
      let n = 0;
      return before.query(kind === 'postgres' ? sql.replace(/\?/g, () => `$${++n}`) : sql, params);
    };
    const at = '2026-11-01T00:00:00.000Z';
    const created: [string, string | null][] = [
      ['chosen', 'system'],
      ['by-user', 'user:u1'],
      ['by-user-token', 'token:by-user'],
      ['by-cli', 'cli'],
      ['by-chosen', 'token:chosen'],
      ['unrecorded', null],
    ];
    for (const [seq, [id, actor]] of created.entries()) {
      await query(`INSERT INTO api_tokens (id, role, name, token_hash, created_at) VALUES (?, 'admin', ?, ?, ?)`, [id, id, id.padEnd(64, '0'), at]);
      if (actor) await query(`INSERT INTO audit_events (seq, at, action, actor, subject, data, prev_hash, hash) VALUES (?, ?, 'token.created', ?, ?, '{}', '', '')`, [seq + 1, at, actor, `token:${id}`]);
    }
    await query(`INSERT INTO customers (id, name, created_at) VALUES ('c1', 'Old Customer', ?)`, [at]);
    const order = (id: string, submittedBy: string, unitPrice: number | null) =>
      query(
        `INSERT INTO orders (id, customer_id, product, quantity, tier, unit_price, total, negotiated, status, submitted_at, submitted_by, review_due_at) VALUES (?, 'c1', 'face-detection', 20000, 4, ?, ?, 1, 'submitted', ?, ?, ?)`,
        [id, unitPrice, unitPrice === null ? null : unitPrice * 20000, at, submittedBy, at],
      );
    await order('o-token', 'token:by-user-token', 30);
    await order('o-cli', 'cli', null);
    await query(`INSERT INTO trials (id, customer_id, product, status, submitted_at, submitted_by, review_due_at) VALUES ('t1', 'c1', 'face-detection', 'submitted', ?, 'token:by-chosen', ?)`, [at, at]);
    await before.destroy();

    const after = await open(upTo + 1);
    try {
      expect(await after.query(`SELECT id, created_by, person FROM api_tokens ORDER BY COALESCE(created_by, ''), id`)).toEqual([
        { id: 'unrecorded', created_by: null, person: 'token:unrecorded' },
        { id: 'by-cli', created_by: 'cli', person: 'cli' },
        { id: 'chosen', created_by: 'system', person: 'token:chosen' },
        { id: 'by-user-token', created_by: 'token:by-user', person: 'user:u1' },
        { id: 'by-chosen', created_by: 'token:chosen', person: 'token:chosen' },
        { id: 'by-user', created_by: 'user:u1', person: 'user:u1' },
      ]);
      expect(await after.query(`SELECT id, submitted_by_person, priced_by FROM orders ORDER BY id`)).toEqual([
        { id: 'o-cli', submitted_by_person: 'cli', priced_by: null },
        { id: 'o-token', submitted_by_person: 'user:u1', priced_by: 'user:u1' },
      ]);
      expect(await after.query(`SELECT submitted_by_person FROM trials`)).toEqual([{ submitted_by_person: 'token:chosen' }]);

      await after.undoLastMigration();
      const columns =
        kind === 'postgres'
          ? await after.query(`SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'api_tokens'`)
          : await after.query(`SELECT name FROM pragma_table_info('api_tokens')`);
      expect(columns.map((c: { name: string }) => c.name)).not.toContain('person');
    } finally {
      await after.destroy();
      await database.drop();
    }
  });
});
