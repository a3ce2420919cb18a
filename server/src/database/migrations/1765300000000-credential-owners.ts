import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who stands behind a credential. Each token records the actor that created it and the person it
 * therefore acts for (`user:<id>`, `cli`, or itself as `token:<id>` when no one traceable made
 * it); an order and a trial record the person that submitted them, and an order the person that
 * entered its negotiated price, so four-eyes review compares people rather than credentials.
 * Existing tokens take their creator from their `token.created` audit event.
 */
export class CredentialOwners1765300000000 implements MigrationInterface {
  name = 'CredentialOwners1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [
      `ALTER TABLE api_tokens ADD COLUMN created_by varchar(100)`,
      `ALTER TABLE api_tokens ADD COLUMN person varchar(100)`,
      `UPDATE api_tokens SET created_by = (SELECT MIN(actor) FROM audit_events WHERE action = 'token.created' AND subject = 'token:' || api_tokens.id)`,
    ]) {
      await queryRunner.query(sql);
    }
    const tokens = (await queryRunner.query(`SELECT id, created_by FROM api_tokens`)) as { id: string; created_by: string | null }[];
    const creatorOf = new Map(tokens.map((token) => [token.id, token.created_by]));
    for (const { id } of tokens) {
      await queryRunner.manager.createQueryBuilder().update('api_tokens').set({ person: personOf(id, creatorOf) }).where('id = :id', { id }).execute();
    }
    for (const sql of [
      `CREATE INDEX api_tokens_person ON api_tokens (person)`,
      `ALTER TABLE orders ADD COLUMN submitted_by_person varchar(100)`,
      `ALTER TABLE trials ADD COLUMN submitted_by_person varchar(100)`,
      `UPDATE orders SET submitted_by_person = COALESCE((SELECT person FROM api_tokens WHERE 'token:' || api_tokens.id = orders.submitted_by), submitted_by)`,
      `UPDATE trials SET submitted_by_person = COALESCE((SELECT person FROM api_tokens WHERE 'token:' || api_tokens.id = trials.submitted_by), submitted_by)`,
      // Until now a price was entered at submission (by the submitter) or at the approval itself.
      `ALTER TABLE orders ADD COLUMN priced_by varchar(100)`,
      `UPDATE orders SET priced_by = submitted_by_person WHERE negotiated = 1 AND unit_price IS NOT NULL AND status = 'submitted'`,
    ]) {
      await queryRunner.query(sql);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [
      `DROP INDEX api_tokens_person`,
      `ALTER TABLE orders DROP COLUMN priced_by`,
      `ALTER TABLE trials DROP COLUMN submitted_by_person`,
      `ALTER TABLE orders DROP COLUMN submitted_by_person`,
      `ALTER TABLE api_tokens DROP COLUMN person`,
      `ALTER TABLE api_tokens DROP COLUMN created_by`,
    ]) {
      await queryRunner.query(sql);
    }
  }
}

/** Follows `token:` creators to a person; a token made by no one traceable (system, unknown, a cycle) stands for itself. */
function personOf(id: string, creatorOf: Map<string, string | null>): string {
  const seen = new Set<string>();
  for (let current = id; ; ) {
    seen.add(current);
    const creator = creatorOf.get(current);
    if (creator === 'cli' || creator?.startsWith('user:')) return creator;
    const next = creator?.startsWith('token:') ? creator.slice('token:'.length) : undefined;
    if (next === undefined || seen.has(next) || !creatorOf.has(next)) return `token:${current}`;
    current = next;
  }
}
