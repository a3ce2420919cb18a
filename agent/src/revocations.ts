import type { X509Certificate } from 'node:crypto';
import { InvalidRevocationListError, VERIFY_CODES, verifyRevocationList, type RevocationList } from '@seatlock/shared';
import { currentClock, sealClock, seenRevocationSerial } from './clock';
import { readDevice, type Device } from './device';
import { agentEnvironment, type AgentEnvironment } from './environment';
import { AgentError } from './errors';
import { isTrial, LicenseStore } from './store';
import { trustRoots } from './trust';

/** A revocation list accepted and stored. */
export interface InstalledRevocations {
  file: string;
  list: RevocationList;
}

/**
 * The revocation list stored in the agent's home, verified against the trust roots; undefined
 * when none is installed and the device has seen none (`seenSerial`, from its clock record).
 *
 * @throws AgentError `REVOCATIONS_REFUSED` (exit 11) when the stored list does not verify, is
 * older than one the device has seen, or is missing after one was seen: a boot check then
 * refuses rather than run as if nothing were revoked.
 * @example const list = await installedRevocations(new LicenseStore(env.home), trustRoots(env), seen);
 */
export async function installedRevocations(store: LicenseStore, roots: readonly X509Certificate[], seenSerial = 0): Promise<RevocationList | undefined> {
  const text = store.readRevocations();
  const refuse = (why: string) => new AgentError('REVOCATIONS_REFUSED', `The installed revocation list (${store.revocationsFile}) ${why}; install the vendor's current list.`, VERIFY_CODES.INVALID);
  if (text === undefined) {
    if (seenSerial > 0) throw refuse(`is missing, and this device has had list ${seenSerial}`);
    return undefined;
  }
  let list: RevocationList;
  try {
    list = await verifyRevocationList(text, roots);
  } catch (error) {
    if (!(error instanceof InvalidRevocationListError)) throw error;
    throw refuse(`is not valid: ${error.message}`);
  }
  if (list.serial < seenSerial) throw refuse(`is list ${list.serial}, older than list ${seenSerial} this device has had`);
  return list;
}

/**
 * Keeps `serial` as the newest list this device has seen, in every copy of the clock record. A
 * record that does not open starts over only on a device holding no trial, which has no trial
 * time in it to lose; a trial's unusable record is left for the trial's own install to renew.
 */
export function recordRevocationSerial(store: LicenseStore, device: Device, serial: number, nowMs: number): void {
  const clock = currentClock(store.readClocks(device.clockDirs), device, nowMs, !store.licenses().some((s) => isTrial(s.text)));
  if (clock.status !== 'ok' || clock.record.revocationSerial >= serial) return;
  clock.record.revocationSerial = serial;
  store.writeClock(sealClock(clock.record, device.clockKey), device.clockDirs);
}

/**
 * Verifies a revocation list against the trust roots and stores it in place of the installed
 * one, only when its serial is higher: an older list never replaces a newer one, nor one the
 * device has had before its file was damaged or deleted (the clock record keeps the serial).
 *
 * @throws AgentError `REVOCATIONS_REFUSED`: exit 11 for a list that is not genuine (bad signature,
 * another root, not a revocation list), exit 1 for one not newer than the installed list or
 * older than the newest the device has had.
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
  const device = readDevice(env);
  const seen = seenRevocationSerial(store.readClocks(device.clockDirs), device.clockKey);
  // A damaged or missing installed list is replaced by a genuine one at least as new as any seen.
  const installed = await installedRevocations(store, roots).catch(() => undefined);
  if (installed && list.serial <= installed.serial) {
    throw new AgentError('REVOCATIONS_REFUSED', `Revocation list refused: its serial ${list.serial} is not above the installed list's ${installed.serial}.`);
  }
  if (list.serial < seen) {
    throw new AgentError('REVOCATIONS_REFUSED', `Revocation list refused: its serial ${list.serial} is below ${seen}, the newest this device has seen.`);
  }
  // The list first: a crash between the writes leaves a list the next check records.
  const file = store.saveRevocations(text);
  recordRevocationSerial(store, device, list.serial, Date.now());
  return { file, list };
}
