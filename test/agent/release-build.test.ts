import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRootCa } from '@seatlock/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleAgent, cloneDevice, newDevice, runAgent, setDeviceFile, storedLicenses, type TestDevice } from '../support/agent';
import { client } from '../support/http';
import { approvedPool } from '../support/seatlock';
import { startServer, type StartedServer } from '../support/server';

const config = (components: object[]) => JSON.stringify({ components });

// The attacker owns the machine the release bundle runs on and sets its environment.
describe('agent: a release bundle reads the real device only', () => {
  let server: StartedServer;
  let work: string;
  let rootPath: string;
  let release: string;
  let boardA: TestDevice;
  let licenseA: string;
  const fingerprintOf = async (device: TestDevice, options: Parameters<typeof runAgent>[2]) => JSON.parse((await runAgent(device, ['fingerprint', '--json'], options)).stdout);

  beforeAll(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), 'seatlock-release-'));
    rootPath = join(work, 'root.pem');
    writeFileSync(rootPath, (await client(server.url).get('/v1/trust')).body.root);
    const { activationCode } = await approvedPool(server.url, server.adminToken);
    boardA = newDevice('android-rk3568');
    expect((await runAgent(boardA, ['activate', '--server', server.url, '--code', activationCode], { trustRoot: rootPath })).code).toBe(0);
    [licenseA] = storedLicenses(boardA);
    // The device maker's declaration, embedded at bundle time: a value every Linux machine has.
    const makerConfig = join(work, 'maker.json');
    writeFileSync(makerConfig, config([{ name: 'maker.kernel-release', file: '/proc/sys/kernel/osrelease', weight: 1, strong: false }]));
    release = join(work, 'seatlock-agent.js');
    expect(bundleAgent(release, { root: rootPath, config: makerConfig })).toMatch(/release build .*device maker config embedded/);
  });

  afterAll(() => server?.stop());

  it("does not install board A's license elsewhere through SEATLOCK_SYSROOT pointing at a copy of A's tree", async () => {
    const copyOfA = { ...cloneDevice(boardA), home: join(work, 'elsewhere-home') };
    // A development build follows SEATLOCK_SYSROOT: that is what tests and the attack use.
    expect((await runAgent({ ...copyOfA, home: join(work, 'dev-home') }, ['install', licenseA], { trustRoot: rootPath })).code).toBe(0);

    const installed = await runAgent(copyOfA, ['install', licenseA], { agent: release });
    // This machine is not board A (nor an Android board at all): platform or device mismatch.
    expect([12, 16]).toContain(installed.code);
    expect(storedLicenses(copyOfA)).toEqual([]);
    const seen = await fingerprintOf(copyOfA, { agent: release });
    expect(seen.platform).not.toBe('android');
    expect(Object.keys(seen.fingerprint.components)).not.toContain('emmc.cid');

    // Nor does A's whole home copied in with the tree.
    const withHome = cloneDevice(boardA);
    const verified = await runAgent(withHome, ['verify'], { agent: release });
    expect([12, 16]).toContain(verified.code);
  });

  it('declares only the embedded components, whatever SEATLOCK_CONFIG or a config.json in its home say', async () => {
    const device = newDevice('android-rk3568');
    // The file the owner's declarations read exists on this machine and in the device tree alike.
    setDeviceFile(device, 'proc/version', 'Linux version 4.19.111 (builder@factory)\n');
    const owners = join(work, 'owner.json');
    writeFileSync(owners, config([{ name: 'owner.chip-id', file: '/proc/version', weight: 4, strong: true }]));
    mkdirSync(device.home, { recursive: true });
    writeFileSync(join(device.home, 'config.json'), config([{ name: 'owner.serial', file: '/proc/version', weight: 4, strong: true }]));
    const env = { SEATLOCK_CONFIG: owners };

    const seen = Object.keys((await fingerprintOf(device, { agent: release, env })).fingerprint.components);
    expect(seen).toContain('maker.kernel-release');
    expect(seen).not.toContain('owner.chip-id');
    expect(seen).not.toContain('owner.serial');
    // Nor can the build embed a declaration of a collected component.
    const impersonating = join(work, 'impersonating.json');
    writeFileSync(impersonating, config([{ name: 'emmc.cid', file: '/proc/version', weight: 4, strong: true }]));
    expect(() => bundleAgent(join(work, 'refused-agent.js'), { root: rootPath, config: impersonating })).toThrow(/"emmc\.cid" is a component the agent collects itself/);
    // A development build reads SEATLOCK_CONFIG instead, and never the home's config.json.
    const dev = Object.keys((await fingerprintOf(device, { env })).fingerprint.components);
    expect(dev).toContain('owner.chip-id');
    expect(dev).not.toContain('owner.serial');
  });

  it('trusts its embedded root only, never SEATLOCK_TRUST_ROOT', async () => {
    const device = newDevice('android-rk3568');
    const ownRoot = join(work, 'own-root.pem');
    writeFileSync(ownRoot, createRootCa({ commonName: 'Owner Root' }).certificatePem);
    const ownAgent = join(work, 'own-root-agent.js');
    bundleAgent(ownAgent, { root: ownRoot });
    // The signature is checked before the device: the genuine root at run time does not make A's license trusted.
    expect((await runAgent(device, ['install', licenseA], { agent: ownAgent, trustRoot: rootPath })).code).toBe(11);
    expect([12, 16]).toContain((await runAgent(device, ['install', licenseA], { agent: release, trustRoot: ownRoot })).code);
  });
});
