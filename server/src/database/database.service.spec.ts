import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSpecDatabase } from '../spec-support';

// Files of `dir` this process holds open (Linux).
function openFilesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(join('/proc/self/fd', fd));
      if (target.startsWith(dir)) files.push(target);
    } catch {
      // closed between the listing and the read
    }
  }
  return files;
}

describe('Database', () => {
  it('leaves no file of the data directory open once closed, the log it fsyncs included', async () => {
    const { db, config, close } = await openSpecDatabase();
    await db.write((manager) => manager.query('CREATE TABLE spec_rows (id INTEGER PRIMARY KEY)'));
    expect(openFilesUnder(config.dataDir)).toContain(join(config.dataDir, 'seatlock.sqlite-wal'));
    await close();
    expect(openFilesUnder(config.dataDir)).toEqual([]);
  });
});
