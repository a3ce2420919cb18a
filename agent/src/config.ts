import { readFileSync } from 'node:fs';
import { COMPONENT_NAME, componentSpec, declaredComponent, type ComponentSpec } from '@seatlock/shared';
import type { AgentEnvironment } from './environment';
import { AgentError } from './errors';

/** A component the device maker declares: read from `file` (relative to the sysroot). */
export interface DeclaredComponent {
  name: string;
  file: string;
  spec: ComponentSpec;
}

export interface AgentConfig {
  components: DeclaredComponent[];
  /**
   * Directories on the device, outside the agent's home, that keep a copy of the trial clock
   * record (for example a persist partition a factory reset leaves alone).
   */
  stateDirs: string[];
}

export const EMPTY_CONFIG: AgentConfig = { components: [], stateDirs: [] };

// Replaced by the bundler with the text of the device maker's config (`--config`); an undeclared global otherwise.
declare const SEATLOCK_MAKER_CONFIG: string | undefined;

function invalid(source: string, why: string): never {
  throw new AgentError('CONFIG_INVALID', `Invalid agent config ${source}: ${why}.`);
}

/**
 * Checks a config document: the components the device maker declares and the directories that
 * keep copies of the trial clock record (`stateDirs`). Each declared component needs its own
 * name, `weight` (1-10) and `strong`. Names the agent collects itself (`emmc.cid`, `soc.serial`, `net.mac.eth0`, ...) are
 * refused: a declaration read from a file must never stand in for the hardware's own reading.
 *
 * @example parseConfig('{"components":[{"name":"hisi.chip-id","file":"/run/chipid","weight":4,"strong":true}]}', 'config.json')
 */
export function parseConfig(text: string, source: string): AgentConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    invalid(source, `not JSON (${(error as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) invalid(source, 'expected an object');
  const list = (doc as { components?: unknown }).components ?? [];
  if (!Array.isArray(list)) invalid(source, 'components must be a list');
  const names = new Set<string>();
  const components = list.map((entry: unknown, i): DeclaredComponent => {
    const { name, file, weight, strong, description } = (entry ?? {}) as Record<string, unknown>;
    const at = `components[${i}]`;
    if (typeof name !== 'string' || !COMPONENT_NAME.test(name) || name.length > 64) invalid(source, `${at}.name must be lower-case dotted words, e.g. "hisi.chip-id"`);
    if (componentSpec(name)) invalid(source, `${at}.name "${name}" is a component the agent collects itself; give the declared one a name of its own, e.g. "vendor.chip-id"`);
    if (names.has(name)) invalid(source, `${at}.name "${name}" is declared twice`);
    names.add(name);
    if (typeof file !== 'string' || file.length === 0) invalid(source, `${at}.file must name the file to read`);
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > 10) invalid(source, `${at}.weight must be an integer from 1 to 10`);
    if (typeof strong !== 'boolean') invalid(source, `${at}.strong must be true or false`);
    return { name, file, spec: declaredComponent(weight, strong, typeof description === 'string' ? description : undefined) };
  });
  const stateDirs = (doc as { stateDirs?: unknown }).stateDirs ?? [];
  if (!Array.isArray(stateDirs) || !stateDirs.every((dir) => typeof dir === 'string' && dir.startsWith('/') && !dir.split('/').includes('..'))) {
    invalid(source, 'stateDirs must be a list of absolute directory paths, e.g. ["/persist/seatlock"]');
  }
  return { components, stateDirs };
}

/**
 * Loads a config file named at run time (`SEATLOCK_CONFIG`, development builds only).
 *
 * @throws AgentError `CONFIG_INVALID` when the file is missing or not a valid config.
 * @example loadConfig('/tmp/maker.json').components
 */
export function loadConfig(path: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return invalid(path, (error as Error).message);
  }
  return parseConfig(text, path);
}

/**
 * The device maker's config this agent runs with: the one embedded at bundle time (`--config`),
 * or in a development build the file `SEATLOCK_CONFIG` names. A release build reads no config
 * at run time, so the device owner cannot declare components of their own choosing.
 *
 * @example agentConfig(agentEnvironment()).components.map((c) => c.name) // ['hisi.chip-id']
 */
export function agentConfig(env: AgentEnvironment): AgentConfig {
  if (env.configPath) return loadConfig(env.configPath);
  return typeof SEATLOCK_MAKER_CONFIG === 'string' ? parseConfig(SEATLOCK_MAKER_CONFIG, '(embedded at bundle time)') : EMPTY_CONFIG;
}
