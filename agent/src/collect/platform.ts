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
  if (ANDROID_BUILD_PROPS.some((file) => sys.exists(file))) return 'android';
  if (deviceTreeStrings(sys, 'compatible').some((s) => HISILICON.test(s))) return 'hisilicon-dv300';
  if (HISILICON.test(cpuinfo(sys).get('Hardware') ?? '')) return 'hisilicon-dv300';
  return 'linux';
}
