import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox (events written with the change that caused them, and one delivery per recipient,
 * delivered after commit) and the webhook endpoints admins configure.
 */
export class OutboxAndWebhooks1766300000000 implements MigrationInterface {
  name = 'OutboxAndWebhooks1766300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const serial = queryRunner.connection.options.type === 'postgres' ? 'bigserial PRIMARY KEY' : 'integer PRIMARY KEY AUTOINCREMENT';
    await queryRunner.query(
      `CREATE TABLE outbox_events (
        id ${serial},
        type varchar(60) NOT NULL,
        customer_id varchar(36),
        batch_key varchar(120),
        data text NOT NULL,
        at varchar(30) NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE outbox_deliveries (
        id ${serial},
        event_id bigint NOT NULL REFERENCES outbox_events(id),
        recipient varchar(120) NOT NULL,
        status varchar(12) NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at varchar(30) NOT NULL,
        leased_until varchar(30),
        created_at varchar(30) NOT NULL,
        finished_at varchar(30),
        merged_into bigint,
        answer_status integer,
        answer_body text,
        error varchar(500))`,
    );
    await queryRunner.query(`CREATE INDEX outbox_deliveries_due ON outbox_deliveries (status, next_attempt_at, id)`);
    await queryRunner.query(`CREATE INDEX outbox_deliveries_recipient ON outbox_deliveries (recipient, status, id)`);
    await queryRunner.query(`CREATE INDEX outbox_deliveries_merged ON outbox_deliveries (merged_into)`);
    await queryRunner.query(
      `CREATE TABLE webhook_endpoints (
        id varchar(36) PRIMARY KEY,
        url varchar(2000) NOT NULL,
        event_types text NOT NULL,
        secret varchar(100) NOT NULL,
        previous_secret varchar(100),
        previous_secret_until varchar(30),
        status varchar(12) NOT NULL,
        failing_since varchar(30),
        created_at varchar(30) NOT NULL,
        disabled_at varchar(30))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_endpoints`);
    await queryRunner.query(`DROP TABLE outbox_deliveries`);
    await queryRunner.query(`DROP TABLE outbox_events`);
  }
}
