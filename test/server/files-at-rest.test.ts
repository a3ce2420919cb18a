import { chmodSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_DATABASE } from '../support/database';
import { startServer } from '../support/server';

const mode = (path: string) => statSync(path).mode & 0o777;

describe.runIf(TEST_DATABASE === 'sqlite')('files at rest', { timeout: 60_000 }, () => {
  it('creates the data directory 0700 and the SQLite file 0600, under a umask of 022, and narrows wider ones on restart', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'seatlock-files-')), 'data');
    const server = await startServer({ dataDir, env: { SEATLOCK_DATA_DIR: dataDir } });
    await server.stop();
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'seatlock.sqlite'))).toBe(0o600);

    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'seatlock.sqlite'), 0o644);
    await (await startServer({ dataDir, env: { SEATLOCK_DATA_DIR: dataDir } })).stop();
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, 'seatlock.sqlite'))).toBe(0o600);
  });
});
