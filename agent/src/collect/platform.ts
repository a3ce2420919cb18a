import { cpuinfo, deviceTreeStrings } from './readers';
import type { Sysroot } from './sysroot';

/** What the agent can tell a device to be; `linux` is not in the catalog, and the server refuses it. */
export type DevicePlatform = 'android' | 'hisilicon-dv300' | 'linux';

export const ANDROID_BUILD_PROPS = ['system/build.prop', 'vendor/build.prop'];

const HISILICON = /hisilicon|\bhi35\d\d/i;

/**
 * Tells the platform from files alone: Android by its build.prop, a HiSilicon DV300-class board
 * by its device-tree `compatible` or cpuinfo `Hardware`, anything else as generic `linux`.
 *
 * @example detectPlatform(new Sysroot('/')) // 'hisilicon-dv300'
 */
export function detectPlatform(sys: Sysroot): DevicePlatform {
  return explainPlatform(sys).platform;
}

/** The platform and what decided it, for a support report. */
export function explainPlatform(sys: Sysroot): { platform: DevicePlatform; reason: string } {
  const buildProp = ANDROID_BUILD_PROPS.find((file) => sys.exists(file));
  if (buildProp) return { platform: 'android', reason: `${buildProp} is present` };
  const compatible = deviceTreeStrings(sys, 'compatible').find((s) => HISILICON.test(s));
  if (compatible) return { platform: 'hisilicon-dv300', reason: `the device-tree compatible "${compatible}" names a HiSilicon SoC` };
  const hardware = cpuinfo(sys).get('Hardware') ?? '';
  if (HISILICON.test(hardware)) return { platform: 'hisilicon-dv300', reason: `cpuinfo Hardware "${hardware}" names a HiSilicon SoC` };
  return {
    platform: 'linux',
    reason: `no ${ANDROID_BUILD_PROPS.join(' or ')}, and neither the device-tree compatible nor cpuinfo Hardware (${hardware ? `"${hardware}"` : 'absent'}) names a HiSilicon SoC`,
  };
}
