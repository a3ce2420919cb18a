import { constants, sign, type KeyObject } from 'node:crypto';
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

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Signs license claims as a compact JWS (PS256, `x5c` = the issuing certificate, `kid`) and
 * armors it as a `.lic` text.
 *
 * The signature is made with node:crypto's one-shot RSA-PSS rather than jose, whose signing goes
 * through WebCrypto on libuv's thread pool: that is ~1.4× slower per signature and queues the
 * server's disk flushes behind signatures. Licenses are verified with jose (see verifyLicense),
 * and the tests check every signed license with it.
 *
 * @example const text = await signLicense(claims, signer); // "-----BEGIN SEATLOCK LICENSE-----\n..."
 */
export async function signLicense(claims: LicenseClaims, signer: LicenseSigner): Promise<string> {
  const header = { alg: LICENSE_ALG, typ: LICENSE_TYP, kid: signer.kid, x5c: [certificateDerBase64(signer.certificatePem)] };
  const signingInput = `${base64url(header)}.${base64url(claims)}`;
  // PS256 (RFC 7518 §3.5): RSASSA-PSS, SHA-256 and MGF1 with SHA-256, a salt as long as the hash.
  const signature = sign('sha256', Buffer.from(signingInput), { key: signer.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  return armor(LICENSE_ARMOR, `${signingInput}.${signature.toString('base64url')}`);
}
