import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkIssuingChain, parseCertificates } from './chain';
import { createIssuingCertificate, createRootCa, type KeyAndCertificate } from './create';
import { encryptPrivateKey, isEncryptedPrivateKey, loadPrivateKey } from './keys';

let root: KeyAndCertificate;
let issuer: KeyAndCertificate;

beforeAll(() => {
  root = createRootCa();
  issuer = createIssuingCertificate(root);
});

describe('PKI', () => {
  it('makes an RSA-3072 root CA and an RSA-2048 issuing certificate under it', () => {
    const rootCert = new X509Certificate(root.certificatePem);
    const issuingCert = new X509Certificate(issuer.certificatePem);
    expect(rootCert.ca).toBe(true);
    expect(rootCert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(issuingCert.ca).toBe(false);
    expect(issuingCert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(issuer.kid).not.toBe(root.kid);
  });

  it('chains the issuing certificate to the pinned root while both are valid', () => {
    const verdict = checkIssuingChain(new X509Certificate(issuer.certificatePem), parseCertificates(root.certificatePem), new Date());
    expect(verdict.ok).toBe(true);
  });

  it('finds the right root in a bundle of several', () => {
    const other = createRootCa({ commonName: 'Another Root' });
    const bundle = other.certificatePem + root.certificatePem;
    expect(parseCertificates(bundle)).toHaveLength(2);
    expect(checkIssuingChain(new X509Certificate(issuer.certificatePem), parseCertificates(bundle), new Date()).ok).toBe(true);
  });

  it('refuses the chain before the issuing certificate existed and after it expired', () => {
    const cert = new X509Certificate(issuer.certificatePem);
    const roots = parseCertificates(root.certificatePem);
    expect(checkIssuingChain(cert, roots, new Date(0)).ok).toBe(false);
    expect(checkIssuingChain(cert, roots, new Date(Date.now() + 6 * 365 * 86_400_000)).ok).toBe(false);
  });

  it('refuses a root used as a signing certificate', () => {
    const rootCert = new X509Certificate(root.certificatePem);
    expect(checkIssuingChain(rootCert, [rootCert], new Date())).toMatchObject({ ok: false });
  });

  it('encrypts private keys at rest and needs the passphrase back', () => {
    const encrypted = encryptPrivateKey(issuer.privateKeyPem, 'correct horse');
    expect(isEncryptedPrivateKey(encrypted)).toBe(true);
    expect(encrypted).not.toContain(issuer.privateKeyPem.split('\n')[1]);
    expect(loadPrivateKey(encrypted, 'correct horse').asymmetricKeyType).toBe('rsa');
    expect(() => loadPrivateKey(encrypted, 'wrong')).toThrow(/could not be decrypted/);
    expect(() => loadPrivateKey(encrypted)).toThrow(/no passphrase/);
    expect(isEncryptedPrivateKey(issuer.privateKeyPem)).toBe(false);
  });
});
