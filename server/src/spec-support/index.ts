import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { Clock } from '../clock/clock';
import { loadConfig, type ServerConfig } from '../config/config';
import { dataSourceOptions, initializeDataSource } from '../database/data-source-options';
import { Database } from '../database/database.service';

/** A clock a spec moves by hand. */
export class ManualClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
  set(iso: string): void {
    this.at = new Date(iso);
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

// PostgreSQL too when the test database server is given (CI gives it); its own database, dropped after.
const POSTGRES_ADMIN_URL = process.env.SEATLOCK_TEST_POSTGRES_URL;
/** The databases a spec that touches storage runs on: SQLite, and PostgreSQL when one is given. */
export const SPEC_DATABASES: readonly ('sqlite' | 'postgres')[] = ['sqlite', ...(POSTGRES_ADMIN_URL ? (['postgres'] as const) : [])];

/** A fresh database's environment: a data dir, and on PostgreSQL a new database (and how to drop it). */
export async function freshDatabase(kind: 'sqlite' | 'postgres'): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const env = { SEATLOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'seatlock-spec-')) };
  if (kind === 'sqlite') return { env, drop: async () => {} };
  const name = `seatlock_spec_${process.pid}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = await new DataSource({ type: 'postgres', url: POSTGRES_ADMIN_URL }).initialize();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.destroy();
  const url = new URL(POSTGRES_ADMIN_URL!);
  url.pathname = `/${name}`;
  return {
    env: { ...env, DATABASE_URL: url.toString() },
    drop: async () => {
      const again = await new DataSource({ type: 'postgres', url: POSTGRES_ADMIN_URL }).initialize();
      await again.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await again.destroy();
    },
  };
}

/** A migrated database (SQLite in a fresh temporary directory by default), as the server opens it. */
export async function openSpecDatabase(env: Record<string, string> = {}, kind: 'sqlite' | 'postgres' = 'sqlite'): Promise<{ db: Database; config: ServerConfig; close(): Promise<void> }> {
  const database = await freshDatabase(kind);
  const config = loadConfig({ ...database.env, ...env });
  const dataSource = await initializeDataSource(dataSourceOptions(config));
  const db = new Database(dataSource);
  const close = async () => {
    // What Nest does at shutdown: the database closes the log it keeps open for fsync.
    await db.onApplicationShutdown();
    await dataSource.destroy();
    await database.drop();
  };
  return { db, config, close };
}
