import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { copyDatabaseFor, databaseEnv, TEST_DATABASE } from './database';

/** The repository root: the nearest folder up from here holding the server workspace (also from a bundled copy). */
export const REPO_ROOT = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'server/package.json'))) {
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error(`No Seatlock repository above ${__dirname}`);
    dir = parent;
  }
  return dir;
})();
/** The server and `seatlock-admin` as `npm start` and the installed binary run them (server/scripts/bundle.mjs). */
export const SERVER_MAIN = join(REPO_ROOT, 'server/dist/bin/server.js');
export const ADMIN_CLI = join(REPO_ROOT, 'server/dist/bin/admin.js');

/** The environment that starts a server with its wall clock at `at` (epoch ms), running on from there. */
export function clockEnv(at: number): Record<string, string> {
  return { NODE_OPTIONS: `--require ${join(REPO_ROOT, 'test/support/fake-clock.cjs')}`, FAKE_CLOCK_NOW: String(at) };
}
const LISTENING = /^Seatlock server listening on (http:\/\/\S+)$/m;

export interface StartedServer {
  url: string;
  dataDir: string;
  /** What points `seatlock-admin` at this server's database (data dir, and DATABASE_URL on PostgreSQL). */
  storageEnv: Record<string, string>;
  adminToken: string;
  process: ChildProcess;
  /** Everything the server wrote so far, stderr (its JSON logs) then stdout. */
  output(): string;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
  /** Sends `signal` (default SIGKILL) and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface StartServerOptions {
  /** Extra environment, over the defaults below. */
  env?: Record<string, string>;
  /** Reuse a data directory (a restart); a fresh temporary one otherwise. */
  dataDir?: string;
  /** The admin token to start with; a random one otherwise. */
  adminToken?: string;
  /**
   * A real first start (migrations, the root CA and first issuing key made by this server), for
   * the tests of first start itself. Otherwise a fresh data directory may begin as a copy of
   * the run's first-start template (see {@link firstStartTemplate}).
   */
  firstStart?: boolean;
}

/**
 * Settings a first start does not depend on: given only these (and an admin token), a server
 * on a fresh data directory may start from a copy of the run's template. Anything else (the
 * mode, a key passphrase, a moved clock, another database) makes its own first start.
 */
const FIRST_START_NEUTRAL_ENV = new Set([
  'SEATLOCK_OUTBOX_POLL_MS',
  'SEATLOCK_REMINDER_SCAN_SECONDS',
  'SEATLOCK_RATE_LIMIT_FAILURES',
  'SEATLOCK_WEBHOOK_ALLOW_PRIVATE',
  'SEATLOCK_RATE_LIMIT_WINDOW_SECONDS',
  'SEATLOCK_TRUST_PROXY',
  'SEATLOCK_METRICS_TOKEN',
  'SEATLOCK_SHUTDOWN_DELAY_SECONDS',
  'SEATLOCK_SIGNING_WORKERS',
  'SEATLOCK_AUDIT_CHECKPOINT_EVENTS',
  'SEATLOCK_AUDIT_CHECKPOINT_SECONDS',
  'SEATLOCK_SESSION_IDLE_MINUTES',
  'SEATLOCK_SESSION_MAX_HOURS',
  'SEATLOCK_PUBLIC_URL',
  'LOG_FORMAT',
  'LOG_LEVEL',
]);

function serverEnv(adminToken: string | undefined, storageEnv: Record<string, string>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'development',
    PORT: '0',
    HOST: '127.0.0.1',
    ...(adminToken === undefined ? {} : { SEATLOCK_ADMIN_TOKEN: adminToken }),
    ...storageEnv,
    ...extra,
  };
}

/** A first start's data directory, and on PostgreSQL the name of its database (nobody connected to it). */
interface FirstStart {
  dataDir: string;
  database?: string;
}

let template: Promise<FirstStart> | undefined;

/**
 * What a development server leaves after its first start with no admin token (migrations run,
 * a root CA and an issuing key made, `keys.initialized` audited, the first checkpoint signed),
 * made once per run by the first worker to ask, under the run's temporary root (on PostgreSQL,
 * a database of the run). Most tests need a server, not a first start: a copy costs a file or
 * database copy where the first start costs the 3072-bit root key, about 1.5 s of CPU. Servers
 * from copies share those keys, each with its own database from then on. Undefined while
 * another worker makes it (that start then makes its own keys), and outside a vitest run.
 */
function firstStartTemplate(): Promise<FirstStart> | undefined {
  const runRoot = process.env.SEATLOCK_TEST_TMPDIR;
  if (!runRoot) return undefined;
  // The projects (SQLite, PostgreSQL) share the run's root: one template each.
  const dir = join(runRoot, `first-start-template-${TEST_DATABASE}`);
  const data = join(dir, 'data');
  const ready = join(dir, 'ready');
  if (existsSync(ready)) return Promise.resolve({ dataDir: data, database: readFileSync(ready, 'utf8') || undefined });
  if (template) return template;
  try {
    // mkdir is atomic: one worker makes the template, the others start as before meanwhile.
    mkdirSync(dir);
  } catch {
    return undefined;
  }
  template = (async () => {
    mkdirSync(data, { mode: 0o700 });
    const storageEnv = await databaseEnv(data);
    const first = await spawnServer(data, serverEnv(undefined, storageEnv));
    await first.stop();
    const database = storageEnv.DATABASE_URL ? new URL(storageEnv.DATABASE_URL).pathname.slice(1) : undefined;
    writeFileSync(ready, database ?? '');
    return { dataDir: data, database };
  })();
  return template;
}

/** The neutral settings and no data directory of its own: a start the template stands for. */
function templateFits(options: StartServerOptions): boolean {
  return !options.firstStart && options.dataDir === undefined && Object.keys(options.env ?? {}).every((name) => FIRST_START_NEUTRAL_ENV.has(name));
}

/**
 * Starts the compiled server (`npm run build` first) on an ephemeral port with its own data
 * directory and admin token, and resolves once it is listening. Rejects with the server's
 * stderr if it exits first.
 */
export async function startServer(options: StartServerOptions = {}): Promise<StartedServer> {
  const fromTemplate = templateFits(options) ? firstStartTemplate() : undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'seatlock-server-'));
  if (fromTemplate) {
    const first = await fromTemplate;
    cpSync(first.dataDir, dataDir, { recursive: true });
    if (first.database) copyDatabaseFor(dataDir, first.database);
  }
  const adminToken = options.adminToken ?? `test-admin-${randomBytes(16).toString('hex')}`;
  const givenUrl = options.env?.DATABASE_URL;
  const storageEnv = givenUrl !== undefined ? { SEATLOCK_DATA_DIR: dataDir, DATABASE_URL: givenUrl } : await databaseEnv(dataDir);
  const started = await spawnServer(dataDir, serverEnv(adminToken, storageEnv, options.env));
  return { ...started, storageEnv, adminToken };
}

/**
 * Starts the compiled server with `env` and resolves once it is listening. Rejects with the
 * server's stderr if it exits first.
 */
function spawnServer(dataDir: string, env: NodeJS.ProcessEnv): Promise<Omit<StartedServer, 'storageEnv' | 'adminToken'>> {
  const child = spawn(process.execPath, [SERVER_MAIN], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const waitFor = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };

  return new Promise((resolvePromise, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (process.env.SEATLOCK_TEST_SERVER_LOGS) process.stderr.write(chunk);
    });
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const found = LISTENING.exec(stdout);
      if (found) {
        resolvePromise({
          url: found[1],
          dataDir,
          process: child,
          output: () => stderr + stdout,
          stop: () => waitFor('SIGTERM'),
          kill: (signal = 'SIGKILL') => waitFor(signal),
        });
      }
    });
    child.once('exit', (code, signal) => {
      if (!LISTENING.test(stdout)) {
        reject(new Error(`The server exited (${signal ?? `code ${code}`}) before listening.\n--- stderr ---\n${stderr}--- stdout ---\n${stdout}`));
      }
    });
    child.once('error', reject);
  });
}

/**
 * One of several server instances on a shared PostgreSQL database, as behind a load balancer:
 * its own temporary data directory, the database from `databaseUrl`.
 */
export function startInstance(databaseUrl: string, options: { adminToken?: string; env?: Record<string, string> } = {}): Promise<StartedServer> {
  return startServer({ dataDir: mkdtempSync(join(tmpdir(), 'seatlock-instance-')), env: { DATABASE_URL: databaseUrl, ...options.env }, adminToken: options.adminToken });
}
