import { readFileSync } from 'node:fs';
import { COMPONENT_NAME, componentSpec, declaredComponent, type ComponentSpec } from '@seatlock/shared';
import { AgentError } from './errors';

/** A component the device maker declares: read from `file` (relative to the sysroot). */
export interface DeclaredComponent {
  name: string;
  file: string;
  /** The registry's spec for a known name, the declared weight and strength otherwise. */
  spec: ComponentSpec;
}

export interface AgentConfig {
  components: DeclaredComponent[];
}

export const EMPTY_CONFIG: AgentConfig = { components: [] };

function invalid(source: string, why: string): never {
  throw new AgentError('CONFIG_INVALID', `Invalid agent config ${source}: ${why}.`);
}

/**
 * Checks a config document. Known component names (`android.id`, `board.serial`, ...) take
 * their weight from the registry; other names need `weight` (1-10) and `strong`.
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
  const components = list.map((entry: unknown, i): DeclaredComponent => {
    const { name, file, weight, strong, description } = (entry ?? {}) as Record<string, unknown>;
    const at = `components[${i}]`;
    if (typeof name !== 'string' || !COMPONENT_NAME.test(name) || name.length > 64) invalid(source, `${at}.name must be lower-case dotted words, e.g. "hisi.chip-id"`);
    if (typeof file !== 'string' || file.length === 0) invalid(source, `${at}.file must name the file to read`);
    const known = componentSpec(name);
    if (known) return { name, file, spec: known };
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 1 || weight > 10) invalid(source, `${at}.weight must be an integer from 1 to 10`);
    if (typeof strong !== 'boolean') invalid(source, `${at}.strong must be true or false`);
    return { name, file, spec: declaredComponent(weight, strong, typeof description === 'string' ? description : undefined) };
  });
  return { components };
}

/**
 * Loads the config file. A missing file is an empty config unless the path was given
 * explicitly (`required`), since then the device maker meant one to be there.
 *
 * @example loadConfig('/data/seatlock/config.json', false).components
 */
export function loadConfig(path: string, required: boolean): AgentConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_CONFIG;
    return invalid(path, (error as Error).message);
  }
  return parseConfig(text, path);
}
