import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * Admin URL of the PostgreSQL server the PostgreSQL tests run on (CI sets it). Each test run
 * creates its own database there and drops it afterwards.
 */
export const POSTGRES_ADMIN_URL = process.env.SEATLOCK_TEST_POSTGRES_URL ?? '';

/** Whether PostgreSQL tests can run here; says loudly when they are skipped. */
export function postgresAvailable(what: string): boolean {
  if (!POSTGRES_ADMIN_URL) {
    console.warn(`SKIPPED on PostgreSQL: ${what}. Set SEATLOCK_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it.`);
  }
  return Boolean(POSTGRES_ADMIN_URL);
}

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates an empty database named for this run; `drop()` removes it and closes its connections. */
export async function createTestDatabase(adminUrl = POSTGRES_ADMIN_URL): Promise<TestDatabase> {
  const name = `seatlock_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
