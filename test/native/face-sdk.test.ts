import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readDevice } from '../../agent/src/device';
import { agentEnvironment } from '../../agent/src/environment';
import { testPki } from '../../agent/src/spec-support';
import { agentAt, boardState, copyHome, fileWith, nativeBuild, type State } from '../support/native';

/** The stand-in face SDK (native/examples) checks its license at init on a captured board, and refuses a feature the license lacks. */
const native = nativeBuild();
const DEMO = resolve(__dirname, '../../native/build/face-sdk-demo');

describe.skipIf(!native)('the stand-in face SDK', () => {
  let pki: ReturnType<typeof testPki>;
  let board: State;
  let licensed: State;

  beforeAll(async () => {
    execFileSync('sh', [resolve(__dirname, '../../native/build.sh'), 'examples'], { stdio: ['ignore', 'ignore', 'inherit'] });
    vi.useFakeTimers({ toFake: ['Date'] });
    pki = testPki();
    board = boardState('android-rk3568', pki.rootPath);
    const device = readDevice(agentEnvironment({ SEATLOCK_SYSROOT: board.sysroot }));
    const license = await pki.sign(device.fingerprint, { product: 'face-liveness' });
    licensed = { ...board, home: copyHome(board.home) };
    expect((await agentAt(Date.now(), ['install', fileWith(license)], licensed)).code).toBe(0);
  });

  afterAll(() => vi.useRealTimers());

  const demo = (state: State, feature: string) =>
    spawnSync(DEMO, [feature], { env: { SEATLOCK_SYSROOT: state.sysroot, SEATLOCK_HOME: state.home, SEATLOCK_TRUST_ROOT: pki.rootPath }, encoding: 'utf8' });

  it('runs a feature its license has', () => {
    const run = demo(licensed, 'face.liveness');
    expect(run.status, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/face SDK licensed: face-liveness \(perpetual\), face\.liveness/);
  });

  it('refuses a feature its license lacks (15), and runs nothing on a board without a license (10)', () => {
    const lacking = demo(licensed, 'face.search-1toN');
    expect(lacking.status, lacking.stdout).toBe(15);
    expect(lacking.stdout).toMatch(/not licensed for face\.search-1toN \(15 FEATURE_NOT_LICENSED\)/);
    expect(demo(board, 'face.liveness').status).toBe(10);
  });

  it('refuses the license on a board of another platform (16)', () => {
    const other = boardState('hi3516dv300-emmc', pki.rootPath);
    expect(demo({ ...other, home: licensed.home }, 'face.liveness').status).toBe(16);
  });
});
