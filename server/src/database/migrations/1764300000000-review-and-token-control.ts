import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who submitted each application (four-eyes review), revocable tokens, a salted hash for the
 * token a person chose, and the failure counts the rate limiter shares between instances.
 */
export class ReviewAndTokenControl1764300000000 implements MigrationInterface {
  name = 'ReviewAndTokenControl1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      // Applications submitted before this migration have no known submitter.
      `ALTER TABLE orders ADD COLUMN submitted_by varchar(100) NOT NULL DEFAULT 'unknown'`,
      `ALTER TABLE trials ADD COLUMN submitted_by varchar(100) NOT NULL DEFAULT 'unknown'`,
      `ALTER TABLE api_tokens ADD COLUMN revoked_at varchar(30)`,
      `ALTER TABLE api_tokens ADD COLUMN token_salt varchar(64)`,
      // One live SEATLOCK_ADMIN_TOKEN (the only salted kind) even when instances start together.
      `CREATE UNIQUE INDEX api_tokens_one_chosen ON api_tokens (role) WHERE token_salt IS NOT NULL AND revoked_at IS NULL`,
      `CREATE TABLE rate_limit_windows (
        client varchar(100) PRIMARY KEY,
        started_at bigint NOT NULL,
        failures integer NOT NULL)`,
      `CREATE INDEX rate_limit_windows_started ON rate_limit_windows (started_at)`,
    ];
    for (const sql of statements) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [
      'DROP TABLE rate_limit_windows',
      'DROP INDEX api_tokens_one_chosen',
      'ALTER TABLE api_tokens DROP COLUMN token_salt',
      'ALTER TABLE api_tokens DROP COLUMN revoked_at',
      'ALTER TABLE trials DROP COLUMN submitted_by',
      'ALTER TABLE orders DROP COLUMN submitted_by',
    ]) {
      await queryRunner.query(sql);
    }
  }
}
