import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders count money in fen (1/100 CNY) so a negotiated 39.50 CNY is exact: the whole-CNY amounts
 * are multiplied by 100 under column names that say the unit. Orders and trials keep the reason
 * of their decision, which the customer sees (a rejection needs one).
 */
export class DecisionReasonsAndFen1766200000000 implements MigrationInterface {
  name = 'DecisionReasonsAndFen1766200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE orders RENAME COLUMN unit_price TO unit_price_fen`);
    await queryRunner.query(`ALTER TABLE orders RENAME COLUMN total TO total_fen`);
    await queryRunner.query(`UPDATE orders SET unit_price_fen = unit_price_fen * 100, total_fen = total_fen * 100`);
    await queryRunner.query(`ALTER TABLE orders ADD COLUMN decision_reason varchar(500)`);
    await queryRunner.query(`ALTER TABLE trials ADD COLUMN decision_reason varchar(500)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE trials DROP COLUMN decision_reason`);
    await queryRunner.query(`ALTER TABLE orders DROP COLUMN decision_reason`);
    await queryRunner.query(`UPDATE orders SET unit_price_fen = unit_price_fen / 100, total_fen = total_fen / 100`);
    await queryRunner.query(`ALTER TABLE orders RENAME COLUMN total_fen TO total`);
    await queryRunner.query(`ALTER TABLE orders RENAME COLUMN unit_price_fen TO unit_price`);
  }
}
