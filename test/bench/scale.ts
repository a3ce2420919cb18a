import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { approvedPool } from '../support/seatlock';
import { REPO_ROOT, startServer } from '../support/server';
import { seededReadings } from './seeded-devices';

/** What `runLoad` in run.ts measures: closed-loop over connections, or open-loop at `rate`. */
export type RunLoad = (options: { url: string; activationCode: string; durationSeconds: number; devices: number; seed: string; rate?: number }) => Promise<LoadFigures>;

export interface LoadFigures {
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
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
  fresh: LoadFigures;
  background: LoadFigures;
  probes: Record<ProbeName, { p50: number; p99: number; count: number }>;
  deepPage: number;
  verify: { events: number; seconds: number; peakRssMiB: number; ok: boolean };
  resume: { seconds: number; ok: boolean };
}

type ProbeName = 'firstPage' | 'deepPage' | 'search' | 'poolView';

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
    const run = spawnSync(process.execPath, ['--require', preload, join(REPO_ROOT, 'server/dist/cli/admin.js'), 'audit', 'verify', ...(resume ? ['--resume'] : [])], {
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

function percentiles(samples: number[]): { p50: number; p99: number; count: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), count: sorted.length };
}

/**
 * The server at size: seeds `devices` devices (and 3 × as many audit events), measures the
 * new-device rate there (closed-loop, as on the empty database), then what staff see while
 * devices activate open-loop at half of `capacity`: the first page of devices, a deep page by
 * cursor, a search by hardware value and a pool's view, one request at a time; last, the audit
 * verification of the whole chain and resumed from its newest checkpoint.
 */
export async function scaleFigures(label: string, env: Record<string, string>, options: { devices: number; capacity: number; seconds: number; runLoad: RunLoad }): Promise<ScaleFigures> {
  const dataDir = mkdtempSync(join(tmpdir(), 'seatlock-bench-seeded-'));
  try {
    log(`${label}: seeding ${options.devices.toLocaleString('en')} devices`);
    const seeded = await seed(options.devices, dataDir, env);
    const storageEnv = { SEATLOCK_DATA_DIR: dataDir, DATABASE_URL: env.DATABASE_URL ?? '' };
    const server = await startServer({ dataDir, env: storageEnv });
    let fresh: LoadFigures;
    let background: LoadFigures;
    const samples: Record<ProbeName, number[]> = { firstPage: [], deepPage: [], search: [], poolView: [] };
    const pageSize = 50;
    const deepPage = Math.max(1, Math.min(10_000, Math.floor(seeded.devices / pageSize) - 1));
    try {
      const { activationCode } = await approvedPool(server.url, server.adminToken, { quantity: 1_000_000, unitPrice: 1 });
      log(`${label}: new devices on the seeded database, ${options.seconds} s`);
      fresh = await options.runLoad({ url: server.url, activationCode, durationSeconds: options.seconds, devices: 1_000_000, seed: 'seeded-new' });
      if ((fresh.statuses['201'] ?? 0) !== fresh.requests) throw new Error(`new-device run on the seeded database answered ${JSON.stringify(fresh.statuses)}`);

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
      ];

      const rate = options.capacity / 2;
      log(`${label}: console requests while devices activate open-loop at ${Math.round(rate)}/s, ${options.seconds} s`);
      const load = options.runLoad({ url: server.url, activationCode, durationSeconds: options.seconds, devices: 1_000_000, seed: 'seeded-open', rate });
      let running = true;
      void load.finally(() => (running = false));
      for (let i = 0; running; i++) {
        const [name, call] = probes[i % probes.length];
        const started = performance.now();
        const answer = await call(i);
        await answer.arrayBuffer();
        if (answer.status !== 200) throw new Error(`${name}: ${answer.status}`);
        samples[name].push(performance.now() - started);
      }
      background = await load;
      if ((background.statuses['201'] ?? 0) !== background.requests) throw new Error(`open-loop run on the seeded database answered ${JSON.stringify(background.statuses)}`);
    } finally {
      await server.stop();
    }
    log(`${label}: audit verify, whole chain, then resumed`);
    const whole = timeAuditVerify(storageEnv, false);
    const resumed = timeAuditVerify(storageEnv, true);
    return {
      seed: seeded,
      fresh,
      background,
      probes: Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, percentiles(values)])) as ScaleFigures['probes'],
      deepPage,
      verify: { events: whole.verdict.events, seconds: whole.seconds, peakRssMiB: whole.peakRssMiB, ok: whole.verdict.ok },
      resume: { seconds: resumed.seconds, ok: resumed.verdict.ok },
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
