import { createHash } from 'node:crypto';
import type { RawComponent } from '@seatlock/shared';

/**
 * The raw hardware readings of the k-th device `bench:seed` makes: an eMMC CID, a SoC serial on
 * every other board, a MAC. The bench reads them back to search for a seeded device as support would.
 */
export function seededReadings(k: number): RawComponent[] {
  const serial = createHash('sha256').update(`seed-device-${k}`).digest('hex');
  return [
    { name: 'emmc.cid', value: `150100${serial.slice(0, 26)}` },
    ...(k % 2 === 0 ? [{ name: 'soc.serial', value: serial.slice(26, 42) }] : []),
    { name: 'net.mac.eth0', value: `02${serial.slice(42, 52)}` },
  ];
}
