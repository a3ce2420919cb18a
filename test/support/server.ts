import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { databaseEnv } from './database';

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
const SERVER_MAIN = join(REPO_ROOT, 'server/dist/main.js');
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
}

/**
 * Starts the compiled server (`npm run build` first) on an ephemeral port with its own data
 * directory and admin token, and resolves once it is listening. Rejects with the server's
 * stderr if it exits first.
 */
export async function startServer(options: StartServerOptions = {}): Promise<StartedServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'seatlock-server-'));
  const adminToken = options.adminToken ?? `test-admin-${randomBytes(16).toString('hex')}`;
  const givenUrl = options.env?.DATABASE_URL;
  const storageEnv = givenUrl !== undefined ? { SEATLOCK_DATA_DIR: dataDir, DATABASE_URL: givenUrl } : await databaseEnv(dataDir);
  const child = spawn(process.execPath, [SERVER_MAIN], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      PORT: '0',
      HOST: '127.0.0.1',
      SEATLOCK_ADMIN_TOKEN: adminToken,
      ...storageEnv,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const waitFor = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };

  return new Promise<StartedServer>((resolvePromise, reject) => {
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
          storageEnv,
          adminToken,
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
