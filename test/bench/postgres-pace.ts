import { approvedPool } from '../support/seatlock';
import { createTestDatabase, withAdmin } from '../support/postgres';
import { startInstance, startServer, type StartedServer } from '../support/server';
import { machineCpu, processCpu } from './cpu';
import { inTotal, type LoadFigures, type RunLoad } from './scale';

/**
 * PostgreSQL's pace against SQLite's, and two instances on one PostgreSQL against one, measured
 * in turn (SQLite, one instance, two instances; `rounds` times) so that all three see the same
 * machine. Two instances each get the load one instance gets, from a load process of their own,
 * as behind a load balancer. Where the CPU goes in each PostgreSQL run is read from /proc: the
 * Seatlock instances, the PostgreSQL backends serving this run's database, and the whole machine.
 */
export interface PaceFigures {
  rounds: number;
  sqlite: LoadFigures;
  one: LoadFigures;
  two: LoadFigures;
  /** Per-round ratios, for their spread. */
  oneToSqlite: number[];
  twoToOne: number[];
  /** CPU milliseconds per new device, and the machine's busy cores, in the one- and two-instance runs. */
  cpu: { one: CpuShare; two: CpuShare };
}

export interface CpuShare {
  seatlockMs: number;
  postgresMs: number;
  busyCores: number;
}

const log = (line: string) => console.error(`bench: ${line}`);

export async function postgresPace(options: { postgresAdminUrl: string; seconds: number; rounds: number; connections: number; runLoad: RunLoad }): Promise<PaceFigures> {
  const database = await createTestDatabase(options.postgresAdminUrl);
  const databaseName = new URL(database.url).pathname.slice(1);
  const servers: StartedServer[] = [];
  try {
    const sqlite = await startServer({ env: {} });
    servers.push(sqlite);
    const a = await startInstance(database.url);
    servers.push(a);
    const b = await startInstance(database.url, { adminToken: a.adminToken });
    servers.push(b);
    const sqliteCode = (await approvedPool(sqlite.url, sqlite.adminToken, { quantity: 1_000_000, unitPrice: 1 })).activationCode;
    const postgresCode = (await approvedPool(a.url, a.adminToken, { quantity: 1_000_000, unitPrice: 1 })).activationCode;
    const newDevices = (url: string, activationCode: string, seed: string, seconds = options.seconds) =>
      options.runLoad({ url, activationCode, durationSeconds: seconds, devices: 1_000_000, seed }).then((figures) => {
        if ((figures.statuses['201'] ?? 0) !== figures.requests) throw new Error(`new-device run on ${url} answered ${JSON.stringify(figures.statuses)}`);
        return figures;
      });
    log('PostgreSQL pace: warming up the SQLite server and both PostgreSQL instances');
    await Promise.all([newDevices(sqlite.url, sqliteCode, 'pace-warm', 2), newDevices(a.url, postgresCode, 'pace-warm-a', 2), newDevices(b.url, postgresCode, 'pace-warm-b', 2)]);

    const runs = { sqlite: [] as LoadFigures[], one: [] as LoadFigures[], two: [] as LoadFigures[] };
    const cpu = { one: [] as CpuShare[], two: [] as CpuShare[] };
    for (let round = 0; round < options.rounds; round++) {
      log(`PostgreSQL pace, round ${round + 1} of ${options.rounds}: SQLite, one PostgreSQL instance, two instances, ${options.seconds} s each`);
      runs.sqlite.push(await newDevices(sqlite.url, sqliteCode, `pace-sqlite-${round}`));
      let before = await cpuSample([a], options.postgresAdminUrl, databaseName);
      const one = await newDevices(a.url, postgresCode, `pace-one-${round}`);
      cpu.one.push(cpuDelta(before, await cpuSample([a], options.postgresAdminUrl, databaseName), one.requests));
      runs.one.push(one);
      before = await cpuSample([a, b], options.postgresAdminUrl, databaseName);
      const [first, second] = await Promise.all([newDevices(a.url, postgresCode, `pace-two-a-${round}`), newDevices(b.url, postgresCode, `pace-two-b-${round}`)]);
      const two = atOnce([first, second]);
      cpu.two.push(cpuDelta(before, await cpuSample([a, b], options.postgresAdminUrl, databaseName), two.requests));
      runs.two.push(two);
    }
    return {
      rounds: options.rounds,
      sqlite: inTotal(runs.sqlite),
      one: inTotal(runs.one),
      two: inTotal(runs.two),
      oneToSqlite: runs.one.map((f, i) => f.perSecond / runs.sqlite[i].perSecond),
      twoToOne: runs.two.map((f, i) => f.perSecond / runs.one[i].perSecond),
      cpu: { one: meanShare(cpu.one), two: meanShare(cpu.two) },
    };
  } finally {
    for (const server of servers) await server.stop();
    await database.drop();
  }
}

/** Two load processes at once as one: their rates add up, the worse latencies stand. */
function atOnce(figures: LoadFigures[]): LoadFigures {
  return { ...inTotal(figures), perSecond: figures.reduce((sum, f) => sum + f.perSecond, 0) };
}

interface CpuSample {
  at: number;
  seatlock: number;
  /** CPU seconds of each backend serving the run's database, by process id. */
  postgres: Map<number, number>;
  machine: number;
}

async function cpuSample(servers: StartedServer[], adminUrl: string, databaseName: string): Promise<CpuSample> {
  const backends = await withAdmin(adminUrl, (client) => client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [databaseName]));
  return {
    at: performance.now(),
    seatlock: servers.reduce((sum, server) => sum + processCpu(server.process.pid as number), 0),
    postgres: new Map(backends.rows.map((row) => [row.pid, processCpu(row.pid)])),
    machine: machineCpu(),
  };
}

function cpuDelta(before: CpuSample, after: CpuSample, activations: number): CpuShare {
  return {
    seatlockMs: ((after.seatlock - before.seatlock) * 1000) / activations,
    // A backend that connected during the run counts from zero; one that ended during it is not
    // counted (the pools keep their connections through a run).
    postgresMs: ([...after.postgres].reduce((sum, [pid, seconds]) => sum + seconds - (before.postgres.get(pid) ?? 0), 0) * 1000) / activations,
    busyCores: (after.machine - before.machine) / ((after.at - before.at) / 1000),
  };
}

function meanShare(samples: CpuShare[]): CpuShare {
  const mean = (pick: (s: CpuShare) => number) => samples.reduce((sum, s) => sum + pick(s), 0) / samples.length;
  return { seatlockMs: mean((s) => s.seatlockMs), postgresMs: mean((s) => s.postgresMs), busyCores: mean((s) => s.busyCores) };
}
