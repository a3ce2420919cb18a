import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the console's overview reads at a million devices without walking them: new devices per
 * UTC day across customers as a counter the activation transaction keeps (filled here from the
 * devices already bound), pools by how full they are (per mille of their seats, the overview's
 * order; with their end, so counting them reads the index alone), and trial pools by their end.
 */
export class OverviewAggregates1766600000000 implements MigrationInterface {
  name = 'OverviewAggregates1766600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [
      `CREATE TABLE activations_per_day (
        day varchar(10) PRIMARY KEY,
        activations integer NOT NULL CHECK (activations >= 0))`,
      `INSERT INTO activations_per_day (day, activations) SELECT substr(activated_at, 1, 10), COUNT(*) FROM devices GROUP BY substr(activated_at, 1, 10)`,
      `CREATE INDEX pools_fill ON pools ((seats_used * 1000 / seats), id, expires_at)`,
      `CREATE INDEX pools_trial_end ON pools (expires_at, id) WHERE kind = 'trial'`,
    ]) {
      await queryRunner.query(sql);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of ['DROP INDEX pools_trial_end', 'DROP INDEX pools_fill', 'DROP TABLE activations_per_day']) await queryRunner.query(sql);
  }
}
