import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, vi } from 'vitest';
import { run } from '../../agent/src/command-line';
import { FIXTURES, tempDir } from '../../agent/src/spec-support';
import { launch } from './launcher';
import { requiredInCi } from './requirement';

const REPO_ROOT = resolve(__dirname, '../..');

/**
 * SEATLOCK_NATIVE_SANITIZE=1 runs the native tests against the AddressSanitizer (with
 * LeakSanitizer) and UndefinedBehaviorSanitizer build instead (`make SANITIZE=1`, clang).
 */
const SANITIZE = process.env.SEATLOCK_NATIVE_SANITIZE === '1';
/**
 * SEATLOCK_NATIVE_TARGET=arm-linux-gnueabihf (or aarch64-linux-gnu) runs them against the cross
 * build for that board, a static binary run by QEMU's user-mode emulator.
 */
const TARGET = process.env.SEATLOCK_NATIVE_TARGET;
const EMULATOR: Record<string, string> = { 'arm-linux-gnueabihf': 'qemu-arm-static', 'aarch64-linux-gnu': 'qemu-aarch64-static' };
if (TARGET && !EMULATOR[TARGET]) throw new Error(`SEATLOCK_NATIVE_TARGET must be one of ${Object.keys(EMULATOR).join(', ')}`);
const BUILD = SANITIZE ? 'native/build/sanitize' : TARGET ? `native/build/${TARGET}` : 'native/build';
/** The development build of the native command, which reads SEATLOCK_SYSROOT, SEATLOCK_CONFIG and SEATLOCK_TRUST_ROOT. */
export const NATIVE_DEV = join(REPO_ROOT, BUILD, 'seatlock-verify-dev');
/** How much slower a native run is: the sanitizers' checks cost about three times the plain build's time. */
export const NATIVE_SLOWDOWN = SANITIZE ? 3 : TARGET ? 5 : 1;
/** A sanitizer's finding ends the run with this code, which no verdict has. */
const SANITIZER_EXIT = 90;

/**
 * Builds the native library and commands (`npm run build:native`, incremental) and answers the
 * development command's path; where no C compiler is installed the tests that need it are skipped
 * with the reason, and CI fails instead.
 */
export function nativeBuild(): string | undefined {
  const compiler = spawnSync('sh', ['-c', 'command -v "${CC:-cc}" && command -v make'], { encoding: 'utf8' });
  const found = compiler.status === 0 ? NATIVE_DEV : undefined;
  const path = requiredInCi(found, 'A C compiler for native/', 'apt-get install gcc make libmbedtls-dev libbearssl-dev libsodium-dev libjansson-dev');
  if (path) execFileSync('sh', [join(REPO_ROOT, 'native/build.sh'), ...(SANITIZE ? ['SANITIZE=1'] : []), ...(TARGET ? [`TARGET=${TARGET}`] : [])], { stdio: ['ignore', 'ignore', 'inherit'] });
  return path;
}

export interface NativeRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the native development command against a device tree and a home, at a wall-clock time (FAKE_CLOCK_NOW, ms). */
export async function runNative(args: string[], env: { sysroot: string; home: string; trustRoot?: string; config?: string; nowMs?: number }, tool = NATIVE_DEV): Promise<NativeRun> {
  const vars: NodeJS.ProcessEnv = { PATH: process.env.PATH, SEATLOCK_SYSROOT: env.sysroot, SEATLOCK_HOME: env.home };
  if (env.trustRoot) vars.SEATLOCK_TRUST_ROOT = env.trustRoot;
  if (env.config) vars.SEATLOCK_CONFIG = env.config;
  if (env.nowMs !== undefined) vars.FAKE_CLOCK_NOW = String(env.nowMs);
  if (SANITIZE) {
    vars.ASAN_OPTIONS = `detect_leaks=1:exitcode=${SANITIZER_EXIT}`;
    vars.UBSAN_OPTIONS = `halt_on_error=1:print_stacktrace=1:exitcode=${SANITIZER_EXIT}`;
  }
  const [command, ...rest] = TARGET ? [EMULATOR[TARGET], tool, ...args] : [tool, ...args];
  const result = await launch(command, rest, { env: vars });
  if (result.code === SANITIZER_EXIT || /Sanitizer/.test(result.stderr)) throw new Error(`${tool} ${args.join(' ')}: a sanitizer reported\n${result.stderr}`);
  return { code: result.code ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** One device's situation: its tree, the agent's home on it, the maker's config, and the time. */
export interface State {
  sysroot: string;
  home: string;
  /** SEATLOCK_TRUST_ROOT */
  trustRoot: string;
  config?: string;
}

/** Runs the agent's command line in this process with its wall clock at `nowMs` (the caller has Date faked). */
export async function agentAt(nowMs: number, args: string[], state: State): Promise<{ code: number; err: string }> {
  vi.setSystemTime(nowMs);
  const err: string[] = [];
  const env = { SEATLOCK_SYSROOT: state.sysroot, SEATLOCK_HOME: state.home, SEATLOCK_TRUST_ROOT: state.trustRoot, ...(state.config ? { SEATLOCK_CONFIG: state.config } : {}) };
  const code = await run(args, env, { out: () => undefined, err: (s) => err.push(s) });
  return { code, err: err.join('') };
}

export function copyHome(home: string): string {
  const copy = join(tempDir('seatlock-native-'), 'home');
  if (existsSync(home)) cpSync(home, copy, { recursive: true });
  return copy;
}

/** Every file under a home with its content, temporary files of an interrupted write left out. */
export function snapshot(home: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[relative(home, path)] = readFileSync(path, 'latin1');
    }
  };
  walk(home);
  return files;
}

/** Runs one command in the agent and in the native tool from the same state; answers the agent's code after checking that both agree. */
export async function both(nowMs: number, args: string[], state: State, label: string): Promise<number> {
  const agentHome = copyHome(state.home);
  const nativeHome = copyHome(state.home);
  const agent = await agentAt(nowMs, args, { ...state, home: agentHome });
  const c = await runNative(args, { sysroot: state.sysroot, home: nativeHome, trustRoot: state.trustRoot, config: state.config, nowMs });
  expect(c.code, `${label}: agent ${agent.code} (${agent.err.trim()}), native ${c.code} (${c.stderr.trim()})`).toBe(agent.code);
  expect(snapshot(nativeHome), `${label}: the state each left`).toEqual(snapshot(agentHome));
  return agent.code;
}

export function fileWith(content: string | Buffer): string {
  const file = join(tempDir('seatlock-native-'), 'input');
  writeFileSync(file, content);
  return file;
}

/** A license file put in the store by hand (copied in, not installed). */
export function copiedIn(home: string, license: string): void {
  mkdirSync(join(home, 'licenses'), { recursive: true });
  writeFileSync(join(home, 'licenses', `copied-${createHash('sha256').update(license).digest('hex').slice(0, 12)}.lic`), license);
}

export function boardState(board: string, trustRoot: string): State {
  const sysroot = join(tempDir('seatlock-native-'), board);
  cpSync(join(FIXTURES, board), sysroot, { recursive: true });
  const config = join(sysroot, 'etc/seatlock/agent.json');
  return { sysroot, home: join(tempDir('seatlock-native-'), 'home'), trustRoot, config: existsSync(config) ? config : undefined };
}

export { interleavedScript, interleavedTimes } from './interleaved';

export const median = (values: number[]): number => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
