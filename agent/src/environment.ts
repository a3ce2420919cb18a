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
}

export const DEFAULT_HOME = '/var/lib/seatlock';

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
 * deleting or editing its files does not.
 *
 * @example agentEnvironment({ SEATLOCK_SYSROOT: '/mnt/capture', SEATLOCK_HOME: '/tmp/agent' }, false).sysroot // '/mnt/capture'
 */
export function agentEnvironment(env: NodeJS.ProcessEnv = process.env, release = isReleaseBuild()): AgentEnvironment {
  const home = env.SEATLOCK_HOME || DEFAULT_HOME;
  if (release) return { sysroot: '/', home };
  return {
    sysroot: env.SEATLOCK_SYSROOT || '/',
    home,
    configPath: env.SEATLOCK_CONFIG || undefined,
    trustRootPath: env.SEATLOCK_TRUST_ROOT || undefined,
  };
}
