import { isAscii } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runWithCodeCache } from '@seatlock/shared';

/**
 * Runs one of the server's bundles (`dist/bin/*.bundle.js`) with V8's compiled code kept between
 * runs (shared's runWithCodeCache): a start then reads the bundle's bytecode instead of parsing
 * and compiling its 7 to 8 MB again.
 *
 * The cache is kept in a folder only this user may write (`seatlock-code-cache-<uid>` in the
 * temporary directory, or SEATLOCK_CODE_CACHE_DIR; `off` runs without).
 */
export function runBundle(bundle: string): void {
  const bytes = readFileSync(bundle);
  const setting = process.env.SEATLOCK_CODE_CACHE_DIR;
  runWithCodeCache({
    filename: bundle,
    // The build leaves the bundles ASCII (server/scripts/bundle.mjs): read as Latin-1, the source is
    // a one-byte string made in a tenth of UTF-8 decoding's time, the same string for ASCII.
    source: bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'),
    cacheDir: setting === 'off' ? undefined : setting || join(tmpdir(), `seatlock-code-cache-${process.getuid?.() ?? 'user'}`),
    name: basename(bundle, '.js'),
    createParents: true,
  });
}
