import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDevice, runAgent, setDeviceFile, storedLicenses, type TestDevice } from '../support/agent';
import { client } from '../support/http';
import { approvedPool } from '../support/seatlock';
import { startServer, type StartedServer } from '../support/server';

const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
/** The copies of the clock record the agent keeps in its home. */
const homeClock = (device: TestDevice) => join(device.home, 'clock.json');
const licensesClock = (device: TestDevice) => join(device.home, 'licenses', 'clock.json');

// The owner of a board tries to keep an expired trial running: clock, files and reinstalls are theirs.
describe('agent: an expired trial stays expired', () => {
  let server: StartedServer;
  let work: string;
  let rootPath: string;
  const agent = (device: TestDevice, args: string[], now?: string, env?: NodeJS.ProcessEnv) => runAgent(device, args, { trustRoot: rootPath, now, env });

  /** A board running a trial activated now, its license file kept aside as the owner would. */
  async function trialBoard(fixture = 'hi3516dv300-emmc', env?: NodeJS.ProcessEnv): Promise<{ device: TestDevice; license: string }> {
    const { activationCode } = await approvedPool(server.url, server.adminToken, { product: 'face-liveness', modality: 'ir', trial: true });
    const device = newDevice(fixture);
    expect((await agent(device, ['activate', '--server', server.url, '--code', activationCode], undefined, env)).code).toBe(0);
    const license = join(mkdtempSync(join(tmpdir(), 'seatlock-kept-')), 'trial.lic');
    copyFileSync(storedLicenses(device)[0], license);
    return { device, license };
  }

  beforeAll(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), 'seatlock-trial-reset-'));
    rootPath = join(work, 'root.pem');
    writeFileSync(rootPath, (await client(server.url).get('/v1/trust')).body.root);
  });

  afterAll(() => server?.stop());

  it('after expiry, clock set back + clock.json deleted + the same license installed again: refused (14)', async () => {
    const { device, license } = await trialBoard();
    expect((await agent(device, ['verify'], inDays(61))).code).toBe(13);
    rmSync(homeClock(device));
    const reinstalled = await agent(device, ['install', license], inDays(30));
    expect(reinstalled.code).toBe(14);
    expect((await agent(device, ['verify'], inDays(30))).code).toBe(14);
  });

  it('after expiry, every copy deleted and the license installed again: refused (13) unless the clock is set back near the issue date', async () => {
    const { device, license } = await trialBoard();
    expect((await agent(device, ['verify'], inDays(61))).code).toBe(13);
    rmSync(device.home, { recursive: true });
    const late = await agent(device, ['install', license], inDays(30));
    expect(late.code).toBe(13);
    expect(late.stderr).toMatch(/could be installed until .*7 days after its issue/);
    expect(storedLicenses(device)).toEqual([]);
    // What still works offline (see the security notes): wipe every copy and set the clock back
    // within 7 days of the issue.
    expect((await agent(device, ['install', license], inDays(3))).code).toBe(0);
  });

  it("keeps a copy in the device maker's state directory, which wiping the agent's home leaves", async () => {
    const config = join(work, 'maker-with-state.json');
    writeFileSync(config, JSON.stringify({ components: [], stateDirs: ['/persist/seatlock'] }));
    const env = { SEATLOCK_CONFIG: config };
    const { device, license } = await trialBoard('hi3516dv300-emmc', env);
    expect(readFileSync(join(device.sysroot, 'persist/seatlock/clock.json'), 'utf8')).toMatch(/"mac"/);
    expect((await agent(device, ['verify'], inDays(61), env)).code).toBe(13);
    rmSync(device.home, { recursive: true });
    expect((await agent(device, ['install', license], inDays(3), env)).code).toBe(14);
    expect(storedLicenses(device)).toEqual([]);
  });

  it('restoring an older sealed clock.json does not bring back time (14)', async () => {
    const { device } = await trialBoard();
    expect((await agent(device, ['verify'], inDays(1))).code).toBe(0);
    const dayOne = readFileSync(homeClock(device), 'utf8');
    expect((await agent(device, ['verify'], inDays(61))).code).toBe(13);
    writeFileSync(homeClock(device), dayOne);
    expect((await agent(device, ['verify'], inDays(2))).code).toBe(14);
    // The restored copy was outvoted and overwritten by the newer one.
    expect(readFileSync(homeClock(device), 'utf8')).toBe(readFileSync(licensesClock(device), 'utf8'));
  });

  it('counts uptime on across the deletion of one copy and a reinstall, the clock held still: 13', async () => {
    const frozen = inDays(0);
    const { device, license } = await trialBoard('hi3516dv300-nand');
    const boot = (id: string) => {
      setDeviceFile(device, 'proc/sys/kernel/random/boot_id', `${id}\n`);
      setDeviceFile(device, 'proc/uptime', `${(31 * DAY) / 1000}.00 10.00\n`);
    };
    boot('2c4d6e8f-0000-4000-8000-000000000001');
    expect((await agent(device, ['verify'], frozen)).code).toBe(0);
    rmSync(homeClock(device));
    expect((await agent(device, ['install', license], frozen)).code).toBe(0);
    boot('2c4d6e8f-0000-4000-8000-000000000002');
    expect((await agent(device, ['verify'], frozen)).code).toBe(13);
  });

  it('installs an offline answer within 7 days of its issue, not later', async () => {
    const { activationCode } = await approvedPool(server.url, server.adminToken, { product: 'face-liveness', modality: 'ir', trial: true });
    const answers: string[] = [];
    const boards = [newDevice('android-rk3568'), newDevice('hi3516dv300-emmc')];
    for (const [i, board] of boards.entries()) {
      const requestFile = join(work, `request-${i}.txt`);
      expect((await agent(board, ['request', '--code', activationCode, '--out', requestFile])).code).toBe(0);
      const answer = await client(server.url).post('/v1/activations/offline', readFileSync(requestFile, 'utf8'));
      expect(answer.status).toBe(201);
      answers.push(join(work, `answer-${i}.lic`));
      writeFileSync(answers[i], answer.body);
    }
    expect((await agent(boards[0], ['install', answers[0]], inDays(6))).code).toBe(0);
    expect((await agent(boards[0], ['verify'], inDays(6))).code).toBe(0);
    expect((await agent(boards[1], ['install', answers[1]], inDays(8))).code).toBe(13);
  });
});
