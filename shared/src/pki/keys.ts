import { createCipheriv, createPrivateKey, pbkdf2Sync, randomBytes, type KeyObject } from 'node:crypto';
import { armor } from '../armor';
import { integer, nullValue, octetString, oid, sequence } from './der';

/** Shortest passphrase that {@link encryptPrivateKey} accepts. */
export const MIN_PASSPHRASE_LENGTH = 12;
/** PBKDF2-HMAC-SHA256 iterations for keys encrypted from now on: OWASP's current figure. */
export const KEY_ENCRYPTION_ITERATIONS = 600_000;

const OID = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
};

/** PKCS#8 EncryptedPrivateKeyInfo, PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC (RFC 8018). */
function encryptedPrivateKeyInfo(der: Buffer, passphrase: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(16);
  const key = pbkdf2Sync(passphrase, salt, KEY_ENCRYPTION_ITERATIONS, 32, 'sha256');
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const encrypted = Buffer.concat([cipher.update(der), cipher.final()]);
  const info = sequence(
    sequence(
      oid(OID.pbes2),
      sequence(
        sequence(oid(OID.pbkdf2), sequence(octetString(salt), integer(KEY_ENCRYPTION_ITERATIONS), sequence(oid(OID.hmacWithSha256), nullValue()))),
        sequence(oid(OID.aes256Cbc), octetString(iv)),
      ),
    ),
    octetString(encrypted),
  );
  return armor('ENCRYPTED PRIVATE KEY', info.toString('base64'));
}

/**
 * Encrypts a private key with a passphrase: PKCS#8 PBES2, PBKDF2-HMAC-SHA256 with
 * {@link KEY_ENCRYPTION_ITERATIONS} iterations and AES-256-CBC. (node:crypto's own export uses
 * OpenSSL's default of 2,048 iterations and cannot be told otherwise.)
 *
 * @throws Error when the passphrase is shorter than {@link MIN_PASSPHRASE_LENGTH} characters.
 * @example const pem = encryptPrivateKey(issuer.privateKeyPem, process.env.SEATLOCK_KEY_PASSPHRASE!);
 */
export function encryptPrivateKey(privateKeyPem: string, passphrase: string): string {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new Error(`The key passphrase must be at least ${MIN_PASSPHRASE_LENGTH} characters long; the one given has ${passphrase.length}.`);
  }
  const der = createPrivateKey(privateKeyPem).export({ type: 'pkcs8', format: 'der' });
  return encryptedPrivateKeyInfo(der, passphrase);
}

/** Whether a PEM private key is stored encrypted. */
export function isEncryptedPrivateKey(pem: string): boolean {
  return pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----');
}

/**
 * Loads a PEM private key, decrypting it when it is encrypted. The key derivation and cipher are
 * read from the PKCS#8 itself, so keys encrypted earlier with other parameters still load.
 *
 * @throws Error when the key is encrypted and the passphrase is missing or wrong.
 */
export function loadPrivateKey(pem: string, passphrase?: string): KeyObject {
  if (isEncryptedPrivateKey(pem)) {
    if (!passphrase) throw new Error('The private key is encrypted and no passphrase was given.');
    try {
      return createPrivateKey({ key: pem, format: 'pem', passphrase });
    } catch {
      throw new Error('The private key could not be decrypted: wrong passphrase or damaged key.');
    }
  }
  return createPrivateKey(pem);
}
