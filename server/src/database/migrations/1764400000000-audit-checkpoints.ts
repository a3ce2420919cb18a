import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Signed heads of the audit chain. Keyed by the head's sequence number, so instances that sign the same head keep one row. */
export class AuditCheckpoints1764400000000 implements MigrationInterface {
  name = 'AuditCheckpoints1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE audit_checkpoints (
      seq integer PRIMARY KEY,
      hash varchar(64) NOT NULL,
      signed_at varchar(30) NOT NULL,
      token text NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE audit_checkpoints');
  }
}
