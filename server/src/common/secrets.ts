import { createHash, randomBytes } from 'node:crypto';

/** A random secret (activation code, API token) of 256 bits, with a readable prefix. */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** How secrets are stored: SHA-256, hex. High-entropy secrets need no slow hash. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
