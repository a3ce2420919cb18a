import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for lists paged by cursor at any size: each list's filter columns, then its order
 * (time, id), so a page is one index range whatever its depth (these replace the indexes on the
 * filter columns alone, which left the page to be sorted); the revoked devices (few) in a
 * partial index; and the component hashes alone, to find a device by a hardware value in any pool.
 */
export class KeysetPagingIndexes1765100000000 implements MigrationInterface {
  name = 'KeysetPagingIndexes1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [
      `DROP INDEX devices_pool`,
      `DROP INDEX devices_customer`,
      `DROP INDEX orders_customer`,
      // The overdue filter reads the oldest submitted first, in the list's order (status, submitted_at, id).
      `DROP INDEX orders_review`,
      `DROP INDEX trials_review`,
      `CREATE INDEX devices_activated ON devices (activated_at, id)`,
      `CREATE INDEX devices_pool ON devices (pool_id, activated_at, id)`,
      `CREATE INDEX devices_customer ON devices (customer_id, activated_at, id)`,
      `CREATE INDEX devices_revoked ON devices (activated_at, id) WHERE status = 'revoked'`,
      `CREATE INDEX device_components_hash ON device_components (hash)`,
      `CREATE INDEX pools_created ON pools (created_at, id)`,
      `CREATE INDEX pools_customer ON pools (customer_id, created_at, id)`,
      `CREATE INDEX orders_submitted ON orders (submitted_at, id)`,
      `CREATE INDEX orders_customer ON orders (customer_id, submitted_at, id)`,
      `CREATE INDEX orders_status ON orders (status, submitted_at, id)`,
      `CREATE INDEX trials_submitted ON trials (submitted_at, id)`,
      `CREATE INDEX trials_customer ON trials (customer_id, submitted_at, id)`,
      `CREATE INDEX trials_status ON trials (status, submitted_at, id)`,
      `CREATE INDEX customers_created ON customers (created_at, id)`,
    ]) {
      await queryRunner.query(sql);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of [
      'customers_created',
      'trials_status',
      'trials_customer',
      'trials_submitted',
      'orders_status',
      'orders_customer',
      'orders_submitted',
      'pools_customer',
      'pools_created',
      'device_components_hash',
      'devices_revoked',
      'devices_customer',
      'devices_pool',
      'devices_activated',
    ]) {
      await queryRunner.query(`DROP INDEX ${index}`);
    }
    for (const sql of [
      `CREATE INDEX orders_review ON orders (status, review_due_at)`,
      `CREATE INDEX trials_review ON trials (status, review_due_at)`,
      `CREATE INDEX devices_pool ON devices (pool_id)`, `CREATE INDEX devices_customer ON devices (customer_id)`, `CREATE INDEX orders_customer ON orders (customer_id)`,
    ]) {
      await queryRunner.query(sql);
    }
  }
}
