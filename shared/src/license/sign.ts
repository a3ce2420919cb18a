import type { KeyObject } from 'node:crypto';
import { armor } from '../armor';
import { signCompact } from '../jws';
import { LICENSE_ARMOR, LICENSE_TYP, type LicenseClaims } from './claims';

/** The issuing key a server signs with, and its certificate (which the root signed). */
export interface LicenseSigner {
  readonly privateKey: KeyObject;
  readonly certificatePem: string;
  readonly kid: string;
}

function certificateDerBase64(pem: string): string {
  return pem.replace(/-----[^-]+-----|\s/g, '');
}

/**
 * Signs license claims as a compact JWS (`alg` from the issuing key's kind: PS256, ES256 or
 * EdDSA; `x5c` = the issuing certificate; `kid`) and armors it as a `.lic` text.
 *
 * The signature is made with node:crypto's one-shot signature rather than jose, whose signing goes
 * through WebCrypto on libuv's thread pool: that is ~1.4× slower per signature and queues the
 * server's disk flushes behind signatures. Verification is node:crypto's too (see verifyCompact);
 * the tests check licenses of every algorithm with jose and python-jwcrypto as well.
 *
 * @example const text = await signLicense(claims, signer); // "-----BEGIN SEATLOCK LICENSE-----\n..."
 */
export async function signLicense(claims: LicenseClaims, signer: LicenseSigner): Promise<string> {
  const header = { typ: LICENSE_TYP, kid: signer.kid, x5c: [certificateDerBase64(signer.certificatePem)] };
  return armor(LICENSE_ARMOR, signCompact(header, claims, signer.privateKey));
}
