import { createPrivateKey, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import forge from 'node-forge';
import { certificateKid, checkIssuingChain, parseCertificates } from './chain';
import { extendedKeyUsage } from '../spec-support/forge-extensions';
import { createIssuingCertificate, createRootCa, type KeyAndCertificate } from './create';
import { encryptPrivateKey, isEncryptedPrivateKey, KEY_ENCRYPTION_ITERATIONS, loadPrivateKey, MIN_PASSPHRASE_LENGTH } from './keys';
import { LICENSE_SIGNING_EKU, readKeyUsage, readsAsCa } from './policy';

let root: KeyAndCertificate;
let issuer: KeyAndCertificate;

beforeAll(() => {
  root = createRootCa();
  issuer = createIssuingCertificate(root);
});

describe('PKI', () => {
  it('makes an RSA-3072 root CA and, by default, an Ed25519 issuing certificate under it', () => {
    const rootCert = new X509Certificate(root.certificatePem);
    const issuingCert = new X509Certificate(issuer.certificatePem);
    expect(rootCert.ca).toBe(true);
    expect(rootCert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(issuingCert.ca).toBe(false);
    expect(issuingCert.publicKey.asymmetricKeyType).toBe('ed25519');
    expect(issuer.kid).not.toBe(root.kid);
  });

  it.each([
    ['PS256', 'rsa'],
    ['ES256', 'ec'],
    ['EdDSA', 'ed25519'],
  ] as const)('makes a %s issuing key (%s) whose certificate chains and meets the policy', (alg, keyType) => {
    const made = createIssuingCertificate(root, { alg });
    const cert = new X509Certificate(made.certificatePem);
    expect(cert.publicKey.asymmetricKeyType).toBe(keyType);
    expect(createPrivateKey(made.privateKeyPem).asymmetricKeyType).toBe(keyType);
    expect(readKeyUsage(cert)).toEqual({ digitalSignature: true, keyCertSign: false, cRLSign: false });
    expect(readsAsCa(cert)).toBe(false);
    expect(cert.keyUsage).toEqual([LICENSE_SIGNING_EKU]);
    expect(cert.issuer).toBe(new X509Certificate(root.certificatePem).subject);
    expect(checkIssuingChain(cert, parseCertificates(root.certificatePem), new Date())).toMatchObject({ ok: true });
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
    expect(loadPrivateKey(encrypted, 'correct horse').asymmetricKeyType).toBe('ed25519');
    expect(() => loadPrivateKey(encrypted, 'wrong')).toThrow(/could not be decrypted/);
    expect(() => loadPrivateKey(encrypted)).toThrow(/no passphrase/);
    expect(isEncryptedPrivateKey(issuer.privateKeyPem)).toBe(false);
  });

  it('derives the encryption key with PBKDF2-HMAC-SHA256 at 600,000 iterations', () => {
    const encrypted = encryptPrivateKey(issuer.privateKeyPem, 'correct horse');
    const params = forge.asn1.fromDer(forge.pem.decode(encrypted)[0].body);
    // EncryptedPrivateKeyInfo → algorithm → PBES2 params → key derivation → PBKDF2 params
    const pbkdf2 = ((params.value[0] as forge.asn1.Asn1).value[1] as forge.asn1.Asn1).value[0] as forge.asn1.Asn1;
    const [, kdf] = pbkdf2.value as forge.asn1.Asn1[];
    const [, iterations, prf] = kdf.value as forge.asn1.Asn1[];
    expect(forge.asn1.derToInteger(iterations.value as string)).toBe(KEY_ENCRYPTION_ITERATIONS);
    expect(KEY_ENCRYPTION_ITERATIONS).toBe(600_000);
    expect(forge.asn1.derToOid((prf.value as forge.asn1.Asn1[])[0].value as string)).toBe('1.2.840.113549.2.9');
  });

  it('still decrypts a key encrypted the way it was before (OpenSSL defaults: 2,048 iterations)', () => {
    const before = createPrivateKey(issuer.privateKeyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'ab' }).toString();
    expect(loadPrivateKey(before, 'ab').export({ type: 'pkcs8', format: 'pem' })).toBe(issuer.privateKeyPem);
  });

  it(`refuses a passphrase shorter than ${MIN_PASSPHRASE_LENGTH} characters`, () => {
    expect(() => encryptPrivateKey(issuer.privateKeyPem, 'ab')).toThrow(/at least 12 characters/);
    expect(() => encryptPrivateKey(issuer.privateKeyPem, 'x'.repeat(MIN_PASSPHRASE_LENGTH - 1))).toThrow(/at least 12/);
    expect(isEncryptedPrivateKey(encryptPrivateKey(issuer.privateKeyPem, 'x'.repeat(MIN_PASSPHRASE_LENGTH)))).toBe(true);
  });
});

/** A certificate under `issuer` with the extensions given: what a root that also signed other things could hold. */
function certificateUnder(issuer: KeyAndCertificate, extensions: object[], selfSigned = false): KeyAndCertificate {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 1024, workers: -1 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'Other' }]);
  const issuerCert = forge.pki.certificateFromPem(issuer.certificatePem);
  cert.setIssuer(selfSigned ? cert.subject.attributes : issuerCert.subject.attributes);
  cert.setExtensions(extensions);
  cert.sign(selfSigned ? keys.privateKey : forge.pki.privateKeyFromPem(issuer.privateKeyPem), forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(cert);
  return { privateKeyPem: forge.pki.privateKeyToPem(keys.privateKey), certificatePem, kid: certificateKid(certificatePem) };
}

describe('certificate policy', () => {
  const leaf = { name: 'basicConstraints', cA: false, critical: true };
  const chainOf = (cert: KeyAndCertificate, under = root) => checkIssuingChain(new X509Certificate(cert.certificatePem), parseCertificates(under.certificatePem), new Date());

  it('reads the key usage bits node:crypto does not expose', () => {
    expect(readKeyUsage(new X509Certificate(root.certificatePem))).toEqual({ digitalSignature: false, keyCertSign: true, cRLSign: true });
    expect(readKeyUsage(new X509Certificate(issuer.certificatePem))).toEqual({ digitalSignature: true, keyCertSign: false, cRLSign: false });
    expect(new X509Certificate(issuer.certificatePem).keyUsage).toEqual([LICENSE_SIGNING_EKU]);
    expect(readKeyUsage(new X509Certificate(certificateUnder(root, [leaf]).certificatePem))).toBeNull();
  });

  it('refuses an issuing certificate without the digitalSignature key usage', () => {
    const cert = certificateUnder(root, [leaf, { name: 'keyUsage', keyEncipherment: true }, extendedKeyUsage([LICENSE_SIGNING_EKU])]);
    expect(chainOf(cert)).toEqual({ ok: false, reason: expect.stringMatching(/key usage/) });
  });

  it('refuses an issuing certificate for TLS servers, or with the license usage and another', () => {
    const tls = certificateUnder(root, [leaf, { name: 'keyUsage', digitalSignature: true }, { name: 'extKeyUsage', serverAuth: true }]);
    expect(chainOf(tls)).toEqual({ ok: false, reason: expect.stringMatching(/extended key usage/) });
    const both = certificateUnder(root, [leaf, { name: 'keyUsage', digitalSignature: true }, extendedKeyUsage([LICENSE_SIGNING_EKU, '1.3.6.1.5.5.7.3.1'])]);
    expect(chainOf(both).ok).toBe(false);
  });

  it('refuses an issuing certificate that is a CA, even one whose key usage lacks keyCertSign', () => {
    const signing = [{ name: 'keyUsage', digitalSignature: true }, extendedKeyUsage([LICENSE_SIGNING_EKU])];
    const ca = certificateUnder(root, [{ name: 'basicConstraints', cA: true }, ...signing]);
    expect(new X509Certificate(ca.certificatePem).ca).toBe(false);
    expect(readsAsCa(new X509Certificate(ca.certificatePem))).toBe(true);
    expect(readsAsCa(new X509Certificate(root.certificatePem))).toBe(true);
    expect(readsAsCa(new X509Certificate(issuer.certificatePem))).toBe(false);
    expect(chainOf(ca)).toEqual({ ok: false, reason: expect.stringMatching(/is a CA certificate/) });
    const criticalWithPathLength = certificateUnder(root, [{ name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true }, ...signing]);
    expect(chainOf(criticalWithPathLength)).toEqual({ ok: false, reason: expect.stringMatching(/is a CA certificate/) });
    // The same certificate with cA false, or without basicConstraints (cA defaults to false), may sign.
    expect(chainOf(certificateUnder(root, [leaf, ...signing])).ok).toBe(true);
    expect(chainOf(certificateUnder(root, signing)).ok).toBe(true);
  });

  it('refuses an issuing certificate made before the policy (no extended key usage at all)', () => {
    const legacy = certificateUnder(root, [leaf, { name: 'keyUsage', digitalSignature: true, critical: true }]);
    expect(chainOf(legacy)).toEqual({ ok: false, reason: expect.stringMatching(/extended key usage/) });
  });

  it('refuses a root without the keyCertSign key usage', () => {
    const weakRoot = certificateUnder(root, [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', digitalSignature: true }], true);
    const under = createIssuingCertificate(weakRoot);
    expect(chainOf(under, weakRoot)).toEqual({ ok: false, reason: expect.stringMatching(/does not chain to a trusted root/) });
    // The same root with keyCertSign is accepted: the key usage is what was missing.
    const goodRoot = certificateUnder(root, [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true }], true);
    expect(chainOf(createIssuingCertificate(goodRoot), goodRoot).ok).toBe(true);
  });
});
