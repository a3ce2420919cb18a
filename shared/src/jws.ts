import { constants, sign, verify, type KeyObject } from 'node:crypto';
import { LICENSE_ALGS, type LicenseAlg } from './license/claims';

/**
 * Rejects non-canonical encodings (stray bits in the last character) and characters outside the
 * alphabet, which Buffer's decoder would skip: so every changed byte changes the token.
 */
export function isCanonicalBase64url(segment: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(segment) && Buffer.from(segment, 'base64url').toString('base64url') === segment;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * The JWS algorithm a key signs with, from its kind: RSA of 2,048 bits or more → PS256, ECDSA
 * P-256 → ES256, Ed25519 → EdDSA. A header whose `alg` differs from its key's is refused both
 * ways, so no key can be used under another algorithm's rules.
 *
 * @throws Error for a key of any other kind (Ed448, P-384, a short RSA key...).
 * @example jwsAlgorithmOf(new X509Certificate(pem).publicKey) // 'ES256'
 */
export function jwsAlgorithmOf(key: KeyObject): LicenseAlg {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= 2048) return 'PS256';
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  throw new Error(`a ${key.asymmetricKeyType ?? 'secret'} key signs with none of ${LICENSE_ALGS.join(', ')}`);
}

/** A signature as JWS carries it (RFC 7518 §3.4, §3.5; RFC 8037 §3.1). */
function signature(alg: LicenseAlg, data: Buffer, key: KeyObject): Buffer {
  switch (alg) {
    case 'PS256':
      return sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    case 'ES256':
      return sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });
    case 'EdDSA':
      return sign(null, data, key);
  }
}

/**
 * Signs a JSON payload as a compact JWS with the algorithm `key` signs with (see
 * {@link jwsAlgorithmOf}), which the header gets as its `alg`; node:crypto's one-shot signature.
 *
 * @example const jws = signCompact({ typ: 'x+jws' }, { hello: 1 }, privateKey);
 */
export function signCompact(header: Record<string, unknown>, payload: unknown, key: KeyObject): string {
  const alg = jwsAlgorithmOf(key);
  // `alg` first, as JOSE libraries write it, and always the key's own.
  const protectedHeader = { alg, ...header };
  protectedHeader.alg = alg;
  const signingInput = `${base64url(protectedHeader)}.${base64url(payload)}`;
  return `${signingInput}.${signature(alg, Buffer.from(signingInput), key).toString('base64url')}`;
}

/**
 * Whether a compact JWS carries `alg`'s signature by `key` over its first two parts. False too
 * for a part not in canonical base64url, a key of another kind than `alg` needs, and an ES256
 * signature not of 64 bytes.
 *
 * node:crypto's one-shot verification rather than jose's: jose verifies through Web Crypto, whose
 * loading cost the device's boot check about a fifth of its CPU time (README, "License format").
 *
 * @example if (!verifyCompact(jws, certificate.publicKey, 'ES256')) throw new Error('forged');
 */
export function verifyCompact(jws: string, key: KeyObject, alg: LicenseAlg): boolean {
  const parts = jws.split('.');
  if (parts.length !== 3 || !parts.every(isCanonicalBase64url) || jwsAlgorithmOf(key) !== alg) return false;
  const data = Buffer.from(`${parts[0]}.${parts[1]}`);
  const signature = Buffer.from(parts[2], 'base64url');
  switch (alg) {
    case 'PS256':
      return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature);
    case 'ES256':
      return signature.length === 64 && verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    case 'EdDSA':
      return verify(null, data, key, signature);
  }
}
