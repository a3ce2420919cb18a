import { execFileSync, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { requiredInCi } from './requirement';

const REPO_ROOT = resolve(__dirname, '../..');

/** The development build of the native command, which reads SEATLOCK_SYSROOT, SEATLOCK_CONFIG and SEATLOCK_TRUST_ROOT. */
export const NATIVE_DEV = join(REPO_ROOT, 'native/build/seatlock-verify-dev');

/**
 * Builds the native library and commands (`npm run build:native`, incremental) and answers the
 * development command's path; where no C compiler is installed the tests that need it are skipped
 * with the reason, and CI fails instead.
 */
export function nativeBuild(): string | undefined {
  const compiler = spawnSync('sh', ['-c', 'command -v "${CC:-cc}" && command -v make'], { encoding: 'utf8' });
  const found = compiler.status === 0 ? NATIVE_DEV : undefined;
  const path = requiredInCi(found, 'A C compiler for native/', 'apt-get install gcc make libmbedtls-dev libjansson-dev');
  if (path) execFileSync('sh', [join(REPO_ROOT, 'native/build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  return path;
}

export interface NativeRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the native development command against a device tree and a home, at a wall-clock time (FAKE_CLOCK_NOW, ms). */
export function runNative(args: string[], env: { sysroot: string; home: string; trustRoot?: string; config?: string; nowMs?: number }, tool = NATIVE_DEV): NativeRun {
  const vars: NodeJS.ProcessEnv = { PATH: process.env.PATH, SEATLOCK_SYSROOT: env.sysroot, SEATLOCK_HOME: env.home };
  if (env.trustRoot) vars.SEATLOCK_TRUST_ROOT = env.trustRoot;
  if (env.config) vars.SEATLOCK_CONFIG = env.config;
  if (env.nowMs !== undefined) vars.FAKE_CLOCK_NOW = String(env.nowMs);
  const result = spawnSync(tool, args, { env: vars, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
