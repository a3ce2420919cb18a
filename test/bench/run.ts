import { execFileSync, spawn } from 'node:child_process';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { buildFingerprint, createIssuingCertificate, createRootCa, DEFAULT_LICENSE_ALG, getProduct, signLicense, toLicensedFingerprint, writeActivationRequest, type LicenseClaims } from '@seatlock/shared';
import { agentEnvironment, BundleWriter, readDevice } from '@seatlock/agent';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { createTestDatabase } from '../support/postgres';
import { REPO_ROOT, type StartedServer, startServer } from '../support/server';
import { armhfNativeTimes } from '../support/armhf-native-speed';
import { interleavedScript, interleavedTimes } from '../support/interleaved';
import { userlandsFromEnv } from '../support/userland';
import { processThreadsCpu } from './cpu';
import { median, ps256SignRate, sqliteDurableCommitRate } from './limits';
import type { LoadResult } from './load';
import { type CpuShare, postgresPace } from './postgres-pace';
import { EXPORT_HEAP_MIB, OVERVIEW_GOAL_MS, type OverviewProbe, PROBE_RATE, type ScaleFigures, scaleFigures } from './scale';

/**
 * `npm run bench`: the limits of this machine and Seatlock's figures, measured in one run and
 * reported as ratios (the machine is shared and noisy). `--smoke` runs every step briefly.
 * PostgreSQL is measured too when DATABASE_URL names a server (a database is made and dropped).
 */
const smoke = process.argv.includes('--smoke');
const seconds = (full: number) => (smoke ? 1 : full);
const CONNECTIONS = 32;
const BOOT_RUNS = smoke ? 3 : 21;
/** Runs of the armhf native check under QEMU, where Node's start takes seconds. */
const ARMHF_RUNS = 11;
const BUNDLE_BUDGET = 1.5 * 1024 * 1024;
/** Distinct new devices a run can use: more than it can activate in its time. */
const NEW_DEVICES = smoke ? 20_000 : 1_000_000;
/** Devices of the factory batch run (`seatlock-agent provision` against the server). */
const BATCH_DEVICES = smoke ? 300 : 10_000;
/** Licenses in the bundle a board installs its own from. */
const BUNDLE_LICENSES = 20_000;
const DEV_AGENT = join(REPO_ROOT, 'agent/dist/seatlock-agent.dev.js');
/** Devices in the seeded database (`--seeded-devices N`; 3 audit events each). */
const SEEDED_DEVICES = (() => {
  const at = process.argv.indexOf('--seeded-devices');
  return at > 0 ? Number(process.argv[at + 1]) : smoke ? 2_000 : 1_000_000;
})();

/** Rounds of SQLite, one and two PostgreSQL instances in turn (postgres-pace.ts): enough for a spread. */
const PACE_ROUNDS = 3;

/** `--reuse-seed`: seed the database at size once and copy it for later runs (see scale.ts). */
const REUSE_SEED = process.argv.includes('--reuse-seed');
/** The activation servers' SEATLOCK_METRICS_TOKEN: the activation writer's histograms are read from their /metrics. */
const METRICS_TOKEN = `bench-metrics-${randomBytes(12).toString('hex')}`;

const log = (line: string) => console.error(`bench: ${line}`);

function runLoad(options: { url: string; activationCode: string; durationSeconds: number; devices: number; seed: string; rate?: number }): Promise<LoadResult> {
  return spawnLoad(options);
}

/** The same server's `GET /healthz` rate over as many connections: the HTTP ceiling an activation is compared with. */
function healthzRate(url: string, durationSeconds: number): Promise<LoadResult> {
  return spawnLoad({ url, durationSeconds, get: '/healthz' });
}

function spawnLoad(options: object): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'load.js'), JSON.stringify({ connections: CONNECTIONS, ...options })], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load process exited ${code}`))));
  });
}

/**
 * New devices against a large pool, then re-activation of devices already bound, then new devices
 * arriving open-loop at half the rate the first run reached (the goal's load) and at a quarter
 * (where the two cores are less contended: what the latency is made of). One core's
 * signing rate is measured right before and right after the new-device run, and their mean is
 * what that run is compared with: the machine's speed drifts within a minute.
 */
async function activationFigures(label: string, server: StartedServer) {
  const { activationCode } = await approvedPool(server.url, server.adminToken, { quantity: 1_000_000, unitPrice: 1 });

  log(`${label}: warming up`);
  await runLoad({ url: server.url, activationCode, durationSeconds: seconds(2), devices: NEW_DEVICES, seed: 'warm' });
  const signBefore = await ps256SignRate(seconds(2) * 1000);
  log(`${label}: new devices, ${CONNECTIONS} connections, ${seconds(10)} s`);
  const pid = server.process.pid as number;
  const writerBefore = await writerTotals(server.url);
  const [fresh, freshCpu] = await withCpu(pid, () => runLoad({ url: server.url, activationCode, durationSeconds: seconds(10), devices: NEW_DEVICES, seed: 'new' }));
  const writer = writerDelta(writerBefore, await writerTotals(server.url));
  const signAfter = await ps256SignRate(seconds(2) * 1000);
  if ((fresh.statuses['201'] ?? 0) !== fresh.requests) throw new Error(`new-device run answered ${JSON.stringify(fresh.statuses)}`);
  log(`${label}: re-activation of bound devices, ${seconds(10)} s`);
  const bound = Math.min(5_000, fresh.requests);
  const [again, againCpu] = await withCpu(pid, () => runLoad({ url: server.url, activationCode, durationSeconds: seconds(10), devices: bound, seed: 'new' }));
  if ((again.statuses['200'] ?? 0) !== again.requests) throw new Error(`re-activation run answered ${JSON.stringify(again.statuses)}`);
  log(`${label}: GET /healthz, ${CONNECTIONS} connections, ${seconds(5)} s`);
  const [healthz, healthzCpu] = await withCpu(pid, () => healthzRate(server.url, seconds(5)));
  if ((healthz.statuses['200'] ?? 0) !== healthz.requests) throw new Error(`healthz run answered ${JSON.stringify(healthz.statuses)}`);
  log(`${label}: new devices open-loop at ${Math.round(fresh.perSecond / 2)}/s, ${seconds(10)} s`);
  const open = await runLoad({ url: server.url, activationCode, durationSeconds: seconds(10), devices: NEW_DEVICES, seed: 'open', rate: fresh.perSecond / 2 });
  if ((open.statuses['201'] ?? 0) !== open.requests) throw new Error(`open-loop run answered ${JSON.stringify(open.statuses)}`);
  log(`${label}: new devices open-loop at ${Math.round(fresh.perSecond / 4)}/s, ${seconds(10)} s`);
  const openQuarter = await runLoad({ url: server.url, activationCode, durationSeconds: seconds(10), devices: NEW_DEVICES, seed: 'open-quarter', rate: fresh.perSecond / 4 });
  if ((openQuarter.statuses['201'] ?? 0) !== openQuarter.requests) throw new Error(`open-loop run answered ${JSON.stringify(openQuarter.statuses)}`);
  return { fresh, again, open, openQuarter, healthz, cpu: { fresh: freshCpu, again: againCpu, healthz: healthzCpu }, writer, signRate: (signBefore + signAfter) / 2, activationCode };
}

/** What the activation writer (the group commit) did, from its histograms: batches, their devices, and seconds in transactions and in flushes after them. */
interface WriterTotals {
  batches: number;
  devices: number;
  transactionSeconds: number;
  flushSeconds: number;
}

async function writerTotals(url: string): Promise<WriterTotals> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await response.text();
  if (!response.ok) throw new Error(`/metrics answered ${response.status}: ${text}`);
  const value = (name: string) => {
    const found = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    if (!found) throw new Error(`/metrics has no ${name}`);
    return Number(found[1]);
  };
  return {
    batches: value('seatlock_activation_batch_size_count'),
    devices: value('seatlock_activation_batch_size_sum'),
    transactionSeconds: value('seatlock_activation_commit_duration_seconds_sum'),
    flushSeconds: value('seatlock_activation_flush_duration_seconds_sum'),
  };
}

function writerDelta(before: WriterTotals, after: WriterTotals): WriterTotals {
  return {
    batches: after.batches - before.batches,
    devices: after.devices - before.devices,
    transactionSeconds: after.transactionSeconds - before.transactionSeconds,
    flushSeconds: after.flushSeconds - before.flushSeconds,
  };
}

/** CPU milliseconds per request of one closed-loop run: the server's event loop, its other threads (signers, fsyncs, the garbage collector), and the load process. */
interface CpuPerRequest {
  mainMs: number;
  otherMs: number;
  loadMs: number;
}

/**
 * A load run with the CPU the server (process `pid`) and the load process spent on it: what
 * limits a rate on two cores that both share. Read from /proc in 10 ms ticks, so a run of a few
 * seconds is needed for two digits.
 */
async function withCpu(pid: number, run: () => Promise<LoadResult>): Promise<[LoadResult, CpuPerRequest]> {
  const before = processThreadsCpu(pid);
  const figures = await run();
  const after = processThreadsCpu(pid);
  const perRequest = (seconds: number) => (seconds * 1000) / figures.requests;
  const main = after.main - before.main;
  return [figures, { mainMs: perRequest(main), otherMs: perRequest(after.all - before.all - main), loadMs: figures.cpuMs / figures.requests }];
}

/**
 * The empty-database figures, then the same at size (the seeded database's rate measured in turn
 * with this server's), on one database kind: `env` names its storage.
 */
async function databaseFigures(label: string, env: Record<string, string>, postgresAdminUrl?: string) {
  const server = await startServer({ env: { ...env, SEATLOCK_METRICS_TOKEN: METRICS_TOKEN } });
  try {
    const empty = await activationFigures(label, server);
    const scale = await scaleFigures(label, {
      devices: SEEDED_DEVICES,
      capacity: empty.fresh.perSecond,
      seconds: seconds(10),
      runLoad,
      empty: { url: server.url, activationCode: empty.activationCode, seed: 'empty-new' },
      postgresAdminUrl,
      reuseSeed: REUSE_SEED,
    });
    return { empty, scale };
  } finally {
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
  }
}

/**
 * A factory line's batch: BATCH_DEVICES request files sent by `seatlock-agent provision` (one
 * process, its default chunks) to a server on SQLite, timed as a whole, with one core's signing
 * rate measured right before and after. The server signs on one worker per CPU.
 */
async function batchFigures() {
  const signers = availableParallelism();
  const server = await startServer({ env: { SEATLOCK_SIGNING_WORKERS: String(signers) } });
  const dir = mkdtempSync(join(tmpdir(), 'seatlock-bench-batch-'));
  try {
    const { activationCode } = await approvedPool(server.url, server.adminToken, { quantity: BATCH_DEVICES });
    const requests = join(dir, 'requests');
    mkdirSync(requests);
    for (let i = 0; i < BATCH_DEVICES; i++) {
      writeFileSync(join(requests, `${String(i).padStart(6, '0')}.req`), writeActivationRequest({ activationCode, platform: 'android', fingerprint: deviceFingerprint(`batch-${i}`) }));
    }
    const env = { PATH: process.env.PATH };
    const signBefore = await ps256SignRate(seconds(2) * 1000);
    log(`batch: ${fmt(BATCH_DEVICES)} devices through seatlock-agent provision`);
    const wallMs = timeProcess([DEV_AGENT, 'provision', '--server', server.url, '--in', requests, '--out', join(dir, 'line.bundle')], env);
    const signAfter = await ps256SignRate(seconds(2) * 1000);
    return { wallMs, perSecond: BATCH_DEVICES / (wallMs / 1000), signRate: (signBefore + signAfter) / 2, signers };
  } finally {
    await server.stop();
    rmSync(server.dataDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

function timeProcess(args: string[], env: NodeJS.ProcessEnv, command = process.execPath): number {
  const start = process.hrtime.bigint();
  execFileSync(command, args, { env, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The native command (`npm run build:native`), when this machine can build it. */
function nativeCommand(): string | undefined {
  try {
    execFileSync('sh', [join(REPO_ROOT, 'native/build.sh')], { stdio: 'ignore' });
    return join(REPO_ROOT, 'native/build/seatlock-verify-dev');
  } catch {
    return undefined;
  }
}

/** The boot check as a whole process (a bundle with its root embedded, a stored perpetual license) against `node -e 0`. */
async function bootFigures() {
  const dir = mkdtempSync(join(tmpdir(), 'seatlock-bench-agent-'));
  try {
    const root = createRootCa();
    const issuer = createIssuingCertificate(root);
    writeFileSync(join(dir, 'root.pem'), root.certificatePem);
    const bundle = join(dir, 'seatlock-agent.js');
    // A development build with the root embedded: the release build's code, but it reads the
    // fixture tree (SEATLOCK_SYSROOT), which a release build ignores.
    execFileSync(process.execPath, [join(REPO_ROOT, 'agent/scripts/bundle.mjs'), '--dev', '--root', join(dir, 'root.pem'), '--out', bundle], { stdio: 'ignore' });

    const sysroot = join(dir, 'sysroot');
    cpSync(join(REPO_ROOT, 'test/fixtures/devices/android-rk3568'), sysroot, { recursive: true });
    const env = { PATH: process.env.PATH, SEATLOCK_SYSROOT: sysroot, SEATLOCK_HOME: join(dir, 'home') };
    mkdirSync(env.SEATLOCK_HOME, { recursive: true, mode: 0o700 });
    const { fingerprint } = readDevice(agentEnvironment(env));
    const product = getProduct('face-recognition');
    const iat = Math.floor(Date.now() / 1000);
    const claims: LicenseClaims = {
      v: 1, jti: 'bench-license', sub: 'bench-device', cus: 'bench-customer', pool: 'bench-pool', kind: 'perpetual',
      product: product.id, features: [...product.features], modality: 'ir', platform: 'android',
      fp: toLicensedFingerprint(fingerprint), iat, nbf: iat,
    };
    const signer = { privateKey: createPrivateKey(issuer.privateKeyPem), certificatePem: issuer.certificatePem, kid: issuer.kid };
    const license = await signLicense(claims, signer);
    writeFileSync(join(dir, 'device.lic'), license);
    // The same claims as format v1 signed them (PS256, RSA-2048 issuing key): what v2 shrank.
    const v1Issuer = createIssuingCertificate(root, { alg: 'PS256' });
    const v1License = await signLicense(claims, { privateKey: createPrivateKey(v1Issuer.privateKeyPem), certificatePem: v1Issuer.certificatePem, kid: v1Issuer.kid });
    execFileSync(process.execPath, [bundle, 'install', join(dir, 'device.lic')], { env, stdio: 'ignore' });

    // A line's bundle with this board's license last (the longest search). The others are one
    // license of another board under distinct device hashes: a board reads only its own entry,
    // so what they cost is their bytes, which are the same.
    const other = await signLicense(
      { ...claims, jti: 'bench-other', sub: 'bench-other-device', fp: toLicensedFingerprint(buildFingerprint([{ name: 'emmc.cid', value: '150100434a5441345200000000c0ffee' }])) },
      signer,
    );
    const lineBundle = new BundleWriter(join(dir, 'line.bundle'));
    for (let i = 1; i < BUNDLE_LICENSES; i++) lineBundle.add(deviceFingerprint(`bundle-${i}`), other);
    lineBundle.add(fingerprint, license);
    lineBundle.close();
    const bundleInstall = [bundle, 'install', join(dir, 'line.bundle')];
    execFileSync(process.execPath, bundleInstall, { env, stdio: 'ignore' });

    // Interleaved, so both see the same machine load.
    const node: number[] = [];
    const verify: number[] = [];
    const install: number[] = [];
    // The native check on the same board and store, trusting the same root.
    const native = nativeCommand();
    const nativeEnv = { ...env, SEATLOCK_TRUST_ROOT: join(dir, 'root.pem') };
    timeProcess(['-e', '0'], env);
    timeProcess([bundle, 'verify'], env);
    for (let i = 0; i < BOOT_RUNS; i++) {
      node.push(timeProcess(['-e', '0'], env));
      verify.push(timeProcess([bundle, 'verify'], env));
      install.push(timeProcess(bundleInstall, env));
    }
    // The native check against `node -e 0` with both started by bash (test/support/interleaved.ts):
    // started from this process, Node's own cost of starting a process would be most of its time.
    const nativeTimes = native
      ? interleavedTimes(execFileSync('bash', ['-c', interleavedScript(BOOT_RUNS + 1, `${process.execPath} -e 0`, `${native} verify`)], { env: nativeEnv, encoding: 'utf8' }))
      : undefined;
    // The armhf command on a board made from the armhf userland (where `.ci/arm-userlands` built one), under QEMU;
    // not in a smoke run, which test/native/arm-speed.test.ts already times the same way.
    const [armhf] = smoke ? [] : (userlandsFromEnv() ?? []).filter((userland) => userland.name.endsWith('-armhf'));
    const armhfTimes =
      native && armhf
        ? await armhfNativeTimes(armhf, join(dir, 'root.pem'), (board) => signLicense({ ...claims, platform: 'hisilicon-dv300', fp: toLicensedFingerprint(board) }, signer), ARMHF_RUNS)
        : undefined;
    return { armhf: armhf && armhfTimes && { name: armhf.name, qemuCpu: armhf.qemuCpu, checkMs: median(armhfTimes.check), nodeMs: median(armhfTimes.node) }, nodeMs: median(node), verifyMs: median(verify), installMs: median(install), nativeVerifyMs: nativeTimes && median(nativeTimes.check.slice(1)), nativeNodeMs: nativeTimes && median(nativeTimes.node.slice(1)), lineBundleBytes: statSync(join(dir, 'line.bundle')).size, licenseBytes: Buffer.byteLength(license), v1LicenseBytes: Buffer.byteLength(v1License), bundleBytes: statSync(bundle).size, systemBytes: statSync(bundle.replace(/\.js$/, '.system.js')).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');

async function main(): Promise<void> {
  const started = Date.now();
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${fmt(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  log(`machine: ${machine}${smoke ? ' (smoke run)' : ''}`);
  log('limits: SQLite durable commits (PS256 signing is measured around each activation run)');
  const commitRate = await sqliteDurableCommitRate(seconds(3) * 1000);

  const sqlite = await databaseFigures('SQLite', {});
  let postgres: Awaited<ReturnType<typeof databaseFigures>> | undefined;
  if (process.env.DATABASE_URL?.startsWith('postgres')) {
    const database = await createTestDatabase(process.env.DATABASE_URL);
    try {
      postgres = await databaseFigures('PostgreSQL', { DATABASE_URL: database.url }, process.env.DATABASE_URL);
    } finally {
      await database.drop();
    }
  } else {
    log('PostgreSQL: skipped (set DATABASE_URL=postgres://... to measure it)');
  }
  const pace = process.env.DATABASE_URL?.startsWith('postgres')
    ? await postgresPace({ postgresAdminUrl: process.env.DATABASE_URL, seconds: seconds(10), rounds: smoke ? 1 : PACE_ROUNDS, connections: CONNECTIONS, runLoad })
    : undefined;
  const batch = await batchFigures();
  log(`boot verification and install from a ${fmt(BUNDLE_LICENSES)}-license bundle: ${BOOT_RUNS} runs of each, interleaved`);
  const boot = await bootFigures();

  const rows: string[][] = [
    ['SQLite durable one-row commits/s (WAL, synchronous=FULL)', fmt(commitRate), 'limit', ''],
    ['`node -e 0`, median', `${fmt(boot.nodeMs, 1)} ms`, 'limit', ''],
  ];
  const activationRows = (db: string, figures: typeof sqlite.empty) => {
    const { fresh, again, open, openQuarter, healthz, cpu, writer, signRate } = figures;
    // Per request, with the cores the server and the load process kept busy between them: what bounds the rates above.
    const cpuRow = (what: string, run: LoadResult, share: CpuPerRequest): string[] => [
      `${db}: CPU per ${what}: server's event loop / its other threads / load process`,
      `${fmt(share.mainMs, 3)} / ${fmt(share.otherMs, 3)} / ${fmt(share.loadMs, 3)} ms`,
      `${fmt((run.perSecond * (share.mainMs + share.otherMs + share.loadMs)) / 1000, 2)} of ${availableParallelism()} cores busy`,
      '',
    ];
    // The goal is for half the rate; a quarter shows what the latency is when the cores are less contended.
    const openLoop = (share: string, figures: LoadResult, goal: boolean): string[] => [
      `${db}: new-device latency p50 / p99, open-loop at ${share} that rate (${fmt(figures.perSecond)}/s)`,
      `${figures.p50} / ${figures.p99} ms`,
      `load process's own delay p99 ${figures.ownDelayP99} ms`,
      goal ? `p99 ≤ 20 ms: ${verdict(figures.p99 <= 20)}` : '',
    ];
    rows.push(
      [`${db}: PS256 signatures/s, one core (jose, RSA-2048), around the run`, fmt(signRate), 'limit', ''],
      [`${db}: GET /healthz/s (${CONNECTIONS} conn.), the same server`, fmt(healthz.perSecond), 'limit', ''],
      [`${db}: new-device activations/s (${CONNECTIONS} conn.)`, fmt(fresh.perSecond), `${fmt(fresh.perSecond / signRate, 2)} × signing`, `≥ 3 × signing: ${verdict(fresh.perSecond >= 3 * signRate)}`],
      [`${db}: new-device activations ÷ GET /healthz`, fmt(fresh.perSecond / healthz.perSecond, 2), `${fmt(fresh.perSecond)} / ${fmt(healthz.perSecond)} per s`, `≥ 0.4 × healthz: ${verdict(fresh.perSecond >= 0.4 * healthz.perSecond)}`],
      // Open-loop: with every connection always waiting (closed loop), latency is connections / throughput (Little's law) whatever the server does.
      openLoop('half', open, true),
      openLoop('a quarter of', openQuarter, false),
      [`${db}: re-activations/s (${CONNECTIONS} conn.)`, fmt(again.perSecond), `${fmt(again.perSecond / fresh.perSecond, 2)} × new`, `≥ 3 × new: ${verdict(again.perSecond >= 3 * fresh.perSecond)}`],
      [`${db}: re-activation latency p50 / p99`, `${again.p50} / ${again.p99} ms`, '', ''],
      cpuRow('new device', fresh, cpu.fresh),
      cpuRow('re-activation', again, cpu.again),
      cpuRow('GET /healthz', healthz, cpu.healthz),
      // One batch is written at a time: the share of the run spent writing shows whether the writer is what waits.
      [
        `${db}: activation writer over the new-device run: batches, mean devices; mean transaction / flush after it`,
        `${fmt(writer.batches)} batches of ${fmt(writer.devices / writer.batches, 1)}`,
        `${fmt((writer.transactionSeconds * 1000) / writer.batches, 2)} / ${fmt((writer.flushSeconds * 1000) / writer.batches, 2)} ms; transactions ${fmt(writer.transactionSeconds / (fresh.requests / fresh.perSecond), 2)} of the run`,
        '',
      ],
    );
  };
  const scaleRows = (db: string, capacity: number, figures: ScaleFigures) => {
    const { seed, empty, fresh, background, probes, quietOverview, verify, resume, exportDevices } = figures;
    const n = fmt(seed.devices);
    const probe = (what: string, name: keyof ScaleFigures['probes']) =>
      rows.push([`${db}, ${n} devices, under that load: ${what} p50 / p99`, `${fmt(probes[name].p50, 1)} / ${fmt(probes[name].p99, 1)} ms`, `${fmt(probes[name].count)} requests`, `p99 ≤ 20 ms: ${verdict(probes[name].p99 <= 20)}`]);
    rows.push(
      [`${db}: seeded database (\`bench:seed\`)`, `${n} devices, ${fmt(seed.auditEvents)} audit events`, `${fmt(seed.seconds)} s to seed`, ''],
      [`${db}: bytes on disk per device (device tables / whole database)`, `${fmt(seed.deviceTablesBytesPerDevice)} / ${fmt(seed.bytesPerDevice)} B`, `${fmt(seed.databaseBytes / 2 ** 20)} MiB in all`, ''],
      [`${db}, ${n} devices: new-device activations/s (${CONNECTIONS} conn.)`, fmt(fresh.perSecond), `${fmt(fresh.perSecond / empty.perSecond, 2)} × empty (${fmt(empty.perSecond)}/s, in turn)`, `≥ 0.9 × empty: ${verdict(fresh.perSecond >= 0.9 * empty.perSecond)}`],
      [`${db}, ${n} devices: new-device latency p50 / p99, open-loop at ${fmt(capacity / 2)}/s with ${PROBE_RATE} console requests/s below`, `${background.p50} / ${background.p99} ms`, `${fmt(background.perSecond)}/s served, load process's own delay p99 ${background.ownDelayP99} ms`, `p99 ≤ 20 ms: ${verdict(background.p99 <= 20)}`],
    );
    probe('device list, first page', 'firstPage');
    probe(`device list, page ${fmt(figures.deepPage)} by cursor`, 'deepPage');
    probe('search by hardware value', 'search');
    probe('pool view', 'poolView');
    // The goal is each aggregate's own time on the seeded database; under the activations it also waits its turn behind them.
    const overview = (what: string, name: OverviewProbe) =>
      rows.push(
        [`${db}, ${n} devices, nothing else running: overview, ${what} p50 / p99`, `${fmt(quietOverview[name].p50, 1)} / ${fmt(quietOverview[name].p99, 1)} ms`, `${fmt(quietOverview[name].count)} requests`, `p99 ≤ ${OVERVIEW_GOAL_MS} ms: ${verdict(quietOverview[name].p99 <= OVERVIEW_GOAL_MS)}`],
        [`${db}, ${n} devices, under that load: overview, ${what} p50 / p99`, `${fmt(probes[name].p50, 1)} / ${fmt(probes[name].p99, 1)} ms`, `${fmt(probes[name].count)} requests`, ''],
      );
    overview('activations per day, 90 days, every customer', 'overviewActivations');
    overview("activations per day, 90 days, the fullest pool's customer", 'overviewCustomerActivations');
    overview('pools at 80 % of their seats or more', 'overviewSeats');
    overview('trials ending within 7 days', 'overviewTrials');
    overview('review queue counts', 'overviewReview');
    const csvMiB = exportDevices.bytes / 2 ** 20;
    rows.push(
      // Streamed means one page held at a time: a CSV larger than the server's whole heap still arrives.
      [
        `${db}, ${n} devices: every device as CSV (\`GET /v1/devices/export\`), the server's heap capped at ${EXPORT_HEAP_MIB} MiB`,
        `${fmt(exportDevices.rows)} rows, ${fmt(csvMiB)} MiB in ${fmt(exportDevices.seconds, 1)} s`,
        `${fmt(exportDevices.rows / exportDevices.seconds)} rows/s; server RSS ${fmt(exportDevices.serverRssBeforeMiB)} → peak ${fmt(exportDevices.serverRssPeakMiB)} MiB`,
        `a CSV larger than the heap, whole: ${verdict(csvMiB > EXPORT_HEAP_MIB)}`,
      ],
      [`${db}: \`audit verify\`, ${fmt(verify.events)} events`, `${fmt(verify.seconds, 1)} s, peak RSS ${fmt(verify.peakRssMiB)} MiB`, `${fmt(verify.events / verify.seconds)} events/s`, `chain ok: ${verdict(verify.ok)}`],
      [`${db}: \`audit verify --resume\` (from the newest checkpoint)`, `${fmt(resume.seconds, 1)} s`, `${fmt(resume.seconds / verify.seconds, 2)} × whole`, `chain ok: ${verdict(resume.ok)}`],
    );
  };
  activationRows('SQLite', sqlite.empty);
  if (postgres) activationRows('PostgreSQL', postgres.empty);
  if (pace) {
    const spread = (ratios: number[]) => (ratios.length > 1 ? `rounds ${fmt(Math.min(...ratios), 2)} to ${fmt(Math.max(...ratios), 2)}` : '');
    const share = (what: string, cpu: CpuShare) => [
      `PostgreSQL pace: CPU per new device, ${what}`,
      `Seatlock ${fmt(cpu.seatlockMs, 2)} ms, PostgreSQL ${fmt(cpu.postgresMs, 2)} ms`,
      `machine busy ${fmt(cpu.busyCores, 2)} of ${cpus().length} cores`,
      '',
    ];
    rows.push(
      [`PostgreSQL pace: SQLite new-device activations/s (${CONNECTIONS} conn.), in turn with the rows below`, fmt(pace.sqlite.perSecond), 'limit', ''],
      [
        `PostgreSQL pace: one instance, new-device activations/s (${CONNECTIONS} conn.)`,
        fmt(pace.one.perSecond),
        `${fmt(pace.one.perSecond / pace.sqlite.perSecond, 2)} × SQLite ${spread(pace.oneToSqlite)}`,
        `≥ 0.9 × SQLite: ${verdict(pace.one.perSecond >= 0.9 * pace.sqlite.perSecond)}`,
      ],
      [
        `PostgreSQL pace: two instances on one database, new-device activations/s (${CONNECTIONS} conn. each)`,
        fmt(pace.two.perSecond),
        `${fmt(pace.two.perSecond / pace.one.perSecond, 2)} × one ${spread(pace.twoToOne)}`,
        `≥ 1.5 × one: ${verdict(pace.two.perSecond >= 1.5 * pace.one.perSecond)}`,
      ],
      share('one instance', pace.cpu.one),
      share('two instances', pace.cpu.two),
    );
  }
  scaleRows('SQLite', sqlite.empty.fresh.perSecond, sqlite.scale);
  if (postgres) scaleRows('PostgreSQL', postgres.empty.fresh.perSecond, postgres.scale);
  const batchLimit = batch.signRate * batch.signers;
  const online = sqlite.empty.fresh.perSecond;
  rows.push(
    ['batch: PS256 signatures/s, one core, around the run', fmt(batch.signRate), 'limit', ''],
    [
      `batch: ${fmt(BATCH_DEVICES)} devices through \`provision\` (SQLite, ${batch.signers} signers)`,
      `${fmt(batch.wallMs / 1000, 1)} s, ${fmt(batch.perSecond)}/s`,
      `${fmt(batch.perSecond / online, 2)} × online new devices (${fmt(online)}/s); ${fmt(batch.perSecond / batchLimit, 2)} × signing × ${batch.signers}`,
      `≥ 0.9 × online: ${verdict(batch.perSecond >= 0.9 * online)}`,
    ],
    [
      `license text, ${DEFAULT_LICENSE_ALG} (v2) against PS256 (v1), the same claims`,
      `${fmt(boot.licenseBytes)} / ${fmt(boot.v1LicenseBytes)} B`,
      `${fmt(boot.licenseBytes / boot.v1LicenseBytes, 2)} × v1`,
      `≤ 0.6 × v1: ${verdict(boot.licenseBytes <= 0.6 * boot.v1LicenseBytes)}`,
    ],
    [
      `\`seatlock-agent install\` from a ${fmt(BUNDLE_LICENSES)}-license bundle (${fmt(boot.lineBundleBytes / 2 ** 20, 1)} MiB), median`,
      `${fmt(boot.installMs, 1)} ms`,
      `${fmt(boot.installMs / boot.nodeMs, 2)} × node -e 0`,
      `< 3 ×: ${verdict(boot.installMs < 3 * boot.nodeMs)}`,
    ],
  );
  rows.push(
    ['`seatlock-agent verify` (bundle), median', `${fmt(boot.verifyMs, 1)} ms`, `${fmt(boot.verifyMs / boot.nodeMs, 2)} × node -e 0`, `< 1.5 ×: ${verdict(boot.verifyMs < 1.5 * boot.nodeMs)}`],
    boot.nativeVerifyMs === undefined
      ? ['`seatlock-verify verify` (native, C)', 'not built: no C compiler', '', '≤ 0.1 ×: not measured']
      : [
          '`seatlock-verify verify` (native, C), median, started by bash in turn with `node -e 0`',
          `${fmt(boot.nativeVerifyMs, 2)} ms`,
          `${fmt(boot.nativeVerifyMs / (boot.nativeNodeMs as number), 3)} × node -e 0 (${fmt(boot.nativeNodeMs as number, 1)} ms)`,
          `≤ 0.1 ×: ${verdict(boot.nativeVerifyMs <= 0.1 * (boot.nativeNodeMs as number))}`,
        ],
    boot.armhf === undefined
      ? ['`seatlock-verify verify` (native, C), armhf under QEMU', smoke ? 'not measured in a smoke run' : 'not measured: no armhf userland (SEATLOCK_TEST_USERLANDS, `.ci/arm-userlands`) or no C compiler', '', '≤ 0.1 ×: not measured']
      : [
          `\`seatlock-verify verify\` (native, C), armhf, QEMU ${boot.armhf.qemuCpu} (${boot.armhf.name}), median, in turn with that userland's \`node -e 0\``,
          `${fmt(boot.armhf.checkMs, 1)} ms`,
          `${fmt(boot.armhf.checkMs / boot.armhf.nodeMs, 3)} × node -e 0 (${fmt(boot.armhf.nodeMs)} ms)`,
          `≤ 0.1 ×: ${verdict(boot.armhf.checkMs <= 0.1 * boot.armhf.nodeMs)}`,
        ],
    ['agent bundle size', `${fmt(boot.bundleBytes / 1024)} KiB`, `${fmt(boot.bundleBytes / BUNDLE_BUDGET, 2)} × budget`, `≤ 1.5 MB, no native addon: ${verdict(boot.bundleBytes <= BUNDLE_BUDGET)}`],
    // Beside the agent, never loaded by verify or install: the boot path's size is the row above.
    ['`diagnose` system section (systeminformation), second file', `${fmt(boot.systemBytes / 1024)} KiB`, '', ''],
  );

  console.log(`Machine: ${machine}. ${smoke ? 'Smoke run. ' : ''}Took ${fmt((Date.now() - started) / 1000)} s.\n`);
  console.log('| what | figure | ratio | goal |');
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
