import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The first schema. Plain SQL types that SQLite and PostgreSQL both accept, so one migration serves both. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE customers (
        id varchar(36) PRIMARY KEY,
        name varchar(200) NOT NULL,
        created_at varchar(30) NOT NULL)`,
      `CREATE TABLE pools (
        id varchar(36) PRIMARY KEY,
        kind varchar(16) NOT NULL,
        customer_id varchar(36) NOT NULL REFERENCES customers(id),
        product varchar(64) NOT NULL,
        modality varchar(32),
        seats integer NOT NULL CHECK (seats > 0),
        seats_used integer NOT NULL DEFAULT 0,
        code_hash varchar(64) NOT NULL UNIQUE,
        expires_at varchar(30),
        created_at varchar(30) NOT NULL,
        CHECK (seats_used >= 0 AND seats_used <= seats))`,
      `CREATE TABLE orders (
        id varchar(36) PRIMARY KEY,
        customer_id varchar(36) NOT NULL REFERENCES customers(id),
        product varchar(64) NOT NULL,
        modality varchar(32),
        quantity integer NOT NULL,
        tier integer NOT NULL,
        unit_price integer NOT NULL,
        total bigint NOT NULL,
        negotiated integer NOT NULL,
        status varchar(16) NOT NULL,
        submitted_at varchar(30) NOT NULL,
        review_due_at varchar(30) NOT NULL,
        decided_at varchar(30),
        pool_id varchar(36) REFERENCES pools(id))`,
      `CREATE INDEX orders_review ON orders (status, review_due_at)`,
      `CREATE INDEX orders_customer ON orders (customer_id)`,
      `CREATE TABLE trials (
        id varchar(36) PRIMARY KEY,
        customer_id varchar(36) NOT NULL REFERENCES customers(id),
        product varchar(64) NOT NULL,
        modality varchar(32),
        status varchar(16) NOT NULL,
        submitted_at varchar(30) NOT NULL,
        review_due_at varchar(30) NOT NULL,
        decided_at varchar(30),
        pool_id varchar(36) REFERENCES pools(id),
        CONSTRAINT trials_one_per_customer_product UNIQUE (customer_id, product))`,
      `CREATE INDEX trials_review ON trials (status, review_due_at)`,
      `CREATE TABLE devices (
        id varchar(36) PRIMARY KEY,
        pool_id varchar(36) NOT NULL REFERENCES pools(id),
        customer_id varchar(36) NOT NULL REFERENCES customers(id),
        platform varchar(32) NOT NULL,
        fingerprint text NOT NULL,
        license_id varchar(36) NOT NULL UNIQUE,
        license text NOT NULL,
        status varchar(16) NOT NULL,
        activated_at varchar(30) NOT NULL,
        revoked_at varchar(30))`,
      `CREATE INDEX devices_pool ON devices (pool_id)`,
      `CREATE INDEX devices_customer ON devices (customer_id)`,
      `CREATE TABLE device_components (
        pool_id varchar(36) NOT NULL REFERENCES pools(id),
        component varchar(64) NOT NULL,
        hash varchar(32) NOT NULL,
        device_id varchar(36) NOT NULL REFERENCES devices(id),
        PRIMARY KEY (pool_id, component, hash))`,
      `CREATE INDEX device_components_device ON device_components (device_id)`,
      `CREATE TABLE signing_keys (
        kid varchar(64) PRIMARY KEY,
        kind varchar(16) NOT NULL,
        certificate text NOT NULL,
        private_key text NOT NULL,
        created_at varchar(30) NOT NULL)`,
      `CREATE TABLE api_tokens (
        id varchar(36) PRIMARY KEY,
        role varchar(16) NOT NULL,
        name varchar(200) NOT NULL,
        token_hash varchar(64) NOT NULL UNIQUE,
        created_at varchar(30) NOT NULL)`,
      `CREATE TABLE audit_events (
        seq integer PRIMARY KEY,
        at varchar(30) NOT NULL,
        action varchar(64) NOT NULL,
        actor varchar(100) NOT NULL,
        subject varchar(100) NOT NULL,
        data text NOT NULL,
        prev_hash varchar(64) NOT NULL,
        hash varchar(64) NOT NULL)`,
      `CREATE TABLE audit_head (
        id integer PRIMARY KEY,
        seq integer NOT NULL,
        hash varchar(64) NOT NULL)`,
      `INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}')`,
    ];
    for (const sql of statements) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['audit_head', 'audit_events', 'api_tokens', 'signing_keys', 'device_components', 'devices', 'trials', 'orders', 'pools', 'customers']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
