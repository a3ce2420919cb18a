import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { armor } from '../armor';
import { DEFAULT_LICENSE_ALG, type LicenseAlg } from '../license/claims';
import { certificateKid } from './chain';
import { bitString, booleanTrue, children, explicit, integer, node, nullValue, octetString, oid, sequence, set, time, tlv, utf8String } from './der';
import { LICENSE_SIGNING_EKU } from './policy';

export interface KeyAndCertificate {
  /** PKCS#8 PEM, unencrypted: encrypt it with {@link encryptPrivateKey} before it touches a disk. */
  readonly privateKeyPem: string;
  readonly certificatePem: string;
  /** Key id: base64url SHA-256 of the certificate's DER encoding. */
  readonly kid: string;
}

const ROOT_YEARS = 30;
/** New certificates start an hour back, so a license signed at once never predates its certificate on a skewed clock. */
const BACKDATE_MS = 60 * 60 * 1000;
const ISSUING_YEARS = 5;

const OIDS = {
  sha256WithRsa: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  keyUsage: '2.5.29.15',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
};

/** A fresh key pair of the kind a JWS algorithm needs (RSA-2048 for PS256, P-256 for ES256, Ed25519 for EdDSA). */
function newKeyPair(alg: LicenseAlg | 'RSA-3072'): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (alg) {
    case 'RSA-3072':
      return generateKeyPairSync('rsa', { modulusLength: 3072, publicExponent: 0x10001 });
    case 'PS256':
      return generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
    case 'ES256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'EdDSA':
      return generateKeyPairSync('ed25519');
  }
}

function name(commonName: string): Buffer {
  const attribute = (type: string, value: string) => set(sequence(oid(type), utf8String(value)));
  return sequence(attribute(OIDS.commonName, commonName), attribute(OIDS.organizationName, 'Seatlock'));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [booleanTrue()] : []), octetString(value));
}

/** SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2, method 1; node-forge made the roots' the same way). */
function keyIdentifier(spki: Buffer): Buffer {
  const [, key] = children(spki, tlv(spki, 0, spki.length));
  return createHash('sha1').update(spki.subarray(key.start + 1, key.end)).digest();
}

/** The subject name of a certificate as its DER bytes: a certificate it issues names its issuer with exactly these. */
function subjectOf(certificatePem: string): Buffer {
  const der = new X509Certificate(certificatePem).raw;
  const tbs = children(der, tlv(der, 0, der.length))[0];
  // version, serialNumber, signature, issuer, validity, subject
  const subject = children(der, tbs)[5];
  return der.subarray(subject.at, subject.end);
}

/**
 * A certificate for `publicKey`, signed by `issuerKey` (an RSA key: Seatlock's root is RSA-3072)
 * with SHA-256 and PKCS#1 v1.5, node:crypto doing the signature.
 */
function certificate(options: { publicKey: KeyObject; subject: Buffer; issuer: Buffer; issuerKey: KeyObject; notBefore: Date; years: number; extensions: Buffer[] }): string {
  if (options.issuerKey.asymmetricKeyType !== 'rsa') throw new Error('Certificates are signed by an RSA root.');
  const spki = options.publicKey.export({ type: 'spki', format: 'der' });
  // A positive serial of 16 bytes whose first byte DER keeps (not 0, high bit clear).
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x40;
  const notAfter = new Date(options.notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + options.years);
  const signatureAlgorithm = sequence(oid(OIDS.sha256WithRsa), nullValue());
  // An issued certificate names its issuer's key too (RFC 5280 §4.2.1.1; \`openssl verify -x509_strict\` wants it): [0] keyIdentifier.
  const issuerPublicKey = createPublicKey(options.issuerKey);
  const issuerSpki = issuerPublicKey.export({ type: 'spki', format: 'der' });
  const authority = issuerPublicKey.equals(options.publicKey) ? [] : [extension(OIDS.authorityKeyIdentifier, false, sequence(node(0x80, keyIdentifier(issuerSpki))))];
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(serial),
    signatureAlgorithm,
    options.issuer,
    sequence(time(options.notBefore), time(notAfter)),
    options.subject,
    spki,
    explicit(3, sequence(...options.extensions, extension(OIDS.subjectKeyIdentifier, false, octetString(keyIdentifier(spki))), ...authority)),
  );
  const signature = sign('sha256', tbs, options.issuerKey);
  return armor('CERTIFICATE', sequence(tbs, signatureAlgorithm, bitString(signature)).toString('base64'));
}

function finish(privateKey: KeyObject, certificatePem: string): KeyAndCertificate {
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certificatePem, kid: certificateKid(certificatePem) };
}

/**
 * Creates the trust anchor: a self-signed RSA-3072 root CA that may only sign certificates.
 *
 * @example const root = createRootCa({ commonName: 'Acme Seatlock Root' });
 */
export function createRootCa(options: { commonName?: string; notBefore?: Date } = {}): KeyAndCertificate {
  const { privateKey, publicKey } = newKeyPair('RSA-3072');
  const subject = name(options.commonName ?? 'Seatlock Root CA');
  const certificatePem = certificate({
    publicKey,
    subject,
    issuer: subject,
    issuerKey: privateKey,
    notBefore: options.notBefore ?? new Date(Date.now() - BACKDATE_MS),
    years: ROOT_YEARS,
    extensions: [
      extension(OIDS.basicConstraints, true, sequence(booleanTrue(), integer(0))),
      // keyCertSign (bit 5) and cRLSign (bit 6): 0b0000011 in 7 bits, one unused.
      extension(OIDS.keyUsage, true, bitString(Buffer.from([0x06]), 1)),
    ],
  });
  return finish(privateKey, certificatePem);
}

/**
 * Creates a license-issuing key and its certificate, signed by the root: for digital signatures
 * only, not a CA, with the Seatlock license-signing extended key usage. The key is of the kind
 * the JWS algorithm `alg` needs (default {@link DEFAULT_LICENSE_ALG}).
 *
 * @param root the root CA (its private key PEM, unencrypted, and certificate)
 * @example const issuer = createIssuingCertificate(root, { alg: 'ES256', notBefore: new Date() });
 */
export function createIssuingCertificate(
  root: { privateKeyPem: string; certificatePem: string },
  options: { alg?: LicenseAlg; commonName?: string; notBefore?: Date; years?: number } = {},
): KeyAndCertificate {
  const { privateKey, publicKey } = newKeyPair(options.alg ?? DEFAULT_LICENSE_ALG);
  const certificatePem = certificate({
    publicKey,
    subject: name(options.commonName ?? 'Seatlock License Issuer'),
    issuer: subjectOf(root.certificatePem),
    issuerKey: createPrivateKey(root.privateKeyPem),
    notBefore: options.notBefore ?? new Date(Date.now() - BACKDATE_MS),
    years: options.years ?? ISSUING_YEARS,
    extensions: [
      // cA FALSE is the default, which DER leaves out: an empty SEQUENCE.
      extension(OIDS.basicConstraints, true, sequence()),
      // digitalSignature (bit 0): one bit used, seven unused.
      extension(OIDS.keyUsage, true, bitString(Buffer.from([0x80]), 7)),
      extension(OIDS.extKeyUsage, false, sequence(oid(LICENSE_SIGNING_EKU))),
    ],
  });
  return finish(privateKey, certificatePem);
}
