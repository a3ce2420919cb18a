import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TEST_DATABASE } from '../support/database';
import { startServer } from '../support/server';
import { SERVER_START_MS } from '../support/timing';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Write system calls a process made so far (Linux's per-process I/O accounting, all its threads). */
function writeCalls(pid: number): number {
  return Number(/^syscw: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1]);
}

/**
 * An idle SQLite server writes nothing: its outbox worker (every 100 ms here) and reminder scan
 * (every second) read, and find nothing due, so no transaction commits and no log is flushed.
 * A commit's flush is an fsync on the thread pool, whose completion is a write system call.
 */
describe.runIf(TEST_DATABASE === 'sqlite' && existsSync('/proc/self/io'))('an idle server', () => {
  it('makes no write system call over a few idle seconds', async () => {
    const server = await startServer({
      // No audit checkpoint falls in the window: with nothing new it would write nothing either, but the first one signs the start's events.
      env: { SEATLOCK_OUTBOX_POLL_MS: '100', SEATLOCK_REMINDER_SCAN_SECONDS: '1', SEATLOCK_AUDIT_CHECKPOINT_SECONDS: '3600' },
    });
    try {
      const pid = server.process.pid as number;
      await sleep(1_000);
      const before = writeCalls(pid);
      await sleep(3_000);
      expect(writeCalls(pid) - before).toBe(0);
    } finally {
      await server.stop();
    }
  }, 4 * SERVER_START_MS); // a start, which may be the run's first (its template) too, and 4 s idle
});
