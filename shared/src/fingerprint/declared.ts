import { SeatlockError } from '../errors';
import { componentSpec } from './components';
import type { Fingerprint } from './fingerprint';

/**
 * The components of a fingerprint that the device maker declared (read from a file its agent
 * build names) rather than the agent collected. Declared names are never registry names, and
 * every name outside the registry was declared, so a list sent with the fingerprint must agree
 * with it; an agent that sends none (older agents) gets the list the names imply.
 *
 * @throws SeatlockError `INVALID_REQUEST` when the list names a registry component, a component
 *   the fingerprint lacks, or leaves out one the registry does not know.
 * @example declaredComponents(fingerprint, ['hisi.chip-id']) // ['hisi.chip-id']
 */
export function declaredComponents(fingerprint: Fingerprint, declared?: unknown): string[] {
  const implied = Object.keys(fingerprint.components).filter((name) => !componentSpec(name));
  if (declared === undefined) return implied;
  const bad = (why: string): never => {
    throw new SeatlockError('INVALID_REQUEST', `Invalid declared components: ${why}.`);
  };
  if (!Array.isArray(declared) || !declared.every((name) => typeof name === 'string')) return bad('expected a list of component names');
  for (const name of declared as string[]) {
    if (componentSpec(name)) bad(`${name} is collected by the agent and cannot be declared`);
    if (!Object.hasOwn(fingerprint.components, name)) bad(`${name} is not a component of the fingerprint`);
  }
  const undeclared = implied.filter((name) => !declared.includes(name));
  if (undeclared.length > 0) bad(`${undeclared.join(', ')} is neither collected by the agent nor declared`);
  return implied;
}
