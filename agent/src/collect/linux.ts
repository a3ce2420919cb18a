import type { RawComponent } from '@seatlock/shared';
import { cpuinfo, fileReading, macAddresses } from './readers';
import type { Sysroot } from './sysroot';
import type { Collected } from './types';

/**
 * Generic Linux (development machines): the DMI product UUID and board serial (root-readable
 * only on most distributions), a real cpuinfo `Serial`, the machine-id (weak: it is copied with
 * disk images) and the MACs.
 */
export function collectLinux(sys: Sysroot): Collected {
  const serial = cpuinfo(sys).get('Serial');
  const readings: RawComponent[] = [
    ...fileReading(sys, 'system.uuid', 'sys/class/dmi/id/product_uuid'),
    ...fileReading(sys, 'board.serial', 'sys/class/dmi/id/board_serial'),
    ...(serial ? [{ name: 'soc.serial', value: serial }] : []),
    ...fileReading(sys, 'machine.id', 'etc/machine-id'),
    ...macAddresses(sys),
  ];
  const details: Record<string, string> = {};
  const product = sys.value('sys/class/dmi/id/product_name');
  if (product) details.model = product;
  return { platform: 'linux', readings, details };
}
