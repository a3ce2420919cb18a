import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An issuing key can be marked compromised (every license under it is refused by the next
 * revocation list), and each audit event records the rule its hash was made under: the events
 * already written keep verifying under version 1 (without their customer), new ones are written
 * under version 2 (every column).
 */
export class KeyCompromiseAndAuditHashVersions1765400000000 implements MigrationInterface {
  name = 'KeyCompromiseAndAuditHashVersions1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE signing_keys ADD COLUMN compromised_at varchar(30)`);
    await queryRunner.query(`ALTER TABLE audit_events ADD COLUMN hash_version integer NOT NULL DEFAULT 1`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE audit_events DROP COLUMN hash_version`);
    await queryRunner.query(`ALTER TABLE signing_keys DROP COLUMN compromised_at`);
  }
}
