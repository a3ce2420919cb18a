import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sqlite } from '@seatlock/server/dist/database/sqlite';
import { CompactSign } from 'jose';

/** Runs `step` repeatedly for `ms` milliseconds; returns operations per second. */
export async function ratePerSecond(ms: number, step: () => unknown): Promise<number> {
  const start = performance.now();
  let count = 0;
  while (performance.now() - start < ms) {
    await step();
    count++;
  }
  return count / ((performance.now() - start) / 1000);
}

/** One core's PS256 (RSA-2048) signing rate with jose, on a license-sized payload. */
export async function ps256SignRate(ms: number): Promise<number> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const payload = new TextEncoder().encode('x'.repeat(900));
  return ratePerSecond(ms, () => new CompactSign(payload).setProtectedHeader({ alg: 'PS256' }).sign(privateKey));
}

/** SQLite's durable one-row commit rate: WAL, synchronous=FULL, one INSERT per transaction. */
export async function sqliteDurableCommitRate(ms: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'seatlock-bench-sqlite-'));
  const db = new Sqlite(join(dir, 'bench.sqlite'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const commit = db.transaction((v: string) => insert.run(v));
    return await ratePerSecond(ms, () => commit('device'));
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
