import { isAscii } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_CLI, REPO_ROOT } from '../support/server';

// The server and seatlock-admin run their bundle with V8's code cache kept between runs
// (server/src/code-cache.ts, shared/src/code-cache.ts): the cache must be used when it is good, replaced when it is not,
// and never kept where another user could write bytecode for it.
function admin(cacheDir: string) {
  const run = spawnSync(process.execPath, [ADMIN_CLI, '--help'], { cwd: REPO_ROOT, env: { ...process.env, SEATLOCK_CODE_CACHE_DIR: cacheDir }, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toContain('seatlock-admin: the operator');
  return run.stdout;
}

const cacheFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.v8'));

describe('the bundles’ code cache', () => {
  it('is written by the first run, only readable by its user, and used as it is by the next', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'seatlock-code-cache-')), 'cache');
    const help = admin(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const [file] = cacheFiles(dir);
    expect(file).toMatch(/^admin\.bundle-[0-9a-f]{20}\.v8$/);
    expect(statSync(join(dir, file)).mode & 0o777).toBe(0o600);
    const written = statSync(join(dir, file)).ino;

    // V8 took it: a run replaces the cache (a new file renamed over it) only when it found none,
    // a damaged one or one V8 refused.
    expect(admin(dir)).toBe(help);
    expect(cacheFiles(dir)).toEqual([file]);
    expect(statSync(join(dir, file)).ino).toBe(written);
  });

  it('runs the same with a damaged cache, and replaces it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'seatlock-code-cache-')), 'cache');
    const help = admin(dir);
    const [file] = cacheFiles(dir);
    const damaged = readFileSync(join(dir, file));
    for (let at = 64; at < damaged.length; at += 4096) damaged[at] ^= 0xff;
    writeFileSync(join(dir, file), damaged);

    expect(admin(dir)).toBe(help);
    expect(readFileSync(join(dir, file)).equals(damaged)).toBe(false);
  });

  it('is not kept in a folder other users may write', () => {
    const dir = mkdtempSync(join(tmpdir(), 'seatlock-code-cache-'));
    chmodSync(dir, 0o777);
    admin(dir);
    expect(cacheFiles(dir)).toEqual([]);
  });

  it('runs from bundles that are ASCII, read as one-byte strings', () => {
    // A single non-ASCII character (esbuild keeps some comments as written) makes the whole
    // source a two-byte string: decoding and scanning it took about a tenth of a start's CPU.
    for (const name of ['server.bundle.js', 'admin.bundle.js']) expect(isAscii(readFileSync(join(REPO_ROOT, 'server/dist/bin', name))), name).toBe(true);
  });
});
