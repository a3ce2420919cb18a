import type { KeyObject } from 'node:crypto';
import { CompactSign } from 'jose';
import { armor } from '../armor';
import { LICENSE_ALG, LICENSE_ARMOR, LICENSE_TYP, type LicenseClaims } from './claims';

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
 * Signs license claims as a compact JWS (PS256, `x5c` = the issuing certificate, `kid`) and
 * armors it as a `.lic` text.
 *
 * @example const text = await signLicense(claims, signer); // "-----BEGIN SEATLOCK LICENSE-----\n..."
 */
export async function signLicense(claims: LicenseClaims, signer: LicenseSigner): Promise<string> {
  const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: LICENSE_ALG, typ: LICENSE_TYP, kid: signer.kid, x5c: [certificateDerBase64(signer.certificatePem)] })
    .sign(signer.privateKey);
  return armor(LICENSE_ARMOR, jws);
}
