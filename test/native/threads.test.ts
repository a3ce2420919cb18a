import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readDevice } from '../../agent/src/device';
import { agentEnvironment } from '../../agent/src/environment';
import { testPki } from '../../agent/src/spec-support';
import { requiredInCi } from '../support/requirement';
import { agentAt, boardState, copyHome, fileWith, nativeBuild, type State } from '../support/native';

/**
 * Threads of one process in the boot check at once (native/examples/threads.c, built with
 * ThreadSanitizer): every thread gets the agent's verdict, and the sanitizer reports no race.
 */
const native = process.env.SEATLOCK_NATIVE_TARGET || process.env.SEATLOCK_NATIVE_SANITIZE ? undefined : nativeBuild();
const clang = native && requiredInCi(spawnSync('sh', ['-c', 'command -v clang-14']).status === 0 ? true : undefined, "Debian's clang for ThreadSanitizer", 'apt-get install clang-14 libclang-rt-14-dev');
const THREADS = resolve(__dirname, '../../native/build/tsan/seatlock-threads');

describe.skipIf(!clang)('the native check from many threads', () => {
  let pki: ReturnType<typeof testPki>;
  let states: { label: string; state: State }[];

  beforeAll(async () => {
    execFileSync('sh', [resolve(__dirname, '../../native/build.sh'), 'threads'], { stdio: ['ignore', 'ignore', 'inherit'] });
    vi.useFakeTimers({ toFake: ['Date'] });
    pki = testPki();
    const board = boardState('hi3516dv300-emmc', pki.rootPath);
    const device = readDevice(agentEnvironment({ SEATLOCK_SYSROOT: board.sysroot }));
    const install = async (license: string) => {
      const state = { ...board, home: copyHome(board.home) };
      expect((await agentAt(Date.now(), ['install', fileWith(license)], state)).code).toBe(0);
      return state;
    };
    states = [
      { label: 'perpetual', state: await install(await pki.sign(device.fingerprint, { platform: 'hisilicon-dv300' })) },
      { label: 'trial (each thread advances the clock record)', state: await install(await pki.sign(device.fingerprint, { platform: 'hisilicon-dv300', kind: 'trial' })) },
    ];
    vi.useRealTimers();
  });

  afterAll(() => vi.useRealTimers());

  it('gives every thread the verdict, without a data race', () => {
    for (const { label, state } of states) {
      for (const feature of ['face.liveness', 'face.not-in-any-product']) {
        const run = spawnSync(THREADS, ['8', feature], {
          env: { SEATLOCK_SYSROOT: state.sysroot, SEATLOCK_HOME: state.home, SEATLOCK_TRUST_ROOT: state.trustRoot, TSAN_OPTIONS: 'halt_on_error=1:exitcode=90' },
          encoding: 'utf8',
        });
        expect(run.status, `${label}: ${run.stderr}`).toBe(0);
        expect(run.stderr, label).not.toMatch(/ThreadSanitizer/);
        const codes = run.stdout.trim().split('\n').map((line) => Number(line.split(' ')[0]));
        expect(codes, `${label}, ${feature}`).toEqual(Array(8).fill(feature === 'face.liveness' ? 0 : 15));
      }
    }
  });
});
