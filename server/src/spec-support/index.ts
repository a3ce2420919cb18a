import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { Clock } from '../clock/clock';
import { loadConfig, type ServerConfig } from '../config/config';
import { dataSourceOptions } from '../database/data-source-options';
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

/** A migrated SQLite database in a fresh temporary directory, as the server opens it. */
export async function openSpecDatabase(env: Record<string, string> = {}): Promise<{ db: Database; config: ServerConfig; close(): Promise<void> }> {
  const config = loadConfig({ SEATLOCK_DATA_DIR: mkdtempSync(join(tmpdir(), 'seatlock-spec-')), ...env });
  const dataSource = await new DataSource(dataSourceOptions(config)).initialize();
  const db = new Database(dataSource);
  const close = async () => {
    // What Nest does at shutdown: the database closes the log it keeps open for fsync.
    await db.onApplicationShutdown();
    await dataSource.destroy();
  };
  return { db, config, close };
}
