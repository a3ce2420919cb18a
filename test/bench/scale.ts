import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { approvedPool } from '../support/seatlock';
import { createTestDatabase, type TestDatabase, withAdmin } from '../support/postgres';
import { ADMIN_CLI, REPO_ROOT, startServer } from '../support/server';
import { seededReadings } from './seeded-devices';

/** What `runLoad` in run.ts measures: closed-loop over connections, or open-loop at `rate`. */
export type RunLoad = (options: { url: string; activationCode: string; durationSeconds: number; devices: number; seed: string; rate?: number }) => Promise<LoadFigures>;

export interface LoadFigures {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  /** Open-loop only: the load process's own event-loop delay p99 (ms), which its latencies include. */
  ownDelayP99?: number;
}

export interface SeedSummary {
  devices: number;
  auditEvents: number;
  seconds: number;
  databaseBytes: number;
  deviceTablesBytesPerDevice: number;
  bytesPerDevice: number;
}

export interface ScaleFigures {
  seed: SeedSummary;
  /** New devices on the empty database and on the seeded one, measured in turn. */
  empty: LoadFigures;
  fresh: LoadFigures;
  background: LoadFigures;
  probes: Record<ProbeName, { p50: number; p99: number; count: number }>;
  /** The overview's aggregates on the seeded database with nothing else running: the figure the goal is for. */
  quietOverview: Record<OverviewProbe, { p50: number; p99: number; count: number }>;
  deepPage: number;
  verify: { events: number; seconds: number; peakRssMiB: number; ok: boolean };
  resume: { seconds: number; ok: boolean };
  exportDevices: ExportFigures;
}

/**
 * The V8 heap (old space) of the server the devices' CSV is exported from. V8 grows its heap before
 * it collects, so resident memory alone cannot tell a streamed export from one that holds its rows;
 * a cap below the CSV's size can: holding the rows (or the text) would exhaust it.
 */
export const EXPORT_HEAP_MIB = 64;

/** Every device as CSV (`GET /v1/devices/export`), read to its end, and the server's resident memory meanwhile. */
export interface ExportFigures {
  rows: number;
  bytes: number;
  seconds: number;
  serverRssBeforeMiB: number;
  serverRssPeakMiB: number;
}

type ProbeName = 'firstPage' | 'deepPage' | 'search' | 'poolView' | OverviewProbe;
/** The console overview's aggregates, each one query over the seeded data. */
export type OverviewProbe = 'overviewActivations' | 'overviewCustomerActivations' | 'overviewSeats' | 'overviewTrials' | 'overviewReview';
/** What one overview aggregate may take on the seeded database, a million devices (p99, nothing else running). */
export const OVERVIEW_GOAL_MS = 50;
/** Console requests per second during the open-loop load, in turn: a busy support floor, not a load test of its own. */
export const PROBE_RATE = 40;

const log = (line: string) => console.error(`bench: ${line}`);

/** `bench:seed` into `dataDir` (and the PostgreSQL database of `env`, if any); its progress goes to stderr. */
function seed(devices: number, dataDir: string, env: Record<string, string>): Promise<SeedSummary> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, 'seed.js'), '--devices', String(devices), '--data-dir', dataDir], {
      env: { ...process.env, DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`bench:seed exited ${code}`))));
  });
}

/** `seatlock-admin audit verify` as its own process: wall time, and its peak resident memory read at exit. */
function timeAuditVerify(env: Record<string, string>, resume: boolean): { seconds: number; peakRssMiB: number; verdict: { ok: boolean; events: number } } {
  const dir = mkdtempSync(join(tmpdir(), 'seatlock-bench-rss-'));
  const preload = join(dir, 'peak-rss.js');
  writeFileSync(preload, "process.on('exit', () => process.stderr.write(`peak-rss-kib ${process.resourceUsage().maxRSS}\\n`));\n");
  try {
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ['--require', preload, ADMIN_CLI, 'audit', 'verify', ...(resume ? ['--resume'] : [])], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (run.status !== 0 && run.status !== 3) throw new Error(`audit verify exited ${run.status}: ${run.stderr}`);
    const rss = /peak-rss-kib (\d+)/.exec(run.stderr);
    return { seconds, peakRssMiB: rss ? Number(rss[1]) / 1024 : Number.NaN, verdict: JSON.parse(run.stdout) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Console requests paced as staff at their consoles would send them, not back to back: each is
 * due 1/PROBE_RATE s after the last one was, taking `probes` in turn while `going()`; each one's
 * time goes to `samples` under its name.
 */
async function pacedProbes<Name extends string>(probes: [Name, (i: number) => Promise<Response>][], samples: Record<Name, number[]>, going: () => boolean): Promise<void> {
  for (let i = 0, due = performance.now(); going(); i++, due += 1000 / PROBE_RATE) {
    await new Promise((wake) => setTimeout(wake, Math.max(0, due - performance.now())));
    const [name, call] = probes[i % probes.length];
    const started = performance.now();
    const answer = await call(i);
    await answer.arrayBuffer();
    if (answer.status !== 200) throw new Error(`${name}: ${answer.status}`);
    samples[name].push(performance.now() - started);
  }
}

/** A process's resident memory now (Linux), in MiB. */
function residentMiB(pid: number): number {
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!kib) throw new Error(`No VmRSS for process ${pid}`);
  return Number(kib[1]) / 1024;
}

/**
 * The devices' CSV export read to its end as fast as this process takes it, the server's resident
 * memory sampled every 50 ms meanwhile.
 */
async function timeDevicesExport(url: string, token: string, serverPid: number): Promise<ExportFigures> {
  const serverRssBeforeMiB = residentMiB(serverPid);
  let serverRssPeakMiB = serverRssBeforeMiB;
  const sampler = setInterval(() => (serverRssPeakMiB = Math.max(serverRssPeakMiB, residentMiB(serverPid))), 50);
  try {
    const started = performance.now();
    const answer = await fetch(`${url}/v1/devices/export`, { headers: { authorization: `Bearer ${token}` } });
    if (answer.status !== 200 || !answer.body) throw new Error(`GET /v1/devices/export: ${answer.status}`);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of answer.body) {
      bytes += chunk.byteLength;
      for (const byte of chunk) if (byte === 0x0a) lines++;
    }
    const seconds = (performance.now() - started) / 1000;
    serverRssPeakMiB = Math.max(serverRssPeakMiB, residentMiB(serverPid));
    // The header is a line too.
    return { rows: lines - 1, bytes, seconds, serverRssBeforeMiB, serverRssPeakMiB };
  } finally {
    clearInterval(sampler);
  }
}

function percentiles(samples: number[]): { p50: number; p99: number; count: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), count: sorted.length };
}

interface SeededStorage {
  summary: SeedSummary;
  dataDir: string;
  storageEnv: Record<string, string>;
  dispose(): Promise<void>;
}

/**
 * A seeded database of `devices` devices for one run: seeded into a new SQLite data directory or
 * PostgreSQL database, or, with `reuse`, copied from one seeded once and kept (`.bench/seeded/` for
 * SQLite; for PostgreSQL a database used as a template), so a million devices are seeded once.
 */
async function seededStorage(label: string, devices: number, postgresAdminUrl: string | undefined, reuse: boolean): Promise<SeededStorage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'seatlock-bench-seeded-'));
  const cache = join(REPO_ROOT, '.bench/seeded', `${postgresAdminUrl ? 'postgres' : 'sqlite'}-${devices}`);
  // Written once the seed completed: a cache without it is an interrupted seed, seeded again.
  const summaryFile = `${cache}.json`;
  const cachedSummary = async (seedInto: () => Promise<SeedSummary>): Promise<SeedSummary> => {
    if (existsSync(summaryFile)) return JSON.parse(readFileSync(summaryFile, 'utf8')) as SeedSummary;
    mkdirSync(dirname(cache), { recursive: true });
    const summary = await seedInto();
    writeFileSync(summaryFile, JSON.stringify(summary));
    return summary;
  };
  if (!postgresAdminUrl) {
    let summary: SeedSummary;
    if (reuse) {
      summary = await cachedSummary(() => {
        rmSync(cache, { recursive: true, force: true });
        log(`${label}: seeding ${devices.toLocaleString('en')} devices into ${cache}, kept for later runs`);
        return seed(devices, cache, {});
      });
      log(`${label}: copying the seeded database (${(summary.databaseBytes / 2 ** 30).toFixed(1)} GiB) from ${cache}`);
      cpSync(cache, dataDir, { recursive: true });
    } else {
      log(`${label}: seeding ${devices.toLocaleString('en')} devices`);
      summary = await seed(devices, dataDir, {});
    }
    return { summary, dataDir, storageEnv: { SEATLOCK_DATA_DIR: dataDir, DATABASE_URL: '' }, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  let database: TestDatabase;
  let summary: SeedSummary;
  if (reuse) {
    const template = `seatlock_bench_seeded_${devices}`;
    summary = await cachedSummary(async () => {
      await withAdmin(postgresAdminUrl, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
        await client.query(`CREATE DATABASE ${template}`);
      });
      const url = new URL(postgresAdminUrl);
      url.pathname = `/${template}`;
      log(`${label}: seeding ${devices.toLocaleString('en')} devices into the database ${template}, kept for later runs`);
      return seed(devices, dataDir, { DATABASE_URL: url.toString() });
    });
    log(`${label}: copying the seeded database (${(summary.databaseBytes / 2 ** 30).toFixed(1)} GiB) from ${template}`);
    database = await createTestDatabase(postgresAdminUrl, { template });
  } else {
    database = await createTestDatabase(postgresAdminUrl);
    log(`${label}: seeding ${devices.toLocaleString('en')} devices`);
    summary = await seed(devices, dataDir, { DATABASE_URL: database.url });
  }
  return {
    summary,
    dataDir,
    storageEnv: { SEATLOCK_DATA_DIR: dataDir, DATABASE_URL: database.url },
    dispose: async () => {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** New devices on `a` and on `b` in turn, `rounds` times each, so both see the same machine; their totals. */
async function alternate(runLoad: RunLoad, a: LoadTarget, b: LoadTarget, options: { seconds: number; rounds: number }): Promise<[LoadFigures, LoadFigures]> {
  const runs: [LoadFigures[], LoadFigures[]] = [[], []];
  for (let round = 0; round < options.rounds; round++) {
    for (const [i, target] of [a, b].entries()) {
      const figures = await runLoad({ ...target, durationSeconds: options.seconds, devices: 1_000_000, seed: `${target.seed}-${round}` });
      if ((figures.statuses['201'] ?? 0) !== figures.requests) throw new Error(`new-device run on ${target.url} answered ${JSON.stringify(figures.statuses)}`);
      runs[i].push(figures);
    }
  }
  return [inTotal(runs[0]), inTotal(runs[1])];
}

/** Runs one after another as one: their requests over their time, the worst of their latencies. */
export function inTotal(figures: LoadFigures[]): LoadFigures {
  const requests = figures.reduce((sum, f) => sum + f.requests, 0);
  const seconds = figures.reduce((sum, f) => sum + f.requests / f.perSecond, 0);
  const statuses: Record<string, number> = {};
  for (const f of figures) for (const [status, count] of Object.entries(f.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
  return { requests, perSecond: requests / seconds, p50: Math.max(...figures.map((f) => f.p50)), p99: Math.max(...figures.map((f) => f.p99)), statuses };
}

/** A server and the activation code of a large pool on it. */
export interface LoadTarget {
  url: string;
  activationCode: string;
  /** Names the fingerprints of its new devices (distinct per target and round). */
  seed: string;
}

/**
 * The server at size: a seeded database of `devices` devices (and 3 × as many audit events). The
 * new-device rate there is compared with the rate on `empty` (the server of the empty-database
 * figures, still running), the two measured in turn so that both see the same machine. Then what
 * staff see while devices activate open-loop at half of `capacity`: the first page of devices, a
 * deep page by cursor, a search by hardware value and a pool's view, one request at a time; then
 * every device as CSV from a server with a small heap; last, the audit verification of the whole
 * chain and resumed from its newest checkpoint.
 */
export async function scaleFigures(
  label: string,
  options: { devices: number; capacity: number; seconds: number; runLoad: RunLoad; empty: LoadTarget; postgresAdminUrl?: string; reuseSeed: boolean },
): Promise<ScaleFigures> {
  const storage = await seededStorage(label, options.devices, options.postgresAdminUrl, options.reuseSeed);
  try {
    const seeded = storage.summary;
    const storageEnv = storage.storageEnv;
    const server = await startServer({ dataDir: storage.dataDir, env: storageEnv });
    let empty: LoadFigures;
    let fresh: LoadFigures;
    let background: LoadFigures;
    let exportDevices: ExportFigures;
    const samples: Record<ProbeName, number[]> = { firstPage: [], deepPage: [], search: [], poolView: [], overviewActivations: [], overviewCustomerActivations: [], overviewSeats: [], overviewTrials: [], overviewReview: [] };
    const quietSamples: Record<OverviewProbe, number[]> = { overviewActivations: [], overviewCustomerActivations: [], overviewSeats: [], overviewTrials: [], overviewReview: [] };
    const pageSize = 50;
    const deepPage = Math.max(1, Math.min(10_000, Math.floor(seeded.devices / pageSize) - 1));
    try {
      const { activationCode } = await approvedPool(server.url, server.adminToken, { quantity: 1_000_000, unitPrice: 1 });
      const target: LoadTarget = { url: server.url, activationCode, seed: 'seeded-new' };
      log(`${label}: warming up the seeded server`);
      await options.runLoad({ ...target, durationSeconds: Math.min(2, options.seconds), devices: 1_000_000, seed: 'seeded-warm' });
      log(`${label}: new devices on the empty and the seeded database in turn, 2 × ${options.seconds / 2} s each`);
      [empty, fresh] = await alternate(options.runLoad, options.empty, target, { seconds: options.seconds / 2, rounds: 2 });

      const headers = { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' };
      const get = async (path: string): Promise<any> => {
        const answer = await fetch(`${server.url}${path}`, { headers });
        if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status}`);
        return answer.json();
      };
      // Reaching the deep page's cursor once by offset (the slow way) is setup, not measured.
      const beforeDeep = await get(`/v1/devices?limit=${pageSize}&offset=${(deepPage - 1) * pageSize}`);
      const deepCursor = beforeDeep.nextCursor as string;
      const poolIds = ((await get('/v1/pools?limit=100')).items as { id: string }[]).map((pool) => pool.id);
      // The customer of the fullest pool: one customer's activations, as its own token asks for them.
      const fullest = (await get('/v1/overview/seats?limit=1')).items[0] as { customerId: string };
      const probes: [ProbeName, (i: number) => Promise<Response>][] = [
        ['firstPage', () => fetch(`${server.url}/v1/devices?limit=${pageSize}`, { headers })],
        ['deepPage', () => fetch(`${server.url}/v1/devices?limit=${pageSize}&cursor=${deepCursor}`, { headers })],
        [
          'search',
          (i) =>
            fetch(`${server.url}/v1/devices/search`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ component: 'emmc.cid', value: seededReadings((i * 7919) % seeded.devices)[0].value }),
            }),
        ],
        ['poolView', (i) => fetch(`${server.url}/v1/pools/${poolIds[i % poolIds.length]}`, { headers })],
        ['overviewActivations', () => fetch(`${server.url}/v1/overview/activations?days=90`, { headers })],
        ['overviewCustomerActivations', () => fetch(`${server.url}/v1/overview/activations?days=90&customerId=${fullest.customerId}`, { headers })],
        ['overviewSeats', () => fetch(`${server.url}/v1/overview/seats?minPercent=80`, { headers })],
        ['overviewTrials', () => fetch(`${server.url}/v1/overview/trials?withinDays=7`, { headers })],
        ['overviewReview', () => fetch(`${server.url}/v1/overview/review`, { headers })],
      ];

      // Each overview aggregate on its own, paced as below, with no activations beside it.
      const overviewProbes = probes.filter(([name]) => name.startsWith('overview')) as [OverviewProbe, (i: number) => Promise<Response>][];
      const quietSeconds = (3 * options.seconds * overviewProbes.length) / 4;
      log(`${label}: the overview's aggregates with nothing else running, ${quietSeconds} s`);
      const quietEnd = performance.now() + quietSeconds * 1000;
      await pacedProbes(overviewProbes, quietSamples, () => performance.now() < quietEnd);
      const rate = options.capacity / 2;
      // About 300 requests of each probe (30 s for four of them at a full run), where 100 would make the p99 their second-worst.
      const probeSeconds = (3 * options.seconds * probes.length) / 4;
      log(`${label}: console requests while devices activate open-loop at ${Math.round(rate)}/s, ${probeSeconds} s`);
      const load = options.runLoad({ url: server.url, activationCode, durationSeconds: probeSeconds, devices: 1_000_000, seed: 'seeded-open', rate });
      let running = true;
      void load.finally(() => (running = false));
      await pacedProbes(probes, samples, () => running);
      background = await load;
      if ((background.statuses['201'] ?? 0) !== background.requests) throw new Error(`open-loop run on the seeded database answered ${JSON.stringify(background.statuses)}`);
    } finally {
      await server.stop();
    }
    log(`${label}: every device as CSV, from a server whose heap is capped at ${EXPORT_HEAP_MIB} MiB`);
    const capped = await startServer({ dataDir: storage.dataDir, env: { ...storageEnv, NODE_OPTIONS: `--max-old-space-size=${EXPORT_HEAP_MIB}` } });
    try {
      exportDevices = await timeDevicesExport(capped.url, capped.adminToken, capped.process.pid!);
    } finally {
      await capped.stop();
    }
    if (exportDevices.rows < seeded.devices) throw new Error(`the devices' CSV held ${exportDevices.rows} rows of at least ${seeded.devices}`);
    log(`${label}: audit verify, whole chain, then resumed`);
    const whole = timeAuditVerify(storageEnv, false);
    const resumed = timeAuditVerify(storageEnv, true);
    return {
      seed: seeded,
      empty,
      fresh,
      background,
      probes: Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, percentiles(values)])) as ScaleFigures['probes'],
      quietOverview: Object.fromEntries(Object.entries(quietSamples).map(([name, values]) => [name, percentiles(values)])) as ScaleFigures['quietOverview'],
      deepPage,
      verify: { events: whole.verdict.events, seconds: whole.seconds, peakRssMiB: whole.peakRssMiB, ok: whole.verdict.ok },
      resume: { seconds: resumed.seconds, ok: resumed.verdict.ok },
      exportDevices,
    };
  } finally {
    await storage.dispose();
  }
}
