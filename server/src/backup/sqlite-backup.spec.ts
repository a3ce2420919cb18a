import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sqlite as Database } from '../database/sqlite';
import { BackupRefused, type BackupProgress, backupSqlite, restoreSqlite } from './sqlite-backup';

/** A WAL database shaped like the server's (a migrations table), with `rows` rows of 1 KiB. */
function seatlockLikeDatabase(dir: string, rows: number): string {
  const path = join(dir, 'seatlock.sqlite');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE migrations (id INTEGER PRIMARY KEY, timestamp BIGINT, name TEXT); CREATE TABLE devices (id INTEGER PRIMARY KEY, license TEXT)');
  db.prepare('INSERT INTO migrations (timestamp, name) VALUES (?, ?)').run(1764000000000, 'InitialSchema1764000000000');
  const insert = db.prepare('INSERT INTO devices (license) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run('x'.repeat(1024));
  })();
  db.close();
  return path;
}

describe('backupSqlite', () => {
  it('copies a database larger than one step, with progress, while another connection writes to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seatlock-backup-'));
    const source = seatlockLikeDatabase(dir, 12_000);
    const writer = new Database(source);
    const progress: BackupProgress[] = [];
    const summary = await backupSqlite(source, join(dir, 'copy.sqlite'), (step) => {
      progress.push(step);
      // A write between steps makes SQLite start the copy over: it still finishes.
      if (progress.length === 2) writer.prepare('INSERT INTO devices (license) VALUES (?)').run('written during the copy');
    });
    writer.close();
    // SQLite started over after the write (no more pages copied than the step before), then finished in one step.
    const restart = progress.findIndex((step, i) => i > 0 && step.copiedPages <= progress[i - 1].copiedPages);
    expect(restart, JSON.stringify(progress)).toBeGreaterThan(0);
    expect(progress.length - restart, JSON.stringify(progress)).toBe(1);
    expect(summary.schema).toBe('InitialSchema1764000000000');
    expect(statSync(summary.file).mode & 0o777).toBe(0o600);
    const copy = new Database(summary.file, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    // A consistent snapshot: all of the first 12,000 rows, and the one written during the copy or not at all.
    expect([12_000, 12_001]).toContain((copy.prepare('SELECT count(*) AS n FROM devices').get() as { n: number }).n);
    copy.close();
  });

  it('never overwrites a file and refuses what is not a Seatlock database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seatlock-backup-'));
    const source = seatlockLikeDatabase(dir, 1);
    writeFileSync(join(dir, 'taken'), 'keep me');
    await expect(backupSqlite(source, join(dir, 'taken'))).rejects.toThrow(BackupRefused);
    await expect(backupSqlite(join(dir, 'missing.sqlite'), join(dir, 'out'))).rejects.toThrow(/no database/);
    const other = new Database(join(dir, 'other.sqlite'));
    other.exec('CREATE TABLE t (x)');
    other.close();
    await expect(backupSqlite(join(dir, 'other.sqlite'), join(dir, 'out'))).rejects.toThrow(/not a Seatlock one/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('restoreSqlite', () => {
  it('restores into an empty data directory and refuses a non-empty one unless told to replace its database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seatlock-backup-'));
    const backup = (await backupSqlite(seatlockLikeDatabase(dir, 10), join(dir, 'backup.sqlite'))).file;
    const dataDir = join(dir, 'restored');
    const target = join(dataDir, 'seatlock.sqlite');
    expect(restoreSqlite(backup, target).schema).toBe('InitialSchema1764000000000');
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(() => restoreSqlite(backup, target)).toThrow(/not empty/);
    // A log left by the replaced database must not be replayed onto the restored one.
    writeFileSync(`${target}-wal`, 'stale log');
    restoreSqlite(backup, target, { replace: true });
    expect(existsSync(`${target}-wal`)).toBe(false);
    const restored = new Database(target, { readonly: true });
    expect((restored.prepare('SELECT count(*) AS n FROM devices').get() as { n: number }).n).toBe(10);
    restored.close();
  });

  it('refuses a file that is not a database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seatlock-backup-'));
    writeFileSync(join(dir, 'notes.txt'), 'not a database at all, just some text that is long enough');
    expect(() => restoreSqlite(join(dir, 'notes.txt'), join(dir, 'data', 'seatlock.sqlite'))).toThrow(BackupRefused);
  });
});
