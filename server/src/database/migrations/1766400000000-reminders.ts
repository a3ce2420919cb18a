import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which time-based reminder each application and trial pool has had, so each is sent once: an
 * application's review (`none`, `due_soon`, `overdue`) and a trial pool's end (`none`, `ending`,
 * `ended`). The indexes serve the periodic scan: each holds only rows with a reminder still to come.
 */
export class Reminders1766400000000 implements MigrationInterface {
  name = 'Reminders1766400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE orders ADD COLUMN review_reminder varchar(16) NOT NULL DEFAULT 'none'`);
    await queryRunner.query(`ALTER TABLE trials ADD COLUMN review_reminder varchar(16) NOT NULL DEFAULT 'none'`);
    await queryRunner.query(`ALTER TABLE pools ADD COLUMN expiry_reminder varchar(16) NOT NULL DEFAULT 'none'`);
    // Trials that ended before reminders existed are not announced now, months late.
    await queryRunner.query(`UPDATE pools SET expiry_reminder = 'ended' WHERE kind = 'trial' AND expires_at < '${new Date().toISOString()}'`);
    // Partial: only what may still be reminded, however many applications were decided and trials ended.
    await queryRunner.query(`CREATE INDEX orders_review_reminder ON orders (status, review_due_at) WHERE status = 'submitted' AND review_reminder <> 'overdue'`);
    await queryRunner.query(`CREATE INDEX trials_review_reminder ON trials (status, review_due_at) WHERE status = 'submitted' AND review_reminder <> 'overdue'`);
    await queryRunner.query(`CREATE INDEX pools_expiry_reminder ON pools (expires_at) WHERE kind = 'trial' AND expiry_reminder <> 'ended'`);
    await queryRunner.query(`CREATE INDEX trials_pool ON trials (pool_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of ['trials_pool', 'pools_expiry_reminder', 'trials_review_reminder', 'orders_review_reminder']) await queryRunner.query(`DROP INDEX ${index}`);
    await queryRunner.query(`ALTER TABLE pools DROP COLUMN expiry_reminder`);
    await queryRunner.query(`ALTER TABLE trials DROP COLUMN review_reminder`);
    await queryRunner.query(`ALTER TABLE orders DROP COLUMN review_reminder`);
  }
}
