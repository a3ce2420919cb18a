import { parentPort, workerData } from 'node:worker_threads';
import { Sqlite } from './sqlite';

/**
 * Checkpoints the SQLite write-ahead log on a connection of its own, off the event loop: a
 * checkpoint copies pages into the database file and fsyncs it, which would otherwise happen
 * inside some request's COMMIT. PASSIVE never blocks the server's writer.
 *
 * Under sustained writes a PASSIVE checkpoint never catches up with the writer, and SQLite only
 * starts the log over once one has: the log would grow without bound (200 MB in ten seconds of
 * activations). So once the log holds `restartFrames` pages, a RESTART checkpoint copies the few
 * pages PASSIVE has not and makes the next commit write from the start of the file again. It holds
 * the writer back only for those pages.
 */
const { path, intervalMs, restartFrames } = workerData as { path: string; intervalMs: number; restartFrames: number };
const db = new Sqlite(path);
db.pragma('busy_timeout = 5000');

const timer = setInterval(() => {
  try {
    const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    if (log >= restartFrames) db.pragma('wal_checkpoint(RESTART)');
  } catch (error) {
    parentPort?.postMessage({ error: (error as Error).message });
  }
}, intervalMs);

parentPort?.on('message', (message: { type: 'stop' }) => {
  if (message.type !== 'stop') return;
  clearInterval(timer);
  db.close();
  process.exit(0);
});
