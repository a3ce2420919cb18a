import { join } from 'node:path';

/** Where the agent reads the device and keeps its state; see {@link agentEnvironment}. */
export interface AgentEnvironment {
  /** Root of every device read (`SEATLOCK_SYSROOT`). */
  sysroot: string;
  /** The agent's state: licenses and the clock record (`SEATLOCK_HOME`). */
  home: string;
  /** The device maker's config (`SEATLOCK_CONFIG`, else `config.json` in the home). */
  configPath: string;
  /** Whether the config path was given explicitly, so a missing file is an error. */
  configRequired: boolean;
  /** Root certificate PEM for a build without an embedded root (`SEATLOCK_TRUST_ROOT`). */
  trustRootPath?: string;
}

export const DEFAULT_HOME = '/var/lib/seatlock';

/**
 * The agent's settings from environment variables.
 *
 * @example agentEnvironment({ SEATLOCK_SYSROOT: '/mnt/capture', SEATLOCK_HOME: '/tmp/agent' }).sysroot // '/mnt/capture'
 */
export function agentEnvironment(env: NodeJS.ProcessEnv = process.env): AgentEnvironment {
  const home = env.SEATLOCK_HOME || DEFAULT_HOME;
  return {
    sysroot: env.SEATLOCK_SYSROOT || '/',
    home,
    configPath: env.SEATLOCK_CONFIG || join(home, 'config.json'),
    configRequired: Boolean(env.SEATLOCK_CONFIG),
    trustRootPath: env.SEATLOCK_TRUST_ROOT || undefined,
  };
}
