import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A person's display name, optional: people invited before it have none. */
export class UserNames1765500000000 implements MigrationInterface {
  name = 'UserNames1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD COLUMN name varchar(200)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP COLUMN name`);
  }
}
