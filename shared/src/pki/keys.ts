import { createPrivateKey, type KeyObject } from 'node:crypto';

/** Encrypts a PKCS#8 private key with a passphrase (PKCS#8 PBES2 with AES-256-CBC). */
export function encryptPrivateKey(privateKeyPem: string, passphrase: string): string {
  if (!passphrase) throw new Error('A passphrase is required to encrypt a private key.');
  return createPrivateKey(privateKeyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
}

/** Whether a PEM private key is stored encrypted. */
export function isEncryptedPrivateKey(pem: string): boolean {
  return pem.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----');
}

/**
 * Loads a PEM private key, decrypting it when it is encrypted.
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
