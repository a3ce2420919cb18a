import { describe, expect, it } from 'vitest';
import { testPki } from '../../agent/src/spec-support';
import { armhfNativeTimes } from '../support/armhf-native-speed';
import { median, nativeBuild } from '../support/native';
import { userlandsFromEnv } from '../support/userland';

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
    const pki = testPki();
    const { node, check } = await armhfNativeTimes(userland, pki.rootPath, (fingerprint) => pki.sign(fingerprint, { platform: 'hisilicon-dv300' }), RUNS);
    const ratio = median(check) / median(node);
    console.log(`${userland.name} (QEMU ${userland.qemuCpu}): native verify ${median(check).toFixed(1)} ms, node -e 0 ${median(node).toFixed(0)} ms: ${ratio.toFixed(3)} × node -e 0, medians of ${RUNS} interleaved runs`);
    expect(ratio).toBeLessThanOrEqual(0.1);
  });
});
