import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDevice } from '../../agent/src/device';
import { agentEnvironment } from '../../agent/src/environment';
import { testPki } from '../../agent/src/spec-support';
import { DEV_AGENT } from '../support/agent';
import { interleavedScript, interleavedTimes, median, nativeBuild } from '../support/native';
import { HOME_IN_DEVICE, newUserlandDevice, placeFile, removeUserlandDevice, userlandsFromEnv } from '../support/userland';

/**
 * The native release command for armhf, root embedded, on a DV300 board made from the armhf
 * userland CI builds (`.ci/arm-userlands`), against that userland's own `node -e 0`, both under
 * QEMU's Cortex-A7 and timed inside the board by its bash, interleaved. Runs where the userlands
 * are (CI); the budget is a tenth of Node's start.
 */
const armhf = (userlandsFromEnv() ?? []).filter((userland) => userland.name.endsWith('-armhf'));
const native = armhf.length > 0 && !process.env.SEATLOCK_NATIVE_TARGET && !process.env.SEATLOCK_NATIVE_SANITIZE ? nativeBuild() : undefined;
const RUNS = 11;
const EMULATED = 10 * 60_000;

describe.skipIf(!native)('native boot check speed on armhf under QEMU', () => {
  it.for(armhf)('$name: verify takes at most a tenth of node -e 0', { timeout: EMULATED }, async (userland) => {
    const dir = mkdtempSync(join(tmpdir(), 'seatlock-native-arm-'));
    const pki = testPki();
    const build = join(dir, 'build');
    execFileSync('make', ['-s', '-C', resolve(__dirname, '../../native'), 'TARGET=arm-linux-gnueabihf', `BUILD=${build}`, `ROOT=${pki.rootPath}`, join(build, 'seatlock-verify')], { stdio: 'ignore' });
    const device = newUserlandDevice(userland, 'hi3516dv300-emmc', DEV_AGENT);
    try {
      const { fingerprint } = readDevice(agentEnvironment({ SEATLOCK_SYSROOT: device.root }));
      const license = join(dir, 'device.lic');
      writeFileSync(license, await pki.sign(fingerprint, { platform: 'hisilicon-dv300' }));
      placeFile(license, device.root, `${HOME_IN_DEVICE}/licenses/device.lic`);
      placeFile(join(build, 'seatlock-verify'), device.root, '/opt/seatlock/seatlock-verify');
      const script = interleavedScript(RUNS, '/usr/bin/node -e 0', '/opt/seatlock/seatlock-verify verify');
      const run = spawnSync('chroot', [device.root, '/bin/bash', '-c', script], { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', QEMU_CPU: userland.qemuCpu }, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const { node, check } = interleavedTimes(run.stdout);
      const ratio = median(check) / median(node);
      console.log(`${userland.name} (QEMU ${userland.qemuCpu}): native verify ${median(check).toFixed(1)} ms, node -e 0 ${median(node).toFixed(0)} ms: ${ratio.toFixed(3)} × node -e 0, medians of ${RUNS} interleaved runs`);
      expect(ratio).toBeLessThanOrEqual(0.1);
    } finally {
      removeUserlandDevice(device);
    }
  });
});
