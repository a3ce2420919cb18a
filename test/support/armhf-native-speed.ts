import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fingerprint } from '@seatlock/shared';
import { readDevice, agentEnvironment } from '@seatlock/agent';
import { DEV_AGENT } from './agent';
import { interleavedScript, interleavedTimes } from './interleaved';
import { REPO_ROOT } from './server';
import { HOME_IN_DEVICE, newUserlandDevice, placeFile, removeUserlandDevice, type Userland } from './userland';

/**
 * The native release command for armhf, `rootPath` embedded, on a DV300 board made from an armhf
 * userland (`.ci/arm-userlands`) and licensed by `license`, against that userland's own
 * `node -e 0`: both under QEMU, timed inside the board by its bash, interleaved. For the ARM speed
 * test and `npm run bench`; no vitest here.
 */
export async function armhfNativeTimes(userland: Userland, rootPath: string, license: (fingerprint: Fingerprint) => Promise<string>, runs: number): Promise<{ node: number[]; check: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'seatlock-native-arm-'));
  const build = join(dir, 'build');
  const device = newUserlandDevice(userland, 'hi3516dv300-emmc', DEV_AGENT);
  try {
    execFileSync('make', ['-s', '-C', join(REPO_ROOT, 'native'), 'TARGET=arm-linux-gnueabihf', `BUILD=${build}`, `ROOT=${rootPath}`, join(build, 'seatlock-verify')], { stdio: 'ignore' });
    const { fingerprint } = readDevice(agentEnvironment({ SEATLOCK_SYSROOT: device.root }));
    writeFileSync(join(dir, 'device.lic'), await license(fingerprint));
    placeFile(join(dir, 'device.lic'), device.root, `${HOME_IN_DEVICE}/licenses/device.lic`);
    placeFile(join(build, 'seatlock-verify'), device.root, '/opt/seatlock/seatlock-verify');
    const script = interleavedScript(runs, '/usr/bin/node -e 0', '/opt/seatlock/seatlock-verify verify');
    const run = spawnSync('chroot', [device.root, '/bin/bash', '-c', script], { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', QEMU_CPU: userland.qemuCpu }, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`the armhf boot checks failed (${run.status}): ${run.stderr}`);
    return interleavedTimes(run.stdout);
  } finally {
    removeUserlandDevice(device);
    rmSync(dir, { recursive: true, force: true });
  }
}
