import type { AgentConfig } from '../config';
import { collectAndroid } from './android';
import { collectHisilicon } from './hisilicon';
import { collectLinux } from './linux';
import { detectPlatform } from './platform';
import type { Sysroot } from './sysroot';
import type { Collected } from './types';

export { detectPlatform, explainPlatform, type DevicePlatform } from './platform';
export { Sysroot } from './sysroot';
export type { Collected } from './types';

const COLLECTORS = { android: collectAndroid, 'hisilicon-dv300': collectHisilicon, linux: collectLinux };

/**
 * Reads this device's identity: the platform's own components, then the ones the device maker
 * declared in the config (under names of their own: a declaration never replaces a collected
 * component). Plain file reads only, nothing spawned: this runs on every boot.
 *
 * @example collect(new Sysroot('/'), config).readings.map((r) => r.name) // ['emmc.cid', 'net.mac.eth0', 'hisi.chip-id']
 */
export function collect(sys: Sysroot, config: AgentConfig): Collected {
  const collected = COLLECTORS[detectPlatform(sys)](sys);
  const declared = config.components.flatMap(({ name, file, spec }) => {
    const value = sys.value(file);
    return value ? [{ name, value, spec }] : [];
  });
  return { ...collected, readings: [...collected.readings, ...declared] };
}
