import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The language each person's e-mails are written in (en or zh-CN). */
export class UserLanguages1766300000001 implements MigrationInterface {
  name = 'UserLanguages1766300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD COLUMN language varchar(8) NOT NULL DEFAULT 'en'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP COLUMN language`);
  }
}
