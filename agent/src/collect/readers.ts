import { macComponentName, type RawComponent } from '@seatlock/shared';
import type { Sysroot } from './sysroot';

/** Where the kernel exposes the flattened device tree; older kernels only have the first. */
const DEVICE_TREE_DIRS = ['proc/device-tree', 'sys/firmware/devicetree/base'];

/** A device-tree property as its NUL-separated strings (e.g. `compatible`), or an empty list. */
export function deviceTreeStrings(sys: Sysroot, property: string): string[] {
  for (const dir of DEVICE_TREE_DIRS) {
    const text = sys.text(`${dir}/${property}`);
    if (text !== undefined) return text.split('\0').map((s) => s.trim()).filter(Boolean);
  }
  return [];
}

/** The fields of /proc/cpuinfo's last block (`Hardware`, `Serial`, ...), keyed by name. */
export function cpuinfo(sys: Sysroot): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of (sys.text('proc/cpuinfo') ?? '').split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return fields;
}

/**
 * A boot parameter passed by the bootloader, from /proc/bootconfig (Android 12+) or
 * /proc/cmdline, e.g. `androidboot.serialno`.
 */
export function bootParameter(sys: Sysroot, name: string): string | undefined {
  for (const line of (sys.text('proc/bootconfig') ?? '').split('\n')) {
    const [key, ...rest] = line.split('=');
    if (key.trim() === name) return rest.join('=').trim().replace(/^"(.*)"$/, '$1');
  }
  for (const token of (sys.text('proc/cmdline') ?? '').split(/\s+/)) {
    if (token.startsWith(`${name}=`)) return token.slice(name.length + 1).replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

/**
 * The CID of the soldered eMMC, if any. Only cards of type `MMC` count: an SD card also has a
 * CID, but it moves from board to board.
 */
export function emmcCid(sys: Sysroot): RawComponent[] {
  const cardDirs = [
    ...sys.list('sys/block').filter((dev) => /^mmcblk\d+$/.test(dev)).map((dev) => `sys/block/${dev}/device`),
    ...sys.list('sys/class/mmc_host').flatMap((host) =>
      sys.list(`sys/class/mmc_host/${host}`).filter((card) => /^mmc\d+:/.test(card)).map((card) => `sys/class/mmc_host/${host}/${card}`),
    ),
  ];
  for (const dir of cardDirs) {
    const cid = sys.value(`${dir}/cid`);
    if (cid && sys.value(`${dir}/type`) === 'MMC') return [{ name: 'emmc.cid', value: cid }];
  }
  return [];
}

/** `addr_assign_type` 1: the kernel made the address up at random, so it names nothing. */
const RANDOM_ADDRESS = '1';

/**
 * MACs of physical network interfaces whose name passes `accept`. Loopback, virtual interfaces
 * (bridges, veth, tunnels) and random addresses are skipped; placeholders (Android's hidden
 * `02:00:00:00:00:00`, vendor defaults) are dropped later by the fingerprint builder.
 */
export function macAddresses(sys: Sysroot, accept: (iface: string) => boolean = () => true): RawComponent[] {
  const readings: RawComponent[] = [];
  for (const iface of sys.list('sys/class/net')) {
    if (iface === 'lo' || !accept(iface)) continue;
    if (sys.link(`sys/class/net/${iface}`)?.includes('/virtual/')) continue;
    if (sys.value(`sys/class/net/${iface}/addr_assign_type`) === RANDOM_ADDRESS) continue;
    const address = sys.value(`sys/class/net/${iface}/address`);
    if (address) readings.push({ name: macComponentName(iface), value: address });
  }
  return readings;
}

/** One reading from a file's first line, or nothing when the file is absent or empty. */
export function fileReading(sys: Sysroot, name: string, relative: string): RawComponent[] {
  const value = sys.value(relative);
  return value ? [{ name, value }] : [];
}
