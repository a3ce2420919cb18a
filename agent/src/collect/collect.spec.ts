import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFingerprint } from '@seatlock/shared';
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG, parseConfig } from '../config';
import { deviceCopy, FIXTURES } from '../spec-support';
import { collect, detectPlatform, Sysroot } from './index';

const fixture = (name: string) => new Sysroot(join(FIXTURES, name));
const names = (sys: Sysroot, config = EMPTY_CONFIG) => collect(sys, config).readings.map((r) => r.name);
const value = (sys: Sysroot, name: string) => collect(sys, EMPTY_CONFIG).readings.find((r) => r.name === name)?.value;

function write(root: string, file: string, content: string): void {
  mkdirSync(join(root, file, '..'), { recursive: true });
  writeFileSync(join(root, file), content);
}

describe('platform detection', () => {
  it('tells Android by its build.prop and DV300 boards by device tree or cpuinfo', () => {
    expect(detectPlatform(fixture('android-rk3568'))).toBe('android');
    expect(detectPlatform(fixture('hi3516dv300-emmc'))).toBe('hisilicon-dv300'); // proc/device-tree
    expect(detectPlatform(fixture('hi3516dv300-nand'))).toBe('hisilicon-dv300'); // sys/firmware/devicetree/base
    expect(detectPlatform(fixture('hi3516dv300-zero-serial'))).toBe('hisilicon-dv300'); // cpuinfo Hardware
  });

  it('reports anything else as generic linux', () => {
    const root = deviceCopy('hi3516dv300-emmc');
    rmSync(join(root, 'proc/device-tree'), { recursive: true });
    expect(detectPlatform(new Sysroot(root))).toBe('linux');
    expect(detectPlatform(new Sysroot(join(root, 'nothing-here')))).toBe('linux');
  });
});

describe('Android collector', () => {
  const sys = fixture('android-rk3568');

  it('reads the bootloader serial, SoC serial, eMMC CID and MACs; an SD card does not count', () => {
    expect(names(sys)).toEqual(['android.serial', 'soc.serial', 'emmc.cid', 'net.mac.eth0', 'net.mac.wlan0']);
    expect(value(sys, 'android.serial')).toBe('A7K3Q9X2M4');
    expect(value(sys, 'emmc.cid')).toBe('150100434a544134520e8f2b61a3c400');
  });

  it('drops the hidden Wi-Fi MAC from the fingerprint', () => {
    const fp = buildFingerprint(collect(sys, EMPTY_CONFIG).readings);
    expect(Object.keys(fp.components)).not.toContain('net.mac.wlan0');
  });

  it('prefers /proc/bootconfig (Android 12+) to the kernel command line', () => {
    const root = deviceCopy('android-rk3568');
    write(root, 'proc/bootconfig', 'androidboot.hardware = "rk30board"\nandroidboot.serialno = "BC0NF1G5N"\n');
    expect(value(new Sysroot(root), 'android.serial')).toBe('BC0NF1G5N');
  });

  it('describes the model from the build properties without making it identity', () => {
    const collected = collect(sys, EMPTY_CONFIG);
    expect(collected.details).toMatchObject({ manufacturer: 'Acme Vision', model: 'FaceGate A12', board: 'rk30sdk' });
    expect(collected.readings.some((r) => r.value === 'FaceGate A12')).toBe(false);
  });
});

describe('HiSilicon collector', () => {
  it('reads the eMMC CID under mmc_host and the wired MAC; the zero cpuinfo serial is dropped', () => {
    const sys = fixture('hi3516dv300-emmc');
    expect(names(sys)).toEqual(['emmc.cid', 'soc.serial', 'net.mac.eth0']);
    const fp = buildFingerprint(collect(sys, EMPTY_CONFIG).readings);
    expect(Object.keys(fp.components)).toEqual(['emmc.cid', 'net.mac.eth0']);
  });

  it('takes a chip unique id declared in the config', () => {
    const sys = fixture('hi3516dv300-nand');
    const config = parseConfig(sys.text('etc/seatlock/agent.json')!, 'agent.json');
    const fp = buildFingerprint(collect(sys, config).readings);
    expect(fp.components['hisi.chip-id']).toMatchObject({ w: 4, s: true });
    expect(Object.keys(fp.components)).not.toContain('emmc.cid');
  });

  it('finds nothing strong on a board with a zero serial and a vendor-default MAC', () => {
    const fp = buildFingerprint(collect(fixture('hi3516dv300-zero-serial'), EMPTY_CONFIG).readings);
    expect(fp.components).toEqual({});
  });

  it('uses a real cpuinfo serial and the device-tree serial number', () => {
    const root = deviceCopy('hi3516dv300-emmc');
    write(root, 'proc/cpuinfo', 'Hardware\t: Hisilicon Hi3516DV300\nSerial\t\t: 8a31c0d2e4f51607\n');
    write(root, 'proc/device-tree/serial-number', 'SN-DV300-000417\0');
    const sys = new Sysroot(root);
    expect(value(sys, 'soc.serial')).toBe('8a31c0d2e4f51607');
    expect(value(sys, 'board.serial')).toBe('SN-DV300-000417');
  });

  it('only counts the wired interface', () => {
    const root = deviceCopy('hi3516dv300-emmc');
    write(root, 'sys/class/net/wlan0/address', '00:1a:2b:3c:4d:5e\n');
    expect(names(new Sysroot(root))).not.toContain('net.mac.wlan0');
  });
});

describe('generic Linux collector', () => {
  it('reads DMI, machine-id and MACs, skipping virtual and random-address interfaces', () => {
    const root = deviceCopy('hi3516dv300-zero-serial');
    rmSync(join(root, 'proc/cpuinfo'));
    write(root, 'sys/class/dmi/id/product_uuid', '4c4c4544-0042-3510-8052-b4c04f4e3332\n');
    write(root, 'sys/class/dmi/id/board_serial', 'To be filled by O.E.M.\n');
    write(root, 'etc/machine-id', '2f1c0c6a8b7d4e0f9a1b2c3d4e5f6071\n');
    write(root, 'devices/virtual/net/docker0/address', '02:42:ac:11:00:01\n');
    symlinkSync(join(root, 'devices/virtual/net/docker0'), join(root, 'sys/class/net/docker0'));
    write(root, 'sys/class/net/eth1/address', '3a:11:22:33:44:55\n');
    write(root, 'sys/class/net/eth1/addr_assign_type', '1\n');
    const sys = new Sysroot(root);
    expect(detectPlatform(sys)).toBe('linux');
    expect(names(sys)).toEqual(['system.uuid', 'board.serial', 'machine.id', 'net.mac.eth0']);
    const fp = buildFingerprint(collect(sys, EMPTY_CONFIG).readings);
    expect(Object.keys(fp.components)).toEqual(['system.uuid', 'machine.id']); // placeholder board serial and MAC dropped
  });
});

describe('declared components', () => {
  it('are read under their own names beside the collected ones; an absent file is an absent component', () => {
    const root = deviceCopy('android-rk3568');
    write(root, 'data/seatlock/android_id', '9774d56d682e549c\n');
    const config = parseConfig(
      JSON.stringify({
        components: [
          { name: 'vendor.android-id', file: 'data/seatlock/android_id', weight: 1, strong: false },
          { name: 'vendor.chip-id', file: 'missing', weight: 4, strong: true },
        ],
      }),
      'config',
    );
    const readings = collect(new Sysroot(root), config).readings;
    expect(readings.map((r) => r.name)).toEqual(['android.serial', 'soc.serial', 'emmc.cid', 'net.mac.eth0', 'net.mac.wlan0', 'vendor.android-id']);
    expect(readings.find((r) => r.name === 'vendor.android-id')?.value).toBe('9774d56d682e549c');
  });
});
