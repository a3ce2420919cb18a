import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDevice, runAgent, setDeviceFile, storedLicenses, type TestDevice } from '../support/agent';
import { client } from '../support/http';
import { approvedPool } from '../support/seatlock';
import { startServer, type StartedServer } from '../support/server';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();

describe('agent: trials, offline activation and refusals', () => {
  let server: StartedServer;
  let rootPath: string;
  let work: string;
  const agent = (device: TestDevice, args: string[], now?: string) => runAgent(device, args, { trustRoot: rootPath, now });

  beforeAll(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), 'seatlock-agent-e2e-'));
    rootPath = join(work, 'root.pem');
    writeFileSync(rootPath, (await client(server.url).get('/v1/trust')).body.root);
  });

  afterAll(() => server?.stop());

  describe('a trial', () => {
    let code: string;
    beforeAll(async () => {
      ({ activationCode: code } = await approvedPool(server.url, server.adminToken, { product: 'face-liveness', modality: 'ir', trial: true }));
    });

    it('expires on the device with no network once the clock passes 60 days: exit 13', async () => {
      const device = newDevice('android-rk3568');
      expect((await agent(device, ['activate', '--server', server.url, '--code', code])).code).toBe(0);
      expect((await agent(device, ['verify', '--feature', 'face.liveness'], inDays(59))).code).toBe(0);
      const expired = await agent(device, ['verify', '--json'], inDays(61));
      expect(expired.code).toBe(13);
      expect(JSON.parse(expired.stdout)).toMatchObject({ valid: false, code: 13, license: { kind: 'trial' } });
    });

    it('catches a clock wound back below the high-water mark: exit 14', async () => {
      const device = newDevice('hi3516dv300-emmc');
      expect((await agent(device, ['activate', '--server', server.url, '--code', code])).code).toBe(0);
      expect((await agent(device, ['verify'], inDays(10))).code).toBe(0);
      const rolledBack = await agent(device, ['verify'], inDays(2));
      expect(rolledBack.code).toBe(14);
      expect(rolledBack.stderr).toMatch(/clock/);
      expect((await agent(device, ['verify'], inDays(11))).code).toBe(0);
    });

    it('runs out on uptime when the clock is held still: exit 13', async () => {
      const device = newDevice('hi3516dv300-nand');
      const frozen = inDays(0);
      expect((await agent(device, ['activate', '--server', server.url, '--code', code], frozen)).code).toBe(0);
      // 31 days of uptime in each of two boots, the wall clock never moving.
      const boot = (id: string) => {
        setDeviceFile(device, 'proc/sys/kernel/random/boot_id', `${id}\n`);
        setDeviceFile(device, 'proc/uptime', `${(31 * DAY) / 1000}.00 10.00\n`);
      };
      boot('1b3c5d7e-0000-4000-8000-000000000001');
      expect((await agent(device, ['verify'], frozen)).code).toBe(0);
      boot('1b3c5d7e-0000-4000-8000-000000000002');
      expect((await agent(device, ['verify'], frozen)).code).toBe(13);
    });
  });

  it('keeps a device running on its purchase after the trial it started with has expired', async () => {
    const trial = await approvedPool(server.url, server.adminToken, { product: 'face-recognition', modality: 'ir', trial: true });
    const order = await approvedPool(server.url, server.adminToken, { product: 'face-detection' });
    const device = newDevice('android-rk3568');
    expect((await agent(device, ['activate', '--server', server.url, '--code', trial.activationCode])).code).toBe(0);
    expect((await agent(device, ['activate', '--server', server.url, '--code', order.activationCode])).code).toBe(0);
    expect(storedLicenses(device)).toHaveLength(2);
    // While the trial runs it covers recognition, which the purchase lacks.
    expect((await agent(device, ['verify', '--feature', 'face.search-1toN'], inDays(30))).code).toBe(0);
    const later = await agent(device, ['verify', '--json'], inDays(90));
    expect(later.code).toBe(0);
    expect(JSON.parse(later.stdout).license).toMatchObject({ kind: 'perpetual', product: 'face-detection' });
    // Then the answer for recognition is the purchase's: in force, without that feature.
    expect((await agent(device, ['verify', '--feature', 'face.search-1toN'], inDays(91))).code).toBe(15);
  });

  it('activates offline: request → server → install → verify: exit 0', async () => {
    const { activationCode } = await approvedPool(server.url, server.adminToken, { product: 'face-recognition', modality: 'structured-light-3d' });
    const device = newDevice('hi3516dv300-nand');
    const requestFile = join(work, 'request.txt');
    expect((await agent(device, ['request', '--code', activationCode, '--out', requestFile])).code).toBe(0);
    expect(readFileSync(requestFile, 'utf8')).not.toContain('5c3e0218a7f64b90d2e1c4a8'); // the raw chip id stays on the board

    const answer = await client(server.url).post('/v1/activations/offline', readFileSync(requestFile, 'utf8'));
    expect(answer.status).toBe(201);
    const licenseFile = join(work, 'device.lic');
    writeFileSync(licenseFile, answer.body);
    expect((await agent(device, ['install', licenseFile])).code).toBe(0);
    expect((await agent(device, ['verify', '--feature', 'face.search-1toN'])).code).toBe(0);

    // The same file on another DV300 board is refused and nothing is stored.
    const other = newDevice('hi3516dv300-emmc');
    const refused = await agent(other, ['install', licenseFile]);
    expect(refused.code).toBe(12);
    expect(refused.stderr).toMatch(/another device/);
    expect(storedLicenses(other)).toEqual([]);
    expect((await agent(other, ['verify'])).code).toBe(10);
  });

  it('refuses a board whose only serial is zeros, naming what to provide, and uses no seat', async () => {
    const { activationCode, poolId } = await approvedPool(server.url, server.adminToken);
    const device = newDevice('hi3516dv300-zero-serial');
    const refused = await agent(device, ['activate', '--server', server.url, '--code', activationCode]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/WEAK_FINGERPRINT/);
    expect(refused.stderr).toMatch(/emmc\.cid/);
    expect(refused.stderr).toMatch(/declare a chip unique id in the agent config/);
    expect((await client(server.url, server.adminToken).get(`/v1/pools/${poolId}`)).body.seatsUsed).toBe(0);
  });

  it('is refused by the server as an unsupported platform on generic Linux', async () => {
    const { activationCode } = await approvedPool(server.url, server.adminToken);
    const device = newDevice('hi3516dv300-zero-serial');
    setDeviceFile(device, 'proc/cpuinfo', 'Hardware\t: BCM2835\nSerial\t\t: 10000000a3c5e2f1\n');
    const refused = await agent(device, ['activate', '--server', server.url, '--code', activationCode]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/UNSUPPORTED_PLATFORM/);
  });
});
