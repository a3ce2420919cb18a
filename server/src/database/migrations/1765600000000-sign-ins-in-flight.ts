import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-ins counted against an account and not yet answered, apart from its run of wrong
 * passwords (a right password ends that run only when no other attempt was being checked beside
 * it), and when the last was counted (those an instance lost mid-check expire).
 */
export class SignInsInFlight1765600000000 implements MigrationInterface {
  name = 'SignInsInFlight1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD COLUMN sign_ins_in_flight integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE users ADD COLUMN sign_ins_counted_at varchar(30)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP COLUMN sign_ins_counted_at`);
    await queryRunner.query(`ALTER TABLE users DROP COLUMN sign_ins_in_flight`);
  }
}
