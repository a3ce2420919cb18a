import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readActivationRequest } from '@seatlock/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDevice, runAgent, setDeviceFile, storedLicenses, type TestDevice } from '../support/agent';
import { client } from '../support/http';
import { approvedPool } from '../support/seatlock';
import { startServer, type StartedServer } from '../support/server';

// Board A's own strong values (test/fixtures/devices/android-rk3568).
const A_SOC_SERIAL = '3a91f0c2d4e5b6a7';
const A_EMMC_CID = '150100434a544134520e8f2b61a3c400';
const CHIP_ID = { name: 'hisi.chip-id', file: '/var/run/hisi/chip-id', weight: 4, strong: true };

/** Another board of A's model: every serial of its own. */
function boardB(): TestDevice {
  const b = newDevice('android-rk3568');
  setDeviceFile(b, 'proc/cmdline', 'androidboot.serialno=Z9Y8X7W6V5\n');
  setDeviceFile(b, 'sys/devices/soc0/serial_number', '77c1e0f2a4b59d36\n');
  setDeviceFile(b, 'sys/block/mmcblk0/device/cid', '150100434a5441345211d7e0c2f41a00\n');
  return b;
}

describe('agent: components the device maker declares', () => {
  let server: StartedServer;
  let work: string;
  let rootPath: string;
  const agent = (device: TestDevice, args: string[], env?: NodeJS.ProcessEnv) => runAgent(device, args, { trustRoot: rootPath, env });
  const licenseOf = async (device: TestDevice, env?: NodeJS.ProcessEnv) => JSON.parse((await agent(device, ['verify', '--json'], env)).stdout);

  beforeAll(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), 'seatlock-declared-'));
    rootPath = join(work, 'root.pem');
    writeFileSync(rootPath, (await client(server.url).get('/v1/trust')).body.root);
  });

  afterAll(() => server?.stop());

  it("cannot make board B present board A's eMMC CID and SoC serial from a file", async () => {
    const { activationCode } = await approvedPool(server.url, server.adminToken);
    const boardA = newDevice('android-rk3568');
    expect((await agent(boardA, ['activate', '--server', server.url, '--code', activationCode])).code).toBe(0);
    const [licenseA] = storedLicenses(boardA);

    const b = boardB();
    mkdirSync(join(b.sysroot, 'data'), { recursive: true });
    setDeviceFile(b, 'data/cid', `${A_EMMC_CID}\n`);
    setDeviceFile(b, 'data/soc', `${A_SOC_SERIAL}\n`);
    const impersonation = JSON.stringify({
      components: [
        { name: 'emmc.cid', file: '/data/cid', weight: 4, strong: true },
        { name: 'soc.serial', file: '/data/soc', weight: 4, strong: true },
      ],
    });
    // The config file the agent used to read from its home is not read any more.
    mkdirSync(b.home, { recursive: true });
    writeFileSync(join(b.home, 'config.json'), impersonation);
    expect((await agent(b, ['install', licenseA])).code).toBe(12);
    // Named explicitly (development builds), it is refused for declaring collected components.
    const explicit = join(work, 'impersonation.json');
    writeFileSync(explicit, impersonation);
    const refused = await agent(b, ['install', licenseA], { SEATLOCK_CONFIG: explicit });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/"emmc\.cid" is a component the agent collects itself/);
    expect(storedLicenses(b)).toEqual([]);
  });

  it('records in the license which components were declared, online and offline', async () => {
    const { activationCode } = await approvedPool(server.url, server.adminToken, { quantity: 50 });
    const config = join(work, 'maker.json');
    writeFileSync(config, JSON.stringify({ components: [CHIP_ID] }));

    // Online: an eMMC board whose start-up script also writes the chip id.
    const emmc = newDevice('hi3516dv300-emmc');
    mkdirSync(join(emmc.sysroot, 'var/run/hisi'), { recursive: true });
    setDeviceFile(emmc, 'var/run/hisi/chip-id', '3516dv300-77aa01\n');
    expect((await agent(emmc, ['activate', '--server', server.url, '--code', activationCode], { SEATLOCK_CONFIG: config })).code).toBe(0);
    expect((await licenseOf(emmc, { SEATLOCK_CONFIG: config })).license.declared).toEqual(['hisi.chip-id']);

    // Offline: the request file carries the list.
    const nand = newDevice('hi3516dv300-nand');
    const requestFile = join(work, 'nand-request.txt');
    expect((await agent(nand, ['request', '--code', activationCode, '--out', requestFile])).code).toBe(0);
    expect(readActivationRequest(readFileSync(requestFile, 'utf8')).declared).toEqual(['hisi.chip-id']);
    const answer = await client(server.url).post('/v1/activations/offline', readFileSync(requestFile, 'utf8'));
    expect(answer.status).toBe(201);
    writeFileSync(join(work, 'nand.lic'), answer.body);
    expect((await agent(nand, ['install', join(work, 'nand.lic')])).code).toBe(0);
    expect((await licenseOf(nand)).license.declared).toEqual(['hisi.chip-id']);

    // A board with nothing declared says so.
    const android = newDevice('android-rk3568');
    expect((await agent(android, ['activate', '--server', server.url, '--code', activationCode])).code).toBe(0);
    expect((await licenseOf(android)).license.declared).toEqual([]);

    // A build that does not declare the chip id does not count it: the eMMC board keeps its
    // license on what it collects, and the board with nothing else loses it.
    const withoutChip = await licenseOf(emmc);
    expect(withoutChip).toMatchObject({ code: 0, match: { missing: ['hisi.chip-id'] } });
    const emptyConfig = join(work, 'empty.json');
    writeFileSync(emptyConfig, JSON.stringify({ components: [] }));
    expect((await agent(nand, ['verify'], { SEATLOCK_CONFIG: emptyConfig })).code).toBe(12);
  });

  it('refuses an activation whose declared list contradicts its fingerprint: 400, no seat', async () => {
    const { activationCode, poolId } = await approvedPool(server.url, server.adminToken);
    const nand = newDevice('hi3516dv300-nand');
    const requestFile = join(work, 'lying-request.txt');
    expect((await agent(nand, ['request', '--code', activationCode, '--out', requestFile])).code).toBe(0);
    const { platform, fingerprint } = readActivationRequest(readFileSync(requestFile, 'utf8'));
    const api = client(server.url);
    for (const declared of [[], ['hisi.chip-id', 'net.mac.eth0'], ['hisi.chip-id', 'emmc.cid']]) {
      const answer = await api.post('/v1/activations', { activationCode, platform, fingerprint, declared });
      expect(answer.status, JSON.stringify(declared)).toBe(400);
      expect(answer.body.error.code).toBe('INVALID_REQUEST');
    }
    expect((await client(server.url, server.adminToken).get(`/v1/pools/${poolId}`)).body.seatsUsed).toBe(0);
  });
});
