import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeBuild } from '../support/native';

/** The release command for an armhf board, stripped, is at most 400 KB (with SEATLOCK_NATIVE_TARGET=arm-linux-gnueabihf, as CI runs it). */
const TARGET = process.env.SEATLOCK_NATIVE_TARGET;
const native = TARGET === 'arm-linux-gnueabihf' ? nativeBuild() : undefined;
const BUDGET = 400_000;

describe.skipIf(!native)('native release command size on armhf', () => {
  it('is at most 400 KB stripped', () => {
    const stripped = join(mkdtempSync(join(tmpdir(), 'seatlock-size-')), 'seatlock-verify');
    execFileSync(`${TARGET}-strip`, ['-o', stripped, resolve(__dirname, `../../native/build/${TARGET}/seatlock-verify`)]);
    const bytes = statSync(stripped).size;
    console.log(`native seatlock-verify, ${TARGET}, stripped: ${bytes} bytes (${((100 * bytes) / BUDGET).toFixed(0)} % of the budget)`);
    expect(bytes).toBeLessThanOrEqual(BUDGET);
  });
});
