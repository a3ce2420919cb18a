import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An offline root keeps its private key out of the database (`signing_keys.private_key` NULL),
 * and each exported revocation list takes the next serial from `revocation_lists`.
 */
export class OfflineRootAndRevocationLists1764200000000 implements MigrationInterface {
  name = 'OfflineRootAndRevocationLists1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query('ALTER TABLE signing_keys ALTER COLUMN private_key DROP NOT NULL');
    } else {
      // SQLite cannot drop a NOT NULL constraint: the table is rebuilt (nothing references it).
      await queryRunner.query(`CREATE TABLE signing_keys_new (
        kid varchar(64) PRIMARY KEY,
        kind varchar(16) NOT NULL,
        certificate text NOT NULL,
        private_key text,
        created_at varchar(30) NOT NULL)`);
      await queryRunner.query('INSERT INTO signing_keys_new (kid, kind, certificate, private_key, created_at) SELECT kid, kind, certificate, private_key, created_at FROM signing_keys');
      await queryRunner.query('DROP TABLE signing_keys');
      await queryRunner.query('ALTER TABLE signing_keys_new RENAME TO signing_keys');
    }
    await queryRunner.query(`CREATE TABLE revocation_lists (
      serial integer PRIMARY KEY,
      issued_at varchar(30) NOT NULL,
      devices integer NOT NULL,
      issuers integer NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE revocation_lists');
    if (queryRunner.connection.options.type === 'postgres') {
      await queryRunner.query('ALTER TABLE signing_keys ALTER COLUMN private_key SET NOT NULL');
    } else {
      await queryRunner.query(`CREATE TABLE signing_keys_old (
        kid varchar(64) PRIMARY KEY,
        kind varchar(16) NOT NULL,
        certificate text NOT NULL,
        private_key text NOT NULL,
        created_at varchar(30) NOT NULL)`);
      await queryRunner.query('INSERT INTO signing_keys_old SELECT kid, kind, certificate, private_key, created_at FROM signing_keys');
      await queryRunner.query('DROP TABLE signing_keys');
      await queryRunner.query('ALTER TABLE signing_keys_old RENAME TO signing_keys');
    }
  }
}
