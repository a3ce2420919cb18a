import type { DevicePlatform } from './platform';

const EMMC = 'sys/block/mmcblk*/device/cid or sys/class/mmc_host/*/mmc*:*/cid (cards of type MMC only)';
const MACS = 'sys/class/net/*/address (physical interfaces, not random addresses)';

/**
 * Where each platform's collector looks for each component (paths under the sysroot), for the
 * support report. `net.mac.*` stands for one component per interface. Kept beside the collectors:
 * a collector that reads elsewhere changes this too.
 */
export const COMPONENT_SOURCES: Readonly<Record<DevicePlatform, Readonly<Record<string, string>>>> = {
  android: {
    'android.serial': 'androidboot.serialno in proc/bootconfig or proc/cmdline',
    'soc.serial': 'sys/devices/soc0/serial_number',
    'emmc.cid': EMMC,
    'net.mac.*': MACS,
  },
  'hisilicon-dv300': {
    'emmc.cid': EMMC,
    'soc.serial': 'Serial in proc/cpuinfo',
    'board.serial': 'serial-number in proc/device-tree or sys/firmware/devicetree/base',
    'net.mac.eth0': 'sys/class/net/eth0/address',
  },
  linux: {
    'system.uuid': 'sys/class/dmi/id/product_uuid',
    'board.serial': 'sys/class/dmi/id/board_serial',
    'soc.serial': 'Serial in proc/cpuinfo',
    'machine.id': 'etc/machine-id',
    'net.mac.*': MACS,
  },
};
