import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * Admin URL of the PostgreSQL server the PostgreSQL tests run on (CI sets it). Each test run
 * creates its own databases there and drops them afterwards.
 */
export const POSTGRES_ADMIN_URL = process.env.SEATLOCK_TEST_POSTGRES_URL ?? '';

/** Names every database of one test run, so the run's teardown finds them all. */
const RUN_PREFIX = process.env.SEATLOCK_TEST_RUN_PREFIX ?? `seatlock_test_${Date.now()}`;

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** Runs `work` on a connection to `adminUrl`, closed afterwards. */
export async function withAdmin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database for this run, or a copy of `template` (a database nobody is connected
 * to); `drop()` removes it and closes its connections.
 */
export async function createTestDatabase(adminUrl = POSTGRES_ADMIN_URL, options: { template?: string } = {}): Promise<TestDatabase> {
  const name = `${RUN_PREFIX}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}${options.template ? ` TEMPLATE ${client.escapeIdentifier(options.template)}` : ''}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Drops every database a run with this prefix made (the run's teardown). */
export async function dropRunDatabases(prefix: string, adminUrl = POSTGRES_ADMIN_URL): Promise<number> {
  return withAdmin(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}\\_%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    return rows.length;
  });
}
