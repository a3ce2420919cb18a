import { parseLicense, VERIFY_CODES, type VerifyResult } from '@seatlock/shared';
import { bundleCandidates } from './bundle';
import { currentClock, sealClock, seenRevocationSerial } from './clock';
import { type Device, readDevice } from './device';
import { agentEnvironment, type AgentEnvironment } from './environment';
import { AgentError } from './errors';
import { installedRevocations } from './revocations';
import { LicenseStore } from './store';
import { trustRoots } from './trust';
import { checkLicense } from './verify';

/** A license accepted and stored. */
export interface Installed {
  file: string;
  result: VerifyResult;
}

/**
 * Verifies a license text against this device (and the installed revocation list) and, only
 * when it is valid here, stores it. A trial also starts its uptime count, unless the device's
 * clock record already holds one for it; with no record of it, a trial installs only within 7
 * days of its issue.
 *
 * @throws AgentError `LICENSE_REFUSED` with `exitCode` = the verdict (12: another device's license).
 * @example const { file } = await install(fs.readFileSync('device.lic', 'utf8'));
 */
export async function install(text: string, env: AgentEnvironment = agentEnvironment()): Promise<Installed> {
  return installOnDevice(text, readDevice(env), env);
}

/**
 * Installs this device's own license from a license bundle (`seatlock-agent provision`'s
 * output), the file open as `fd`: only the licenses filed under this device's strong component
 * hashes are read and verified, then stored as {@link install} does.
 *
 * @throws AgentError `LICENSE_REFUSED` with `exitCode` 12 when the bundle holds no license for
 * this device, or the verdict of the last candidate refused.
 * @example await installFromBundle(fs.openSync('line-3.bundle', 'r'));
 */
export async function installFromBundle(fd: number, env: AgentEnvironment = agentEnvironment()): Promise<Installed> {
  const device = readDevice(env);
  let refusal: unknown;
  for (const candidate of bundleCandidates(fd, device.fingerprint)) {
    try {
      return await installOnDevice(candidate, device, env);
    } catch (error) {
      refusal = error;
    }
  }
  throw refusal ?? new AgentError('LICENSE_REFUSED', 'License refused: the bundle holds no license for this device.', VERIFY_CODES.DEVICE_MISMATCH);
}

async function installOnDevice(text: string, device: Device, env: AgentEnvironment): Promise<Installed> {
  const store = new LicenseStore(env.home);
  const nowMs = Date.now();
  let trial = false;
  try {
    trial = parseLicense(text).claims.kind === 'trial';
  } catch {
    // checkLicense answers a malformed text with its verdict below.
  }
  const clockTexts = store.readClocks(device.clockDirs);
  const clock = trial ? currentClock(clockTexts, device, nowMs, true) : undefined;
  const roots = trustRoots(env);
  const revocations = await installedRevocations(store, roots, seenRevocationSerial(clockTexts, device.clockKey));
  const result = await checkLicense(text, { device, roots, revocations, clock, nowMs });
  if (!result.valid || !result.license) {
    throw new AgentError('LICENSE_REFUSED', `License refused: ${result.message}`, result.code);
  }
  if (clock) {
    clock.record.installs[result.license.jti] ??= clock.record.state.uptimeMs;
    // The clock record first: a crash before the license lands leaves "no license", not a trial without its record.
    store.writeClock(sealClock(clock.record, device.clockKey), device.clockDirs);
  }
  return { file: store.saveLicense(result.license.jti, text), result };
}
