import { type ChildProcessByStdio, execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { launch } from './launcher';
import { REPO_ROOT } from './server';

/** The development bundle `npm run build` makes: one file, trusting SEATLOCK_TRUST_ROOT. */
export const DEV_AGENT = join(REPO_ROOT, 'agent/dist/seatlock-agent.dev.js');
const FAKE_CLOCK = join(REPO_ROOT, 'test/support/fake-clock.cjs');
const FIXTURES = join(REPO_ROOT, 'test/fixtures/devices');

/** A device for a test: a copy of a fixture sysroot and the agent's home on it. */
export interface TestDevice {
  sysroot: string;
  home: string;
  /** The device maker's config shipped in the fixture, if any. */
  config?: string;
}

export interface AgentRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface AgentRunOptions {
  /** The device's wall clock (ISO date), set from outside the way an owner would. */
  now?: string;
  /** Path of the trust root PEM (SEATLOCK_TRUST_ROOT). */
  trustRoot?: string;
  /** Which agent file to run; the development bundle by default. */
  agent?: string;
  /** More environment, over the device's (for example a SEATLOCK_CONFIG of the owner's). */
  env?: NodeJS.ProcessEnv;
  /** The Node binary to run it with; the one running the tests by default. */
  node?: string;
}

/**
 * Builds an agent bundle with agent/scripts/bundle.mjs: a release build unless `dev`, with the
 * root certificate and device maker config embedded when given. Answers the bundler's summary line.
 */
export function bundleAgent(out: string, options: { root?: string; config?: string; dev?: boolean }): string {
  const args = [join(REPO_ROOT, 'agent/scripts/bundle.mjs'), '--out', out];
  if (options.dev) args.push('--dev');
  if (options.root) args.push('--root', options.root);
  if (options.config) args.push('--config', options.config);
  return execFileSync(process.execPath, args, { encoding: 'utf8' });
}

/** Copies a fixture into a fresh temporary folder, so a test may change it. */
export function newDevice(fixture: string): TestDevice {
  const base = mkdtempSync(join(tmpdir(), `seatlock-${fixture}-`));
  const sysroot = join(base, 'sysroot');
  cpSync(join(FIXTURES, fixture), sysroot, { recursive: true });
  const config = join(sysroot, 'etc/seatlock/agent.json');
  return { sysroot, home: join(base, 'home'), config: existsSync(config) ? config : undefined };
}

/** A second, independent copy of a device with its state (sysroot and home). */
export function cloneDevice(device: TestDevice): TestDevice {
  const base = mkdtempSync(join(tmpdir(), 'seatlock-clone-'));
  const clone: TestDevice = { sysroot: join(base, 'sysroot'), home: join(base, 'home'), config: device.config && join(base, 'sysroot', device.config.slice(device.sysroot.length)) };
  cpSync(device.sysroot, clone.sysroot, { recursive: true });
  if (existsSync(device.home)) cpSync(device.home, clone.home, { recursive: true });
  return clone;
}

/** Writes a file inside the device's sysroot. */
export function setDeviceFile(device: TestDevice, path: string, content: string): void {
  writeFileSync(join(device.sysroot, path), content);
}

/** The license files the agent stored on the device. */
export function storedLicenses(device: TestDevice): string[] {
  const dir = join(device.home, 'licenses');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.lic')).map((f) => join(dir, f)) : [];
}

/** Reads a stored license's text. */
export function readLicense(file: string): string {
  return readFileSync(file, 'utf8');
}

/** The agent's command line as a boot script or init would run it, with only the agent's variables set. */
function agentCommand(device: TestDevice, args: string[], options: AgentRunOptions): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, SEATLOCK_SYSROOT: device.sysroot, SEATLOCK_HOME: device.home };
  if (device.config) env.SEATLOCK_CONFIG = device.config;
  if (options.trustRoot) env.SEATLOCK_TRUST_ROOT = options.trustRoot;
  Object.assign(env, options.env);
  const nodeArgs = options.now ? ['--require', FAKE_CLOCK] : [];
  if (options.now) env.FAKE_CLOCK_NOW = options.now;
  return { command: options.node ?? process.execPath, args: [...nodeArgs, options.agent ?? DEV_AGENT, ...args], env };
}

/** Starts the agent as its own process (see {@link agentCommand}), for a test that watches it run. */
export function startAgent(device: TestDevice, args: string[], options: AgentRunOptions = {}): ChildProcessByStdio<null, Readable, Readable> {
  const { command, args: commandArgs, env } = agentCommand(device, args, options);
  return spawn(command, commandArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs the agent to its end (see {@link agentCommand}), started by the worker's launcher. */
export async function runAgent(device: TestDevice, args: string[], options: AgentRunOptions = {}): Promise<AgentRun> {
  const { command, args: commandArgs, env } = agentCommand(device, args, options);
  const { code, stdout, stderr } = await launch(command, commandArgs, { env });
  return { code, stdout, stderr };
}

/** What the agent's clock record says, read from its copy in the home the way anyone on the board can (the seal is not checked). */
export function readClockRecord(device: TestDevice): { seq: number; state: { highWaterMs: number; uptimeMs: number; bootId: string; bootUptimeMs: number }; installs: Record<string, number>; revocationSerial?: number } {
  return JSON.parse(JSON.parse(readFileSync(join(device.home, 'clock.json'), 'utf8')).body);
}

/** Waits for a child process to close, collecting its exit code and output. */
export function collectRun(child: ChildProcessByStdio<null, Readable, Readable>): Promise<AgentRun> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
