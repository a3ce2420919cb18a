import type { RawComponent } from '@seatlock/shared';
import { cpuinfo, deviceTreeStrings, emmcCid, macAddresses } from './readers';
import type { Sysroot } from './sysroot';
import type { Collected } from './types';

/**
 * HiSilicon DV300-class boards: the eMMC CID where there is one (many boot from SPI NAND), the
 * cpuinfo `Serial` (usually all zeros, which the fingerprint builder drops), the device-tree
 * serial number, and the MAC of the wired interface. A chip unique id comes from the config.
 */
export function collectHisilicon(sys: Sysroot): Collected {
  const cpu = cpuinfo(sys);
  const serial = cpu.get('Serial');
  const boardSerial = deviceTreeStrings(sys, 'serial-number')[0];
  const readings: RawComponent[] = [
    ...emmcCid(sys),
    ...(serial ? [{ name: 'soc.serial', value: serial }] : []),
    ...(boardSerial ? [{ name: 'board.serial', value: boardSerial }] : []),
    ...macAddresses(sys, (iface) => iface === 'eth0'),
  ];
  const details: Record<string, string> = {};
  const model = deviceTreeStrings(sys, 'model')[0];
  if (model) details.model = model;
  // Device-tree kernels report cpuinfo Hardware as "Generic DT based system"; the compatible string names the SoC.
  const soc = deviceTreeStrings(sys, 'compatible')[0] ?? cpu.get('Hardware');
  if (soc) details.soc = soc;
  return { platform: 'hisilicon-dv300', readings, details };
}
