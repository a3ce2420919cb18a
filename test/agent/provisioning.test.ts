import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newDevice, runAgent, setDeviceFile, type TestDevice } from '../support/agent';
import { client } from '../support/http';
import { approvedPool } from '../support/seatlock';
import { startServer, type StartedServer } from '../support/server';

/** The Android fixture with identifiers of its own: board `n` of a production line. */
function lineBoard(n: number): TestDevice {
  const device = newDevice('android-rk3568');
  const hex = createHash('sha256').update(`line board ${n}`).digest('hex');
  setDeviceFile(device, 'proc/cmdline', `storagemedia=emmc androidboot.mode=normal androidboot.serialno=R${hex.slice(0, 9).toUpperCase()} console=ttyFIQ0 rootwait\n`);
  setDeviceFile(device, 'sys/devices/soc0/serial_number', `${hex.slice(9, 25)}\n`);
  setDeviceFile(device, 'sys/block/mmcblk0/device/cid', `15010043${hex.slice(25, 49)}\n`);
  setDeviceFile(device, 'sys/class/net/eth0/address', `b8:27:eb:${hex.slice(49, 51)}:${hex.slice(51, 53)}:${hex.slice(53, 55)}\n`);
  return device;
}

/** Runs `run` on every item, `limit` at a time (each is a Node process). */
async function inParallel<T, R>(items: readonly T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await run(items[i]);
      }
    }),
  );
  return results;
}

/**
 * A TCP relay to the server that cuts the first connection once `cutAfter` bytes of its answer
 * have passed: a factory link dropping mid-answer.
 */
function flakyRelay(target: URL, cutAfter: number): Promise<{ url: string; cuts: () => number; close: () => void }> {
  let cuts = 0;
  let cutNext = true;
  const relay: Server = createServer((downstream) => {
    const upstream = connect(Number(target.port), target.hostname);
    downstream.pipe(upstream);
    downstream.on('error', () => upstream.destroy());
    upstream.on('error', () => downstream.destroy());
    if (!cutNext) {
      upstream.pipe(downstream);
      return;
    }
    cutNext = false;
    let passed = 0;
    upstream.on('data', (chunk: Buffer) => {
      if (passed + chunk.length < cutAfter) {
        passed += chunk.length;
        downstream.write(chunk);
        return;
      }
      downstream.write(chunk.subarray(0, cutAfter - passed));
      passed = cutAfter;
      cuts++;
      downstream.destroy();
      upstream.destroy();
    });
  });
  return new Promise((resolve) =>
    relay.listen(0, '127.0.0.1', () => {
      const { port } = relay.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${port}`, cuts: () => cuts, close: () => relay.close() });
    }),
  );
}

describe('factory provisioning: request files of a line, one batch, one license bundle', () => {
  let server: StartedServer;
  let work: string;
  let rootPath: string;
  let boards: TestDevice[];
  const agent = (device: TestDevice, args: string[]) => runAgent(device, args, { trustRoot: rootPath });
  const seatsUsed = async (poolId: string) => (await client(server.url, server.adminToken).get(`/v1/pools/${poolId}`)).body.seatsUsed as number;

  /** Each board writes its request into `dir`; answers each board's file path. */
  async function collectRequests(code: string, dir: string, devices: TestDevice[]): Promise<string[]> {
    mkdirSync(dir, { recursive: true });
    return inParallel(devices, 4, async (device) => {
      const written = await agent(device, ['request', '--code', code, '--out', dir]);
      expect(written.code, written.stderr).toBe(0);
      return written.stdout.match(/written to (\S+)/)![1];
    });
  }

  beforeAll(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), 'seatlock-provisioning-'));
    rootPath = join(work, 'root.pem');
    writeFileSync(rootPath, (await client(server.url).get('/v1/trust')).body.root);
    boards = Array.from({ length: 120 }, (_, n) => lineBoard(n));
  });

  afterAll(() => server?.stop());

  it('120 boards on a 100-seat pool: 100 licenses in the bundle, 20 SEATS_EXHAUSTED in the report, exit 1; again: 100 existing, no new seat; boards install their own license from the bundle', async () => {
    const { activationCode, poolId } = await approvedPool(server.url, server.adminToken, { quantity: 100 });
    const line = join(work, 'line');
    const files = await collectRequests(activationCode, line, boards);
    expect(new Set(files).size).toBe(120);
    expect(readdirSync(line)).toHaveLength(120);
    // The same board writes the same file name again.
    expect(await collectRequests(activationCode, line, [boards[0]])).toEqual([files[0]]);

    const bundle = join(work, 'line.bundle');
    const report = join(work, 'report.json');
    const first = await agent(boards[0], ['provision', '--server', server.url, '--in', line, '--out', bundle, '--report', report, '--chunk', '50']);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toContain('provisioned 120 request(s): created 100, existing 0, refused 20 (SEATS_EXHAUSTED 20)');
    expect(first.stdout).toContain('(100 license(s))');
    // Not a terminal: plain progress lines, one per chunk.
    expect(first.stderr.match(/^provision: \d+\/120 .* \d+\/s$/gm)).toHaveLength(3);
    const { devices } = JSON.parse(readFileSync(report, 'utf8')) as { devices: { file: string; outcome: string; code?: string }[] };
    expect(devices.filter((d) => d.outcome === 'created')).toHaveLength(100);
    expect(devices.filter((d) => d.code === 'SEATS_EXHAUSTED')).toHaveLength(20);
    // Seats in file order across chunks sent while the one before was still answered: the last 20 files are refused.
    expect(devices.map((d) => d.outcome)).toEqual([...Array(100).fill('created'), ...Array(20).fill('refused')]);
    expect(readFileSync(bundle, 'utf8').match(/BEGIN SEATLOCK LICENSE-----/g)).toHaveLength(100);
    expect(await seatsUsed(poolId)).toBe(100);

    const again = await agent(boards[0], ['provision', '--server', server.url, '--in', line, '--out', join(work, 'again.bundle'), '--report', join(work, 'again.csv')]);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('created 0, existing 100, refused 20 (SEATS_EXHAUSTED 20)');
    const csv = readFileSync(join(work, 'again.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('file,outcome,deviceId,code,message');
    expect(csv.filter((row) => row.includes(',refused,,SEATS_EXHAUSTED,'))).toHaveLength(20);
    expect(await seatsUsed(poolId)).toBe(100);

    const outcomeOf = (board: number) => devices.find((d) => join(line, d.file) === files[board])!.outcome;
    const licensed = boards.findIndex((_, n) => outcomeOf(n) === 'created');
    const refused = boards.findIndex((_, n) => outcomeOf(n) === 'refused');
    const installed = await agent(boards[licensed], ['install', bundle]);
    expect(installed.code, installed.stderr).toBe(0);
    expect((await agent(boards[licensed], ['verify'])).code).toBe(0);
    const notInBundle = await agent(boards[refused], ['install', bundle]);
    expect(notInBundle.code).toBe(12);
    expect(notInBundle.stderr).toContain('the bundle holds no license for this device');
    expect((await agent(newDevice('hi3516dv300-emmc'), ['install', bundle])).code).toBe(12);
  });

  it('a batch whose connection drops mid-answer is sent again and ends with exactly one seat per device', async () => {
    const { activationCode, poolId } = await approvedPool(server.url, server.adminToken, { quantity: 60 });
    const line = join(work, 'flaky-line');
    await collectRequests(activationCode, line, boards.slice(0, 30));
    const relay = await flakyRelay(new URL(server.url), 3000);
    try {
      const run = await agent(boards[0], ['provision', '--server', relay.url, '--in', line, '--out', join(work, 'flaky.bundle'), '--chunk', '10']);
      expect(run.code, run.stderr).toBe(0);
      expect(relay.cuts()).toBe(1);
      expect(run.stderr).toMatch(/answer lost .* sending the same batch again/);
      // The cut batch was bound before its answer was lost: sent again, its devices answer existing.
      expect(run.stdout).toContain('provisioned 30 request(s): created 20, existing 10, refused 0');
      expect(readFileSync(join(work, 'flaky.bundle'), 'utf8').match(/BEGIN SEATLOCK LICENSE-----/g)).toHaveLength(30);
      expect(await seatsUsed(poolId)).toBe(30);
    } finally {
      relay.close();
    }
  });
});
