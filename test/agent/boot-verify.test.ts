import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRootCa } from '@seatlock/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleAgent, cloneDevice, collectRun, newDevice, readLicense, runAgent, setDeviceFile, startAgent, storedLicenses, type TestDevice } from '../support/agent';
import { client } from '../support/http';
import { approvedPool } from '../support/seatlock';
import { startServer, type StartedServer } from '../support/server';

// Activate real devices against a real server, stop the server, then boot-check them offline.
describe('agent: activation, then verification with the server stopped', () => {
  let server: StartedServer;
  let rootPath: string;
  const devices: Record<string, TestDevice> = {};
  const verify = (device: TestDevice, args: string[] = [], now?: string) => runAgent(device, ['verify', ...args], { trustRoot: rootPath, now });

  beforeAll(async () => {
    server = await startServer();
    const trust = await client(server.url).get('/v1/trust');
    rootPath = join(mkdtempSync(join(tmpdir(), 'seatlock-trust-')), 'root.pem');
    writeFileSync(rootPath, trust.body.root);
    const { activationCode } = await approvedPool(server.url, server.adminToken, { product: 'face-detection' });
    for (const fixture of ['android-rk3568', 'hi3516dv300-emmc', 'hi3516dv300-nand']) {
      devices[fixture] = newDevice(fixture);
      const activated = await runAgent(devices[fixture], ['activate', '--server', server.url, '--code', activationCode], { trustRoot: rootPath });
      expect(activated, fixture).toMatchObject({ code: 0, stdout: expect.stringMatching(/^activated: device /) });
    }
    await server.stop();
  });

  afterAll(() => server?.stop());

  it.each(['android-rk3568', 'hi3516dv300-emmc', 'hi3516dv300-nand'])('%s verifies offline: exit 0', async (fixture) => {
    const result = await verify(devices[fixture], ['--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: true, code: 0, license: { kind: 'perpetual', product: 'face-detection' }, match: { score: 1, missing: [] } });
  });

  it('refuses a license copied into another device tree: exit 12, naming what does not match', async () => {
    const other = newDevice('android-rk3568');
    setDeviceFile(other, 'proc/cmdline', 'androidboot.serialno=Z9Y8X7W6V5\n');
    setDeviceFile(other, 'sys/devices/soc0/serial_number', '77c1e0f2a4b59d36\n');
    setDeviceFile(other, 'sys/block/mmcblk0/device/cid', '150100434a5441345211d7e0c2f41a00\n');
    setDeviceFile(other, 'sys/class/net/eth0/address', 'b8:27:eb:9c:02:7d\n');
    const [license] = storedLicenses(devices['android-rk3568']);
    const installed = await runAgent(other, ['install', license], { trustRoot: rootPath });
    expect(installed.code).toBe(12);
    // Copying the agent's whole home in by hand does not help either.
    const copy = { ...other, home: cloneDevice(devices['android-rk3568']).home };
    const result = await verify(copy, ['--json']);
    expect(result.code).toBe(12);
    expect(JSON.parse(result.stdout).match).toMatchObject({ matched: [], missing: ['android.serial', 'soc.serial', 'emmc.cid', 'net.mac.eth0'] });
  });

  it('keeps the license when a weak component changes (a new NIC): exit 0', async () => {
    const device = cloneDevice(devices['hi3516dv300-emmc']);
    setDeviceFile(device, 'sys/class/net/eth0/address', '0c:ef:af:00:77:12\n');
    const result = await verify(device, ['--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).match).toMatchObject({ matched: ['emmc.cid'], missing: ['net.mac.eth0'] });
  });

  it('answers 11 for a stored license with one byte flipped', async () => {
    const device = cloneDevice(devices['hi3516dv300-nand']);
    const [file] = storedLicenses(device);
    const text = readLicense(file);
    const at = text.indexOf('.', text.indexOf('.') + 1) + 20; // inside the signature
    writeFileSync(file, text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1));
    expect((await verify(device)).code).toBe(11);
  });

  it('verifies a perpetual license on a board that booted at 1970: exit 0', async () => {
    expect(await verify(devices['hi3516dv300-nand'], [], '1970-01-01T00:00:07Z')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^valid: face-detection \(perpetual\)/) });
  });

  it('answers 15 for a feature the product does not include, 0 for one it does', async () => {
    const device = devices['android-rk3568'];
    expect((await verify(device, ['--feature', 'face.liveness'])).code).toBe(15);
    expect((await verify(device, ['--feature', 'face.tracking'])).code).toBe(0);
  });

  it('gives its verdict as the exit code to a caller that does not read the output (a closed pipe): 0, and 12 on another board', async () => {
    const other = cloneDevice(devices['android-rk3568']);
    setDeviceFile(other, 'sys/block/mmcblk0/device/cid', '150100434a5441345211d7e0c2f41a00\n');
    setDeviceFile(other, 'proc/cmdline', 'androidboot.serialno=Z9Y8X7W6V5\n');
    setDeviceFile(other, 'sys/devices/soc0/serial_number', '77c1e0f2a4b59d36\n');
    for (const [device, code] of [[devices['android-rk3568'], 0], [other, 12]] as const) {
      const child = startAgent(device, ['verify'], { trustRoot: rootPath });
      // Closed long before the agent has started Node and has a verdict to write.
      child.stdout.destroy();
      const run = await collectRun(child);
      expect(run.code, run.stderr).toBe(code);
      expect(run.stderr).not.toMatch(/EPIPE|Error/);
    }
  });

  it('a bundle with an embedded root ignores SEATLOCK_TRUST_ROOT', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seatlock-bundle-'));
    const otherRoot = join(dir, 'other-root.pem');
    writeFileSync(otherRoot, createRootCa({ commonName: 'Someone Else' }).certificatePem);

    // Development builds with a root embedded, so that they read the fixture tree.
    const genuine = join(dir, 'genuine-agent.js');
    expect(bundleAgent(genuine, { root: rootPath, dev: true })).toMatch(/KiB, development build .*, root certificate embedded/);
    const device = devices['hi3516dv300-emmc'];
    expect((await runAgent(device, ['verify'], { agent: genuine, trustRoot: otherRoot })).code).toBe(0);
    expect((await runAgent(device, ['verify'], { agent: genuine })).code).toBe(0);

    // Embedded with a foreign root, the genuine root passed at run time cannot rescue it.
    const foreign = join(dir, 'foreign-agent.js');
    bundleAgent(foreign, { root: otherRoot, dev: true });
    expect((await runAgent(device, ['verify'], { agent: foreign, trustRoot: rootPath })).code).toBe(11);

    // The release build: one file that needs only Node's own modules, and none that spawns processes.
    const release = join(dir, 'seatlock-agent.js');
    expect(bundleAgent(release, { root: rootPath })).toMatch(/KiB, release build \(reads the real \/ only\), root certificate embedded/);
    // The command line is in the file as a string literal the launcher compiles: its quotes may come escaped.
    const required = new Set([...readFileSync(release, 'utf8').matchAll(/require\(\\?"([^"\\]+)\\?"\)/g)].map((match) => match[1]));
    expect([...required].sort()).toEqual(['node:crypto', 'node:fs', 'node:module', 'node:path', 'node:util', 'node:vm']);
  });
});
