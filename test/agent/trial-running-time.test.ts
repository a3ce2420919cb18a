import type { ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRun, newDevice, readClockRecord, runAgent, setDeviceFile, startAgent, type TestDevice } from '../support/agent';
import { client } from '../support/http';
import { approvedPool } from '../support/seatlock';
import { startServer, type StartedServer } from '../support/server';

const DAY_S = 86_400;
/** The resident mode's interval for these tests (development builds only); a board uses 5 minutes. */
const WATCH = { SEATLOCK_WATCH_INTERVAL_MS: '20' };

/** Waits until the clock record holds `bootId` with at least `uptimeMs` of it counted. */
async function counted(device: TestDevice, bootId: string, uptimeMs: number): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 10) {
    const { state } = readClockRecord(device);
    if (state.bootId === bootId && state.bootUptimeMs >= uptimeMs) return;
    await sleep(10);
  }
  throw new Error(`the record never counted ${uptimeMs} ms of boot ${bootId}`);
}

/** The first verdict `verify --watch --json` prints. */
function firstVerdict(child: ChildProcessByStdio<null, Readable, Readable>): Promise<{ code: number }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\n');
      if (end < 0) return;
      child.stdout.off('data', onData);
      resolve(JSON.parse(text.slice(0, end)));
    };
    child.stdout.on('data', onData);
    child.once('close', () => reject(new Error(`the resident mode ended before a verdict: ${text}`)));
  });
}

// The owner holds the board's clock at the same instant at every boot and touches no file.
describe('agent: a trial counts the time the board runs, not only its boots', { timeout: 120_000 }, () => {
  let server: StartedServer;
  let rootPath: string;
  let activationCode: string;
  const dayOne = new Date(Date.now() + DAY_S * 1000).toISOString();

  beforeAll(async () => {
    server = await startServer();
    rootPath = join(mkdtempSync(join(tmpdir(), 'seatlock-running-time-')), 'root.pem');
    writeFileSync(rootPath, (await client(server.url).get('/v1/trust')).body.root);
    ({ activationCode } = await approvedPool(server.url, server.adminToken, { product: 'face-liveness', modality: 'ir', trial: true }));
  });

  afterAll(() => server?.stop());

  async function trialBoard(): Promise<TestDevice> {
    const device = newDevice('hi3516dv300-emmc');
    expect((await runAgent(device, ['activate', '--server', server.url, '--code', activationCode], { trustRoot: rootPath })).code).toBe(0);
    return device;
  }

  /** A new boot: a fresh boot id, `uptimeS` seconds since it. */
  function boot(device: TestDevice, n: number, uptimeS: number): string {
    const bootId = `2c4d6e8f-0000-4000-8000-${String(n).padStart(12, '0')}`;
    setDeviceFile(device, 'proc/sys/kernel/random/boot_id', `${bootId}\n`);
    setDeviceFile(device, 'proc/uptime', `${uptimeS}.00 10.00\n`);
    return bootId;
  }

  it('120 boots at day 1, each followed by a day under `verify --watch` cut off by power loss: 0 until 60 days have run, then 13', async () => {
    const device = await trialBoard();
    const codes: number[] = [];
    for (let n = 1; n <= 120; n++) {
      const bootId = boot(device, n, 30);
      // Where the verdict changes, the one-shot boot check too: boot 60 has counted 59 days and some minutes since the install, boot 61 past 60 days.
      if (n === 60 || n === 61) expect((await runAgent(device, ['verify'], { trustRoot: rootPath, now: dayOne })).code, `boot ${n}`).toBe(n === 60 ? 0 : 13);
      // The resident mode's first verdict is the boot check's.
      const resident = startAgent(device, ['verify', '--watch', '--json'], { trustRoot: rootPath, now: dayOne, env: WATCH });
      const ended = collectRun(resident);
      codes.push((await firstVerdict(resident)).code);
      // A day of running, then the power is cut: nothing is written at the end.
      setDeviceFile(device, 'proc/uptime', `${DAY_S + 30}.00 10.00\n`);
      await counted(device, bootId, (DAY_S + 30) * 1000);
      resident.kill('SIGKILL');
      await ended;
    }
    expect(codes.slice(0, 60)).toEqual(Array(60).fill(0));
    expect(codes.slice(60)).toEqual(Array(60).fill(13));
  });

  it('records the uptime of a clean shutdown when init stops it (SIGTERM), however long its interval', async () => {
    const device = await trialBoard();
    const bootId = boot(device, 1, 30);
    const resident = startAgent(device, ['verify', '--watch'], { trustRoot: rootPath, now: dayOne, env: { SEATLOCK_WATCH_INTERVAL_MS: String(3_600_000) } });
    const ended = collectRun(resident);
    await counted(device, bootId, 30_000);
    setDeviceFile(device, 'proc/uptime', '3000.00 10.00\n');
    resident.kill('SIGTERM');
    const run = await ended;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^valid: face-liveness \(trial, until /);
    expect(readClockRecord(device).state).toMatchObject({ bootId, bootUptimeMs: 3_000_000 });
  });
  it('what remains: with the resident mode stopped, a boot counts only its uptime at the boot check', async () => {
    const device = await trialBoard();
    const installed = readClockRecord(device).state.uptimeMs;
    for (let n = 1; n <= 3; n++) {
      boot(device, n, 30);
      expect((await runAgent(device, ['verify'], { trustRoot: rootPath, now: dayOne })).code).toBe(0);
      // A day runs after the check with nothing resident to see it.
      setDeviceFile(device, 'proc/uptime', `${DAY_S + 30}.00 10.00\n`);
    }
    expect(readClockRecord(device).state.uptimeMs - installed).toBe(3 * 30_000);
  });
});
