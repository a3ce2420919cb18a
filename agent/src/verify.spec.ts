import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readDevice } from './device';
import type { AgentEnvironment } from './environment';
import { install } from './install';
import { deviceCopy, deviceEnv, testPki } from './spec-support';
import { LicenseStore } from './store';
import { verify } from './verify';

const DAY = 86_400_000;
let pki: ReturnType<typeof testPki>;

beforeAll(() => {
  pki = testPki();
});

afterEach(() => {
  vi.useRealTimers();
});

function at(iso: string | number): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
}

function android(): { env: AgentEnvironment; root: string } {
  const root = deviceCopy('android-rk3568');
  return { root, env: deviceEnv(root, pki.rootPath) };
}

describe('verify', () => {
  it('answers 10 when nothing is installed', async () => {
    const { env } = android();
    expect(await verify({ env })).toMatchObject({ valid: false, code: 10 });
  });

  it('answers 0 for an installed perpetual license, even with the clock at 1970', async () => {
    const { env } = android();
    await install(await pki.sign(readDevice(env).fingerprint), env);
    expect(await verify({ env })).toMatchObject({ valid: true, code: 0 });
    at(0);
    expect(await verify({ env, feature: 'face.liveness' })).toMatchObject({ valid: true, code: 0 });
  });

  it('answers 15 for a feature the product lacks and 16 for another platform', async () => {
    const { env } = android();
    const fingerprint = readDevice(env).fingerprint;
    await install(await pki.sign(fingerprint, { product: 'face-detection' }), env);
    expect(await verify({ env, feature: 'face.liveness' })).toMatchObject({ code: 15 });
    const copied = { ...env, home: join(env.home, 'copied') };
    new LicenseStore(copied.home).saveLicense('x', await pki.sign(fingerprint, { platform: 'hisilicon-dv300' }));
    expect(await verify({ env: copied })).toMatchObject({ code: 16 });
  });

  it('refuses to install a license for another device (12) or another platform (16)', async () => {
    const { env } = android();
    const other = deviceEnv(deviceCopy('hi3516dv300-emmc'), pki.rootPath);
    await expect(install(await pki.sign(readDevice(other).fingerprint), env)).rejects.toMatchObject({ code: 'LICENSE_REFUSED', exitCode: 12 });
    await expect(install(await pki.sign(readDevice(env).fingerprint, { platform: 'hisilicon-dv300' }), env)).rejects.toMatchObject({ exitCode: 16 });
    expect(new LicenseStore(env.home).licenses()).toEqual([]);
  });

  it('answers 11 for a license that does not chain to the trust root, or when there is no root', async () => {
    const { env } = android();
    new LicenseStore(env.home).saveLicense('foreign', await testPki().sign(readDevice(env).fingerprint));
    expect(await verify({ env })).toMatchObject({ code: 11 });
    expect(await verify({ env: { ...env, trustRootPath: undefined } })).toMatchObject({ code: 11, message: expect.stringMatching(/SEATLOCK_TRUST_ROOT/) });
  });

  it('runs a trial out by uptime even when the clock is held still', async () => {
    const { env, root } = android();
    at('2027-01-01T00:00:00Z');
    await install(await pki.sign(readDevice(env).fingerprint, { kind: 'trial' }), env);
    expect(await verify({ env })).toMatchObject({ code: 0 });
    writeFileSync(join(root, 'proc/uptime'), `${(61 * DAY) / 1000} 1.0\n`);
    writeFileSync(join(root, 'proc/sys/kernel/random/boot_id'), 'a-later-boot\n');
    expect(await verify({ env })).toMatchObject({ code: 13 });
  });

  it('answers 14 when the clock goes back, or when every copy of the clock record is edited or deleted', async () => {
    const { env } = android();
    at('2027-01-01T00:00:00Z');
    await install(await pki.sign(readDevice(env).fingerprint, { kind: 'trial' }), env);
    at('2027-01-20T00:00:00Z');
    expect(await verify({ env })).toMatchObject({ code: 0 });
    at('2027-01-10T00:00:00Z');
    expect(await verify({ env })).toMatchObject({ code: 14 });

    const [home, besideLicenses] = new LicenseStore(env.home).clockFiles();
    // One copy edited or deleted: the other still holds the high-water mark.
    writeFileSync(home, readFileSync(home, 'utf8').replace(/highWaterMs\\":\d+/, 'highWaterMs\\":0'));
    expect(await verify({ env })).toMatchObject({ code: 14 });
    rmSync(besideLicenses);
    expect(await verify({ env })).toMatchObject({ code: 14 });

    for (const file of [home, besideLicenses]) writeFileSync(file, readFileSync(file, 'utf8').replace(/highWaterMs\\":\d+/, 'highWaterMs\\":0'));
    expect(await verify({ env })).toMatchObject({ code: 14, message: expect.stringMatching(/missing or was altered/) });
    for (const file of [home, besideLicenses]) rmSync(file);
    at('2027-01-21T00:00:00Z');
    expect(await verify({ env })).toMatchObject({ code: 14 });
  });

  it('picks a valid perpetual license over a trial, and the trial while the perpetual lacks the feature', async () => {
    const { env } = android();
    const fingerprint = readDevice(env).fingerprint;
    await install(await pki.sign(fingerprint, { kind: 'trial', product: 'face-recognition' }), env);
    await install(await pki.sign(fingerprint, { kind: 'perpetual', product: 'face-detection' }), env);
    expect((await verify({ env })).license).toMatchObject({ kind: 'perpetual' });
    expect((await verify({ env, feature: 'face.search-1toN' })).license).toMatchObject({ kind: 'trial' });
  });

  it('explains a mismatch: which components matched and which are missing', async () => {
    const { env, root } = android();
    await install(await pki.sign(readDevice(env).fingerprint), env);
    writeFileSync(join(root, 'sys/class/net/eth0/address'), 'b8:27:eb:00:00:01\n');
    expect(await verify({ env })).toMatchObject({ code: 0, match: { missing: ['net.mac.eth0'] } });
    writeFileSync(join(root, 'proc/cmdline'), 'androidboot.serialno=OTHER0001\n');
    writeFileSync(join(root, 'sys/devices/soc0/serial_number'), 'ffee0011aabbccdd\n');
    writeFileSync(join(root, 'sys/block/mmcblk0/device/cid'), '150100434a5441345200000000000000\n');
    const result = await verify({ env });
    expect(result).toMatchObject({ code: 12, match: { matched: [] } });
    expect(result.match?.missing).toContain('emmc.cid');
  });
});
