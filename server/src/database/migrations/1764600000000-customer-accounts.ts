import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customers as principals and people with accounts: tokens scoped to a customer, users and their
 * sessions, the customer an audit event concerns, a rejected trial that no longer counts as the
 * customer's one trial, and orders submitted above the list-price limit before their price is
 * negotiated.
 */
export class CustomerAccounts1764600000000 implements MigrationInterface {
  name = 'CustomerAccounts1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const sqlite = queryRunner.connection.options.type !== 'postgres';
    const statements = [
      `ALTER TABLE api_tokens ADD COLUMN customer_id varchar(36) REFERENCES customers(id)`,
      `CREATE TABLE users (
        id varchar(36) PRIMARY KEY,
        email varchar(254) NOT NULL UNIQUE,
        role varchar(16) NOT NULL,
        customer_id varchar(36) REFERENCES customers(id),
        status varchar(16) NOT NULL,
        password_hash varchar(200),
        invite_hash varchar(64) UNIQUE,
        invite_expires_at varchar(30),
        failed_sign_ins integer NOT NULL DEFAULT 0,
        locked_until varchar(30),
        created_at varchar(30) NOT NULL)`,
      `CREATE TABLE sessions (
        id varchar(36) PRIMARY KEY,
        token_hash varchar(64) NOT NULL UNIQUE,
        user_id varchar(36) NOT NULL REFERENCES users(id),
        created_at varchar(30) NOT NULL,
        last_seen_at varchar(30) NOT NULL,
        expires_at varchar(30) NOT NULL)`,
      `CREATE INDEX sessions_user ON sessions (user_id)`,
      `ALTER TABLE audit_events ADD COLUMN customer_id varchar(36)`,
      `CREATE INDEX audit_events_customer ON audit_events (customer_id, seq)`,
    ];
    for (const sql of statements) await queryRunner.query(sql);

    if (sqlite) {
      // SQLite can neither drop a table constraint nor a NOT NULL: the two tables are rebuilt
      // from their own definition (whatever columns earlier migrations gave them), minus those.
      await rebuildSqliteTable(queryRunner, 'trials', (sql) => sql.replace(/,\s*CONSTRAINT trials_one_per_customer_product UNIQUE \(customer_id, product\)/, ''));
      await rebuildSqliteTable(queryRunner, 'orders', (sql) => sql.replace(/unit_price integer NOT NULL/, 'unit_price integer').replace(/total bigint NOT NULL/, 'total bigint'));
    } else {
      await queryRunner.query(`ALTER TABLE trials DROP CONSTRAINT trials_one_per_customer_product`);
      await queryRunner.query(`ALTER TABLE orders ALTER COLUMN unit_price DROP NOT NULL`);
      await queryRunner.query(`ALTER TABLE orders ALTER COLUMN total DROP NOT NULL`);
    }
    // One trial per customer and product, unless it was rejected.
    await queryRunner.query(`CREATE UNIQUE INDEX trials_one_per_customer_product ON trials (customer_id, product) WHERE status <> 'rejected'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [
      `DROP INDEX trials_one_per_customer_product`,
      `DROP INDEX audit_events_customer`,
      `ALTER TABLE audit_events DROP COLUMN customer_id`,
      `DROP TABLE sessions`,
      `DROP TABLE users`,
      `ALTER TABLE api_tokens DROP COLUMN customer_id`,
    ]) {
      await queryRunner.query(sql);
    }
  }
}

/** Recreates a SQLite table from its stored CREATE statement as `change` rewrites it, keeping its rows and indexes. */
async function rebuildSqliteTable(queryRunner: QueryRunner, table: string, change: (createSql: string) => string): Promise<void> {
  const [{ sql }] = (await queryRunner.query(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [table])) as { sql: string }[];
  const changed = change(sql);
  if (changed === sql) throw new Error(`Migration: the definition of ${table} is not the one expected.`);
  const indexes = (await queryRunner.query(`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`, [table])) as { sql: string }[];
  const staging = `${table}_rebuilt`;
  await queryRunner.query(changed.replace(new RegExp(`^CREATE TABLE "?${table}"?`), `CREATE TABLE ${staging}`));
  await queryRunner.query(`INSERT INTO ${staging} SELECT * FROM ${table}`);
  await queryRunner.query(`DROP TABLE ${table}`);
  await queryRunner.query(`ALTER TABLE ${staging} RENAME TO ${table}`);
  for (const index of indexes) await queryRunner.query(index.sql);
}
