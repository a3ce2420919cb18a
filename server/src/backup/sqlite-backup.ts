import { Sqlite, type SqliteDatabase } from '../database/sqlite';
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Pages copied per step (4 MiB at SQLite's 4 KiB pages): the server's writes wait at most one step. */
const PAGES_PER_STEP = 1024;
/** Copy the rest in one step: see backupSqlite. */
const ALL_PAGES = 0x7fffffff;

export interface BackupProgress {
  copiedPages: number;
  totalPages: number;
}

export interface BackupSummary {
  file: string;
  bytes: number;
  pages: number;
  /** The last schema migration the copy holds: a restore needs a server at least that new. */
  schema: string;
}

export class BackupRefused extends Error {}

/**
 * A consistent copy of a running server's SQLite database, through SQLite's online backup from a
 * read-only connection of this process: the server keeps serving. A page the server writes
 * during the copy makes SQLite start it over; after one such restart the rest is copied in a
 * single step, which holds one read snapshot, so a busy server cannot keep the copy from
 * finishing. The copy is written beside `out`, checked, made durable and only then named `out`.
 */
export async function backupSqlite(source: string, out: string, onProgress?: (progress: BackupProgress) => void): Promise<BackupSummary> {
  if (!existsSync(source)) throw new BackupRefused(`There is no database at ${source} (SEATLOCK_DATA_DIR).`);
  if (existsSync(out)) throw new BackupRefused(`${out} exists already; back up to a new file.`);
  const partial = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  const db = new Sqlite(source, { readonly: true, fileMustExist: true });
  let lastRemaining = Number.POSITIVE_INFINITY;
  try {
    await db.backup(partial, {
      progress: ({ totalPages, remainingPages }) => {
        onProgress?.({ copiedPages: totalPages - remainingPages, totalPages });
        // Every step copies pages, so only a restart leaves as many to copy as before.
        const restarted = remainingPages >= lastRemaining;
        lastRemaining = remainingPages;
        return restarted ? ALL_PAGES : PAGES_PER_STEP;
      },
    });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
  try {
    const { pages, schema } = checkSeatlockDatabase(partial, { selfContained: true });
    chmodSync(partial, 0o600);
    syncFile(partial);
    renameSync(partial, out);
    syncFile(dirname(out));
    return { file: out, bytes: statSync(out).size, pages, schema };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

export interface RestoreSummary {
  database: string;
  bytes: number;
  schema: string;
}

/** The database, its write-ahead log and its shared-memory index: what a restore replaces. */
function databaseFiles(path: string): string[] {
  return [path, `${path}-wal`, `${path}-shm`];
}

/**
 * Puts a backup in place as the data directory's database. Refuses a data directory that holds
 * anything unless `replace` is given (with the server stopped), so a restore never mixes with, or
 * silently overwrites, a live database. The server applies newer migrations when it starts.
 */
export function restoreSqlite(backup: string, target: string, options: { replace?: boolean } = {}): RestoreSummary {
  if (!existsSync(backup)) throw new BackupRefused(`There is no backup at ${backup}.`);
  const { schema } = checkSeatlockDatabase(backup, { selfContained: false });
  const dataDir = dirname(target);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const present = readdirSync(dataDir);
  if (present.length > 0 && !options.replace) {
    throw new BackupRefused(`${dataDir} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', ...' : ''}): restore into an empty data directory, or stop the server and pass --force to replace its database.`);
  }
  const partial = join(dataDir, `.restore-${process.pid}`);
  copyFileSync(backup, partial);
  chmodSync(partial, 0o600);
  syncFile(partial);
  // A log left by the database being replaced would be replayed onto the restored one.
  for (const file of databaseFiles(target)) rmSync(file, { force: true });
  renameSync(partial, target);
  syncFile(dataDir);
  return { database: target, bytes: statSync(target).size, schema };
}

/** Checks that `path` is a whole Seatlock database; with `selfContained`, also leaves it needing no write-ahead log. */
function checkSeatlockDatabase(path: string, options: { selfContained: boolean }): { pages: number; schema: string } {
  let db: SqliteDatabase;
  try {
    db = new Sqlite(path, { readonly: !options.selfContained, fileMustExist: true });
  } catch (error) {
    throw new BackupRefused(`${path} is not a SQLite database (${(error as Error).message}).`);
  }
  try {
    const integrity = db.pragma('quick_check', { simple: true });
    if (integrity !== 'ok') throw new BackupRefused(`${path} is damaged: ${String(integrity)}.`);
    const migrations = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").get();
    if (!migrations) throw new BackupRefused(`${path} is a SQLite database but not a Seatlock one (it has no migrations table).`);
    const last = db.prepare('SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1').get() as { name: string } | undefined;
    // One file that opens anywhere, read-only too, rather than one that needs its -wal and -shm beside it.
    if (options.selfContained) db.pragma('journal_mode = DELETE');
    return { pages: Number(db.pragma('page_count', { simple: true })), schema: last?.name ?? 'none' };
  } catch (error) {
    if (error instanceof BackupRefused) throw error;
    throw new BackupRefused(`${path} cannot be read as a Seatlock database (${(error as Error).message}).`);
  } finally {
    db.close();
  }
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
