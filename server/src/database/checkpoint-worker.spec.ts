import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { workerScript } from '../common/worker-script';
import { Sqlite } from './sqlite';

const ROW = 'x'.repeat(3000);

describe('checkpoint worker', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the write-ahead log bounded under writes that never pause', async () => {
    dir = mkdtempSync(join(tmpdir(), 'seatlock-checkpoint-'));
    const path = join(dir, 'seatlock.sqlite');
    const db = new Sqlite(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE devices (id INTEGER PRIMARY KEY, license TEXT NOT NULL)');
    const restartFrames = 256;
    const worker = new Worker(workerScript(__dirname, 'checkpoint-worker.js'), { workerData: { path, intervalMs: 100, restartFrames } });
    const insert = db.prepare('INSERT INTO devices (license) VALUES (?)');
    const batch = db.transaction(() => {
      for (let i = 0; i < 10; i++) insert.run(ROW);
    });
    let largestLog = 0;
    try {
      // 1,000 batches of 10 rows of 3 KB, a millisecond apart: PASSIVE checkpoints every 100 ms never
      // catch up, and the log reaches 50 MB if it is never started over.
      for (let i = 0; i < 1_000; i++) {
        batch();
        largestLog = Math.max(largestLog, statSync(`${path}-wal`).size);
        await new Promise((next) => setTimeout(next, 1));
      }
    } finally {
      const exited = new Promise((done) => worker.once('exit', done));
      worker.postMessage({ type: 'stop' });
      await exited;
    }
    expect(db.prepare('SELECT count(*) AS n FROM devices').get()).toEqual({ n: 10_000 });
    db.close();
    // About 6 MB here: the threshold (1 MB) plus what is written between two checks, with room for a slow machine.
    expect(largestLog).toBeLessThan(16 * 1024 * 1024);
  });
});
