import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readDevice } from '../../agent/src/device';
import { agentEnvironment } from '../../agent/src/environment';
import { testPki } from '../../agent/src/spec-support';
import { agentAt, boardState, copyHome, fileWith, interleavedScript, interleavedTimes, median, NATIVE_DEV, nativeBuild, type State } from '../support/native';

/**
 * The native boot check on a licensed board against `node -e 0`, interleaved in one run so both
 * see the same machine load. The budget (10 % of Node's start) is judged by `npm run bench` on an
 * idle machine, as every speed goal is; this test bounds the ratio loosely enough to hold on a
 * loaded machine and still catch a check that does far more work than it should (a process
 * spawned, a file read per component). Host build only: under QEMU the emulator's own start would
 * be measured.
 */
const native = process.env.SEATLOCK_NATIVE_TARGET || process.env.SEATLOCK_NATIVE_SANITIZE ? undefined : nativeBuild();
const RUNS = 21;

describe.skipIf(!native)('native boot check speed', () => {
  let licensed: State;

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const pki = testPki();
    const board = boardState('android-rk3568', pki.rootPath);
    const device = readDevice(agentEnvironment({ SEATLOCK_SYSROOT: board.sysroot }));
    licensed = { ...board, home: copyHome(board.home) };
    expect((await agentAt(Date.now(), ['install', fileWith(await pki.sign(device.fingerprint))], licensed)).code).toBe(0);
    vi.useRealTimers();
  });

  afterAll(() => vi.useRealTimers());

  it('verify takes well under half of node -e 0, and reports the ratio', () => {
    const env = { PATH: process.env.PATH, SEATLOCK_SYSROOT: licensed.sysroot, SEATLOCK_HOME: licensed.home, SEATLOCK_TRUST_ROOT: licensed.trustRoot };
    // Timed by a shell that starts each process, not by this test's worker: starting a process
    // from a large Node process costs milliseconds of its own, the same for both, which would hide the ratio.
    const script = interleavedScript(RUNS, '"$NODE" -e 0', '"$NATIVE" verify');
    const run = spawnSync('bash', ['-c', script], { env: { ...env, NODE: process.execPath, NATIVE: NATIVE_DEV }, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const { node, check } = interleavedTimes(run.stdout);
    const spread = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return `${sorted[Math.floor(RUNS / 4)].toFixed(2)} to ${sorted[Math.floor((3 * RUNS) / 4)].toFixed(2)} ms`;
    };
    const ratio = median(check) / median(node);
    console.log(
      `native verify ${median(check).toFixed(2)} ms (quartiles ${spread(check)}), node -e 0 ${median(node).toFixed(1)} ms (quartiles ${spread(node)}): ${ratio.toFixed(3)} × node -e 0, medians of ${RUNS} interleaved runs timed by bash`,
    );
    expect(ratio).toBeLessThan(0.5);
  });
});
