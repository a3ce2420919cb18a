import { X509Certificate } from 'node:crypto';
import { match, type Fingerprint, type MatchResult } from '../fingerprint';
import { jwsAlgorithmOf, verifyCompact } from '../jws';
import { certificateKid, checkIssuingChain, parseCertificates } from '../pki/chain';
import { revocationOf, type RevocationList } from '../revocation/list';
import type { LicenseClaims } from './claims';
import { CLOCK_TOLERANCE_MS, TRIAL_INSTALL_WINDOW_MS } from './clock';
import { parseLicense } from './parse';

/** Verdicts of a boot check; the values are the agent's `verify` exit codes. */
export const VERIFY_CODES = {
  VALID: 0,
  USAGE: 2,
  NO_LICENSE: 10,
  INVALID: 11,
  DEVICE_MISMATCH: 12,
  EXPIRED: 13,
  CLOCK_ROLLED_BACK: 14,
  FEATURE_NOT_LICENSED: 15,
  PLATFORM_MISMATCH: 16,
  REVOKED: 17,
} as const;

export type VerifyStatus = keyof typeof VERIFY_CODES;

export interface VerifyOptions {
  /** Pinned root certificates (PEM text or parsed). */
  roots: string | readonly X509Certificate[];
  /** What this device presents now. */
  fingerprint: Fingerprint;
  /**
   * Names of the components this device's agent build declares. A component the license records
   * as declared counts only when this build declares it too: another build's reading of it is
   * not the same evidence.
   */
  declared?: readonly string[];
  /** This device's platform; checked against the license when given. */
  platform?: string;
  /** Feature the caller wants to run; checked against the license when given. */
  feature?: string;
  /** Defaults to the system time. Perpetual licenses never look at it. */
  now?: Date;
  /**
   * What the device has seen of time (trials only): the high-water mark of the wall clock and
   * the uptime accumulated since this license was installed, which is undefined for a trial the
   * device holds no record of: that one is accepted only within TRIAL_INSTALL_WINDOW_MS of its issue.
   */
  clock?: { highWaterMs: number; uptimeSinceInstallMs?: number };
  /** The revocation list the device holds, already verified (see verifyRevocationList). */
  revocations?: RevocationList;
}

export interface VerifyResult {
  valid: boolean;
  /** Exit code of `seatlock-agent verify`. */
  code: number;
  status: VerifyStatus;
  message: string;
  /** Present once the signature has been checked. */
  license?: LicenseClaims;
  match?: MatchResult;
}

function verdict(status: VerifyStatus, message: string, license?: LicenseClaims, matchResult?: MatchResult): VerifyResult {
  return { valid: status === 'VALID', code: VERIFY_CODES[status], status, message, license, match: matchResult };
}

/** What the device presents, less the components the license says were declared and this build does not declare. */
function observedFingerprint(license: LicenseClaims, options: VerifyOptions): Fingerprint {
  const { declared: thisBuild } = options;
  if (!license.declared || !thisBuild) return options.fingerprint;
  const foreign = license.declared.filter((name) => !thisBuild.includes(name));
  if (foreign.length === 0) return options.fingerprint;
  return { v: 1, components: Object.fromEntries(Object.entries(options.fingerprint.components).filter(([name]) => !foreign.includes(name))) };
}

/**
 * The boot check: is this license genuine, for this device, in force, and does it cover the
 * feature? Returns the first failing verdict in a fixed order: invalid or untrusted (11),
 * revoked (17), platform (16), device (12), clock rolled back (14), expired (13), feature (15).
 *
 * @example
 * const result = await verifyLicense(text, { roots: rootPem, fingerprint, platform: 'android', feature: 'face.liveness' });
 * if (!result.valid) process.exit(result.code);
 */
export async function verifyLicense(text: string, options: VerifyOptions): Promise<VerifyResult> {
  let license: LicenseClaims;
  try {
    const parsed = parseLicense(text);
    const issuingDer = Buffer.from(parsed.header.x5c[0], 'base64');
    if (certificateKid(issuingDer) !== parsed.header.kid) return verdict('INVALID', 'The license key id does not name its certificate.');
    const issuing = new X509Certificate(issuingDer);
    const roots = typeof options.roots === 'string' ? parseCertificates(options.roots) : options.roots;
    const chain = checkIssuingChain(issuing, roots, new Date(parsed.claims.iat * 1000));
    if (!chain.ok) return verdict('INVALID', `The license is not trusted: ${chain.reason}.`);
    // The header names the algorithm, the certificate the key: they must agree (no RSA key read as
    // an HMAC secret, no ES256 header over an Ed25519 key).
    if (jwsAlgorithmOf(issuing.publicKey) !== parsed.header.alg) return verdict('INVALID', `The license algorithm ${parsed.header.alg} does not fit its certificate's key.`);
    if (!verifyCompact(parsed.jws, issuing.publicKey, parsed.header.alg)) return verdict('INVALID', 'The license is invalid: signature verification failed');
    license = parsed.claims;
    const revoked = options.revocations && revocationOf(options.revocations, license, parsed.header.kid);
    if (revoked) return verdict('REVOKED', `The license is revoked: ${revoked}.`, license);
  } catch (error) {
    return verdict('INVALID', `The license is invalid: ${(error as Error).message}`);
  }

  if (options.platform !== undefined && options.platform !== license.platform) {
    return verdict('PLATFORM_MISMATCH', `The license is for ${license.platform}; this device is ${options.platform}.`, license);
  }
  const matchResult = match(license.fp, observedFingerprint(license, options));
  if (!matchResult.matches) {
    return verdict('DEVICE_MISMATCH', 'The license belongs to another device.', license, matchResult);
  }
  if (license.kind === 'trial') {
    const nowMs = (options.now ?? new Date()).getTime();
    const highWaterMs = options.clock?.highWaterMs ?? 0;
    if (nowMs < highWaterMs - CLOCK_TOLERANCE_MS || nowMs < license.nbf * 1000 - CLOCK_TOLERANCE_MS) {
      return verdict('CLOCK_ROLLED_BACK', 'The device clock is behind time it has already seen; a trial cannot run.', license, matchResult);
    }
    const expMs = (license.exp as number) * 1000;
    const byUptime = license.iat * 1000 + (options.clock?.uptimeSinceInstallMs ?? 0);
    if (Math.max(nowMs, highWaterMs) >= expMs || byUptime >= expMs) {
      return verdict('EXPIRED', `The trial expired on ${new Date(expMs).toISOString()}.`, license, matchResult);
    }
    const installBy = license.iat * 1000 + TRIAL_INSTALL_WINDOW_MS;
    if (options.clock && options.clock.uptimeSinceInstallMs === undefined && Math.max(nowMs, highWaterMs) > installBy) {
      return verdict(
        'EXPIRED',
        `This trial license could be installed until ${new Date(installBy).toISOString()}, ${TRIAL_INSTALL_WINDOW_MS / 86_400_000} days after its issue, and this device holds no record of it.`,
        license,
        matchResult,
      );
    }
  }
  if (options.feature !== undefined && !license.features.includes(options.feature)) {
    return verdict('FEATURE_NOT_LICENSED', `The license (${license.product}) does not include ${options.feature}.`, license, matchResult);
  }
  return verdict('VALID', `Licensed: ${license.product} (${license.kind}).`, license, matchResult);
}
