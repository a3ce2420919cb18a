import type { X509Certificate } from 'node:crypto';
import { InvalidRevocationListError, VERIFY_CODES, verifyRevocationList, type RevocationList } from '@seatlock/shared';
import { agentEnvironment, type AgentEnvironment } from './environment';
import { AgentError } from './errors';
import { LicenseStore } from './store';
import { trustRoots } from './trust';

/** A revocation list accepted and stored. */
export interface InstalledRevocations {
  file: string;
  list: RevocationList;
}

/**
 * The revocation list stored in the agent's home, verified against the trust roots; undefined
 * when none is installed.
 *
 * @throws AgentError `REVOCATIONS_REFUSED` (exit 11) when the stored list does not verify: a boot
 * check then refuses rather than run as if nothing were revoked.
 * @example const list = await installedRevocations(new LicenseStore(env.home), trustRoots(env));
 */
export async function installedRevocations(store: LicenseStore, roots: readonly X509Certificate[]): Promise<RevocationList | undefined> {
  const text = store.readRevocations();
  if (text === undefined) return undefined;
  try {
    return await verifyRevocationList(text, roots);
  } catch (error) {
    if (!(error instanceof InvalidRevocationListError)) throw error;
    throw new AgentError('REVOCATIONS_REFUSED', `The installed revocation list (${store.revocationsFile}) is not valid: ${error.message}`, VERIFY_CODES.INVALID);
  }
}

/**
 * Verifies a revocation list against the trust roots and stores it in place of the installed
 * one, only when its serial is higher: an older list never replaces a newer one.
 *
 * @throws AgentError `REVOCATIONS_REFUSED`: exit 11 for a list that is not genuine (bad signature,
 * another root, not a revocation list), exit 1 for one not newer than the installed list.
 * @example const { list } = await installRevocations(fs.readFileSync('revocations.txt', 'utf8'));
 */
export async function installRevocations(text: string, env: AgentEnvironment = agentEnvironment()): Promise<InstalledRevocations> {
  const store = new LicenseStore(env.home);
  const roots = trustRoots(env);
  let list: RevocationList;
  try {
    list = await verifyRevocationList(text, roots);
  } catch (error) {
    if (!(error instanceof InvalidRevocationListError)) throw error;
    throw new AgentError('REVOCATIONS_REFUSED', `Revocation list refused: ${error.message}`, VERIFY_CODES.INVALID);
  }
  // A damaged installed list is replaced by any genuine one.
  const installed = await installedRevocations(store, roots).catch(() => undefined);
  if (installed && list.serial <= installed.serial) {
    throw new AgentError('REVOCATIONS_REFUSED', `Revocation list refused: its serial ${list.serial} is not above the installed list's ${installed.serial}.`);
  }
  return { file: store.saveRevocations(text), list };
}
