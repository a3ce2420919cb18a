import { AgentError } from './errors';

/** Where the agent reads the device and keeps its state; see {@link agentEnvironment}. */
export interface AgentEnvironment {
  /** Root of every device read: `/` in a release build, `SEATLOCK_SYSROOT` in a development build. */
  sysroot: string;
  /** The agent's state: licenses and the clock record (`SEATLOCK_HOME`). */
  home: string;
  /** A run-time device maker config (`SEATLOCK_CONFIG`); development builds only. */
  configPath?: string;
  /** Root certificate PEM for a build without an embedded root (`SEATLOCK_TRUST_ROOT`); development builds only. */
  trustRootPath?: string;
  /** The resident mode's interval instead of {@link WATCH_INTERVAL_MS} (`SEATLOCK_WATCH_INTERVAL_MS`); development builds only, for tests. */
  watchIntervalMs?: number;
}

export const DEFAULT_HOME = '/var/lib/seatlock';

/** How often `verify --watch` adds the board's running time to the clock record: at most this much of a boot goes uncounted when the power is cut. */
export const WATCH_INTERVAL_MS = 5 * 60 * 1000;

// Set to true by the bundler in a release build; an undeclared global otherwise.
declare const SEATLOCK_RELEASE_BUILD: boolean | undefined;

/** Whether this agent is a release bundle, which reads the real `/` and nothing the owner can point elsewhere. */
export function isReleaseBuild(): boolean {
  return typeof SEATLOCK_RELEASE_BUILD === 'boolean' && SEATLOCK_RELEASE_BUILD;
}

/**
 * The agent's settings from environment variables. A release build honours `SEATLOCK_HOME`
 * only: a device owner who could point it at another device's tree (`SEATLOCK_SYSROOT`), a
 * config of their own (`SEATLOCK_CONFIG`) or a root of their own (`SEATLOCK_TRUST_ROOT`) would
 * present another identity or sign their own licenses. The home stays movable since devices
 * differ in where they can write, and pointing it elsewhere gives the owner nothing that
 * deleting or editing its files does not. A release build keeps the resident mode's interval
 * too, so the owner cannot stretch the time a boot may leave uncounted.
 *
 * @example agentEnvironment({ SEATLOCK_SYSROOT: '/mnt/capture', SEATLOCK_HOME: '/tmp/agent' }, false).sysroot // '/mnt/capture'
 */
export function agentEnvironment(env: NodeJS.ProcessEnv = process.env, release = isReleaseBuild()): AgentEnvironment {
  const home = agentHome(env);
  if (release) return { sysroot: '/', home };
  return {
    sysroot: env.SEATLOCK_SYSROOT || '/',
    home,
    configPath: env.SEATLOCK_CONFIG || undefined,
    trustRootPath: env.SEATLOCK_TRUST_ROOT || undefined,
    watchIntervalMs: env.SEATLOCK_WATCH_INTERVAL_MS ? watchInterval(env.SEATLOCK_WATCH_INTERVAL_MS) : undefined,
  };
}

/** The agent's state folder, in every build: `SEATLOCK_HOME`, or {@link DEFAULT_HOME}. */
export function agentHome(env: NodeJS.ProcessEnv): string {
  return env.SEATLOCK_HOME || DEFAULT_HOME;
}

function watchInterval(text: string): number {
  const ms = Number(text);
  if (!Number.isSafeInteger(ms) || ms < 1) throw new AgentError('CONFIG_INVALID', `SEATLOCK_WATCH_INTERVAL_MS must be a whole number of milliseconds, not "${text}".`);
  return ms;
}
