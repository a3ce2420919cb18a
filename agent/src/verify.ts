import type { X509Certificate } from 'node:crypto';
import { parseLicense, VERIFY_CODES, verifyLicense, type LicenseClaims, type RevocationList, type VerifyResult, type VerifyStatus } from '@seatlock/shared';
import { currentClock, sealClock, seenRevocationSerial, trialClockOption, type DeviceClock } from './clock';
import { readDevice, type Device } from './device';
import { agentEnvironment, type AgentEnvironment } from './environment';
import { AgentError } from './errors';
import { installedRevocations, recordRevocationSerial } from './revocations';
import { isTrial, LicenseStore } from './store';
import { trustRoots } from './trust';

export interface VerifyRequest {
  /** Feature the caller is about to run, e.g. `face.liveness`. */
  feature?: string;
  /** Defaults to the process environment. */
  env?: AgentEnvironment;
}

/** How far a license got through the checks; when none is valid, the furthest explains best. */
const PROGRESS: Record<VerifyStatus, number> = {
  USAGE: 0,
  NO_LICENSE: 0,
  INVALID: 1,
  REVOKED: 2,
  PLATFORM_MISMATCH: 3,
  DEVICE_MISMATCH: 4,
  CLOCK_ROLLED_BACK: 5,
  EXPIRED: 6,
  FEATURE_NOT_LICENSED: 7,
  VALID: 8,
};

/** A verdict reached before any license was checked (nothing installed, no trust root). */
function refusal(status: VerifyStatus, message: string): VerifyResult {
  return { valid: false, code: VERIFY_CODES[status], status, message };
}

function claimsOf(text: string): LicenseClaims | undefined {
  try {
    return parseLicense(text).claims;
  } catch {
    return undefined;
  }
}

/** A perpetual license outranks a trial; then the one that lasts longer, then the newer. */
function rank(result: VerifyResult): number[] {
  const license = result.license;
  return [PROGRESS[result.status], license?.kind === 'perpetual' ? 1 : 0, license?.exp ?? Number.MAX_SAFE_INTEGER, license?.iat ?? 0];
}

function better(a: VerifyResult, b: VerifyResult): VerifyResult {
  const [ra, rb] = [rank(a), rank(b)];
  const i = ra.findIndex((v, k) => v !== rb[k]);
  return i >= 0 && rb[i] > ra[i] ? b : a;
}

/**
 * Checks one license text against this device, telling a trial what the device has seen of time.
 * Shared by the boot check and by `install`.
 */
export async function checkLicense(
  text: string,
  context: { device: Device; roots: X509Certificate[]; revocations?: RevocationList; clock?: DeviceClock; feature?: string; nowMs: number },
): Promise<VerifyResult> {
  const claims = claimsOf(text);
  const clock = claims?.kind === 'trial' && context.clock ? trialClockOption(context.clock, claims.jti) : undefined;
  const result = await verifyLicense(text, {
    roots: context.roots,
    fingerprint: context.device.fingerprint,
    declared: context.device.declared,
    platform: context.device.platform,
    feature: context.feature,
    now: new Date(context.nowMs),
    clock,
    revocations: context.revocations,
  });
  if (result.status === 'CLOCK_ROLLED_BACK' && context.clock && context.clock.status !== 'ok') {
    return { ...result, message: 'The record of time this device keeps for its trial is missing or was altered; a trial cannot run.' };
  }
  return result;
}

/**
 * The boot check: verifies every installed license against this device and the installed
 * revocation list, and answers with the best one (a valid perpetual license over a valid trial). When a trial is installed, the
 * clock record is advanced and saved, so uptime accumulates and the high-water mark rises; the
 * record also keeps the newest revocation list serial seen, so an older list, or none, is refused (11).
 *
 * @example
 * const result = await verify({ feature: 'face.liveness' });
 * if (!result.valid) throw new Error(`not licensed (${result.code}): ${result.message}`);
 */
export async function verify(request: VerifyRequest = {}): Promise<VerifyResult> {
  const env = request.env ?? agentEnvironment();
  const store = new LicenseStore(env.home);
  const stored = store.licenses();
  if (stored.length === 0) return refusal('NO_LICENSE', `No license is installed (${store.licenseDir}).`);
  const device = readDevice(env);
  const clockTexts = store.readClocks(device.clockDirs);
  const seenSerial = seenRevocationSerial(clockTexts, device.clockKey);
  let roots: X509Certificate[];
  let revocations: RevocationList | undefined;
  try {
    roots = trustRoots(env);
    revocations = await installedRevocations(store, roots, seenSerial);
  } catch (error) {
    if (error instanceof AgentError) return refusal('INVALID', error.message);
    throw error;
  }
  const nowMs = Date.now();
  // Perpetual licenses ignore the clock: a device holding only those reads its record for the
  // newest revocation list it has seen, and writes it only to keep a newer one.
  const holdsTrial = stored.some((s) => isTrial(s.text));
  const clock = holdsTrial ? currentClock(clockTexts, device, nowMs, false) : undefined;

  let best: VerifyResult | undefined;
  for (const { text } of stored) {
    const result = await checkLicense(text, { device, roots, revocations, clock, feature: request.feature, nowMs });
    // A trial copied in without `install` starts counting uptime when it is first seen.
    if (clock && result.license?.kind === 'trial') clock.record.installs[result.license.jti] ??= clock.record.state.uptimeMs;
    best = best ? better(best, result) : result;
  }
  if (clock?.status === 'ok') {
    clock.record.revocationSerial = Math.max(clock.record.revocationSerial, revocations?.serial ?? 0);
    store.writeClock(sealClock(clock.record, device.clockKey), device.clockDirs);
  } else if (revocations && revocations.serial > seenSerial) {
    // A list put in place by hand, or installed by an earlier agent, is kept from now on.
    recordRevocationSerial(store, device, revocations.serial, nowMs);
  }
  return best as VerifyResult;
}
