import { Sqlite } from '@seatlock/server/dist/database/sqlite';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase } from './postgres';

/** Which database the server tests of this project run on (vitest.config.mts sets it per project). */
export const TEST_DATABASE: 'sqlite' | 'postgres' = process.env.SEATLOCK_TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

/** One PostgreSQL database per server data directory, so a restart on the same data dir finds its data. */
const postgresByDataDir = new Map<string, Promise<string>>();

/**
 * The environment that points a server (or `seatlock-admin`) at the database behind `dataDir`:
 * nothing on SQLite (the file lives in the data dir), `DATABASE_URL` of a fresh database on PostgreSQL.
 */
export async function databaseEnv(dataDir: string): Promise<Record<string, string>> {
  // An empty DATABASE_URL keeps one set in the caller's environment from switching the server to PostgreSQL.
  if (TEST_DATABASE === 'sqlite') return { SEATLOCK_DATA_DIR: dataDir, DATABASE_URL: '' };
  let url = postgresByDataDir.get(dataDir);
  if (!url) {
    url = createTestDatabase().then((db) => db.url);
    postgresByDataDir.set(dataDir, url);
  }
  return { SEATLOCK_DATA_DIR: dataDir, DATABASE_URL: await url };
}

/**
 * On PostgreSQL, makes the database behind `dataDir` a copy of `template` (a database nobody is
 * connected to) instead of an empty one; before the first `databaseEnv(dataDir)`.
 */
export function copyDatabaseFor(dataDir: string, template: string): void {
  postgresByDataDir.set(dataDir, createTestDatabase(undefined, { template }).then((db) => db.url));
}

/**
 * Runs raw SQL on the database behind `dataDir`, as an attacker or an operator with database
 * access would. Placeholders are `?`.
 */
export async function rawQuery<T = Record<string, unknown>>(dataDir: string, sql: string, params: unknown[] = []): Promise<T[]> {
  if (TEST_DATABASE === 'sqlite') {
    const db = new Sqlite(join(dataDir, 'seatlock.sqlite'));
    try {
      const statement = db.prepare(sql);
      return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
    } finally {
      db.close();
    }
  }
  const client = new Client({ connectionString: (await databaseEnv(dataDir)).DATABASE_URL });
  await client.connect();
  try {
    let n = 0;
    return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
  } finally {
    await client.end();
  }
}
