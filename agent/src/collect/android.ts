import type { RawComponent } from '@seatlock/shared';
import { ANDROID_BUILD_PROPS } from './platform';
import { bootParameter, emmcCid, fileReading, macAddresses } from './readers';
import type { Sysroot } from './sysroot';
import type { Collected } from './types';

function buildProperties(sys: Sysroot): Map<string, string> {
  const props = new Map<string, string>();
  for (const file of ANDROID_BUILD_PROPS) {
    for (const line of (sys.text(file) ?? '').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith('#') && !props.has(line.slice(0, eq).trim())) props.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
    }
  }
  return props;
}

/**
 * Android: the factory serial the bootloader passes (`androidboot.serialno`), the SoC serial,
 * the eMMC CID and the MACs. Model and board come from the build properties, for display only:
 * every unit of a model shares them.
 */
export function collectAndroid(sys: Sysroot): Collected {
  const serialno = bootParameter(sys, 'androidboot.serialno');
  const readings: RawComponent[] = [
    ...(serialno ? [{ name: 'android.serial', value: serialno }] : []),
    ...fileReading(sys, 'soc.serial', 'sys/devices/soc0/serial_number'),
    ...emmcCid(sys),
    ...macAddresses(sys),
  ];
  const props = buildProperties(sys);
  const details: Record<string, string> = {};
  for (const [key, prop] of [['manufacturer', 'ro.product.manufacturer'], ['model', 'ro.product.model'], ['board', 'ro.product.board'], ['release', 'ro.build.version.release']]) {
    const value = props.get(prop) ?? props.get(prop.replace('ro.product.', 'ro.product.vendor.'));
    if (value) details[key] = value;
  }
  return { platform: 'android', readings, details };
}
