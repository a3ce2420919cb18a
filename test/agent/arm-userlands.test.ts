import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { collectRun, DEV_AGENT, runAgent, storedLicenses, type AgentRun } from '../support/agent';
import { client } from '../support/http';
import { requiredInCi } from '../support/requirement';
import { approvedPool } from '../support/seatlock';
import { REPO_ROOT, startServer, type StartedServer } from '../support/server';
import {
  HOME_IN_DEVICE,
  newUserlandDevice,
  placeFile,
  removeUserlandDevice,
  runAgentInUserland,
  runInUserland,
  userlandsFromEnv,
  type Userland,
  type UserlandDevice,
} from '../support/userland';

// The release bundle on the devices' own userlands: Debian armhf and arm64 with the Node their
// packages ship (18 on bookworm, 20 on trixie), under QEMU user-mode emulation, against a server
// on the host. `.ci/arm-userlands` builds them and registers QEMU.
const userlands = requiredInCi(
  userlandsFromEnv(),
  'ARM userlands under QEMU',
  'run `.ci/arm-userlands` (root: installs QEMU and debootstrap, registers binfmt, builds the userlands) and set SEATLOCK_TEST_USERLANDS to the paths it prints',
);

// A DV300 (dual Cortex-A7) on armhf, an RK3568 Android board on arm64; and the files that make another board of the same model.
const BOARD: Record<string, { fixture: string; another: Record<string, string> }> = {
  'cortex-a7': {
    fixture: 'hi3516dv300-emmc',
    another: { 'sys/class/mmc_host/mmc0/mmc0:0001/cid': '9001004d4d4330384722a19c03d5e700\n', 'sys/class/net/eth0/address': '0c:ef:af:d1:9a:07\n' },
  },
  'cortex-a53': {
    fixture: 'android-rk3568',
    another: {
      'proc/cmdline': 'storagemedia=emmc androidboot.mode=normal androidboot.serialno=Z9Y8X7W6V5 console=ttyFIQ0 rootwait\n',
      'sys/devices/soc0/serial_number': '77c1e0f2a4b59d36\n',
      'sys/block/mmcblk0/device/cid': '150100434a5441345211d7e0c2f41a00\n',
      'sys/class/net/eth0/address': 'b8:27:eb:9c:02:7d\n',
    },
  },
};
const DAY = 86_400_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
// Every start is emulated, on a machine that may be shared: generous, never a measure of speed.
const EMULATED = 15 * 60_000;
const TIMING_RUNS = 3;
const timings: string[] = [];


describe.skipIf(!userlands)('release bundle on ARM userlands under QEMU', () => {
  let server: StartedServer;
  let work: string;
  let rootPath: string;
  let bundle: string;

  beforeAll(async () => {
    server = await startServer();
    work = mkdtempSync(join(tmpdir(), 'seatlock-arm-'));
    rootPath = join(work, 'root.pem');
    writeFileSync(rootPath, (await client(server.url).get('/v1/trust')).body.root);
    bundle = join(work, 'seatlock-agent.js');
    execFileSync(process.execPath, [join(REPO_ROOT, 'agent/scripts/bundle.mjs'), '--root', rootPath, '--out', bundle]);
  });

  afterAll(async () => {
    await server?.stop();
    if (timings.length > 0) console.log(`\nverify / node -e 0, medians of ${TIMING_RUNS} interleaved runs each:\n${timings.join('\n')}\n`);
  });

  // One test per userland, the userlands side by side: each start is emulated and slow, and
  // one emulated process keeps one core busy.
  it.concurrent.for(userlands ?? [])('$name: fingerprint, activate (online, offline), install, verify; 12 for a copy, 14 for a clock wound back', { timeout: EMULATED }, async (userland: Userland, { expect }) => {
    const board = BOARD[userland.qemuCpu];
    const devices: UserlandDevice[] = [];
    const newDevice = () => {
      const device = newUserlandDevice(userland, board.fixture, bundle);
      devices.push(device);
      return device;
    };
    try {
      const device = newDevice();
      const fingerprint = await runAgentInUserland(device, ['fingerprint', '--json']);
      expect(fingerprint, 'fingerprint').toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(fingerprint.stdout), 'fingerprint').toMatchObject({ supported: true, strong: true });

      const order = await approvedPool(server.url, server.adminToken);
      const activated = await runAgentInUserland(device, ['activate', '--server', server.url, '--code', order.activationCode]);
      expect(activated, 'online activation').toMatchObject({ code: 0, stdout: expect.stringMatching(/^activated: device /) });
      const verified = await runAgentInUserland(device, ['verify', '--json']);
      expect(verified, 'verify').toMatchObject({ code: 0 });
      expect(JSON.parse(verified.stdout), 'verify').toMatchObject({ valid: true, code: 0, license: { kind: 'perpetual' } });

      // The license copied onto another board of the same model.
      const other = newDevice();
      for (const [path, content] of Object.entries(board.another)) writeDeviceFile(other, path, content);
      const licenses = storedLicenses({ sysroot: device.root, home: join(device.root, HOME_IN_DEVICE) });
      expect(licenses, 'stored license').toHaveLength(1);
      const [license] = licenses;
      placeFile(license, other.root, '/tmp/copied.lic');
      expect((await runAgentInUserland(other, ['install', '/tmp/copied.lic'])).code, 'install of a copied license').toBe(12);

      // A trial activated offline, then the clock wound back.
      const trial = await approvedPool(server.url, server.adminToken, { trial: true });
      const trialDevice = newDevice();
      expect((await runAgentInUserland(trialDevice, ['request', '--code', trial.activationCode, '--out', '/tmp/request.txt'])).code, 'request').toBe(0);
      const answer = await client(server.url).post('/v1/activations/offline', readFileSync(join(trialDevice.root, 'tmp/request.txt'), 'utf8'));
      expect(answer.status, 'offline activation').toBe(201);
      writeDeviceFile(trialDevice, '/tmp/device.lic', answer.body);
      expect((await runAgentInUserland(trialDevice, ['install', '/tmp/device.lic'])).code, 'install').toBe(0);
      expect((await runAgentInUserland(trialDevice, ['verify'], inDays(10))).code, 'trial verify').toBe(0);
      const rolledBack = await runAgentInUserland(trialDevice, ['verify'], inDays(2));
      expect(rolledBack, 'clock wound back').toMatchObject({ code: 14, stderr: expect.stringMatching(/clock/) });

      // verify against a bare Node start, here and, for the same board's files, on the host.
      const version = (await runInUserland(device, ['/usr/bin/node', '--version'])).stdout.trim();
      const emulated = await ratio(
        () => runInUserland(device, ['/usr/bin/node', '-e', '0']),
        () => runAgentInUserland(device, ['verify']),
      );
      const host = await ratio(
        () => runHost(['-e', '0']),
        () => runAgent({ sysroot: device.root, home: join(device.root, HOME_IN_DEVICE) }, ['verify'], { trustRoot: rootPath, agent: DEV_AGENT }),
      );
      timings.push(`  ${userland.name} (Node ${version}, QEMU ${userland.qemuCpu}): ${emulated}`);
      timings.push(`  ${' '.repeat(userland.name.length)} ${process.arch} host, same board (Node ${process.version}): ${host}`);
    } finally {
      devices.forEach(removeUserlandDevice);
    }
  });
});

function writeDeviceFile(device: UserlandDevice, path: string, content: string): void {
  const file = join(mkdtempSync(join(tmpdir(), 'seatlock-board-file-')), 'file');
  writeFileSync(file, content);
  placeFile(file, device.root, path);
}

// Median wall times of `node -e 0` and of `verify` (which must answer 0), run alternately.
async function ratio(bare: () => Promise<AgentRun>, verify: () => Promise<AgentRun>): Promise<string> {
  const bareMs: number[] = [];
  const verifyMs: number[] = [];
  for (let run = 0; run < TIMING_RUNS; run++) {
    bareMs.push(await timed(bare));
    verifyMs.push(await timed(verify));
  }
  const [b, v] = [median(bareMs), median(verifyMs)];
  return `node -e 0 ${b.toFixed(0)} ms, verify ${v.toFixed(0)} ms, ratio ${(v / b).toFixed(2)}`;
}

async function timed(run: () => Promise<AgentRun>): Promise<number> {
  const start = performance.now();
  const result = await run();
  if (result.code !== 0) throw new Error(`exit ${result.code} while timing: ${result.stderr}`);
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function runHost(args: string[]): Promise<AgentRun> {
  return collectRun(spawn(process.execPath, args, { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] }));
}
