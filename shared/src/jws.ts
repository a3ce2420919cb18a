import { constants, sign, type KeyObject } from 'node:crypto';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Signs a JSON payload as a compact JWS with PS256 (RFC 7518 §3.5: RSASSA-PSS, SHA-256 and MGF1
 * with SHA-256, a salt as long as the hash), using node:crypto's one-shot signature.
 *
 * @example const jws = signCompactPs256({ alg: 'PS256', typ: 'x+jws' }, { hello: 1 }, privateKey);
 */
export function signCompactPs256(header: Record<string, unknown>, payload: unknown, key: KeyObject): string {
  const signingInput = `${base64url(header)}.${base64url(payload)}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  return `${signingInput}.${signature.toString('base64url')}`;
}
