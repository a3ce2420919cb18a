import { constants, createPrivateKey, generateKeyPairSync, privateEncrypt, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { certificateKid } from './chain';
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

function newKeyPair(bits: number): { privateKeyPem: string; publicKey: forge.pki.PublicKey } {
  // node:crypto generates in native code; forge then only builds the certificate.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { privateKeyPem, publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) };
}

/** DER prefix of a PKCS#1 v1.5 DigestInfo for SHA-256 (RFC 8017, 9.2 note 1); the 32-byte digest follows. */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * Signs `cert` with SHA-256 and RSA PKCS#1 v1.5, the signature forge's own key would make (the
 * scheme is deterministic: the same bytes), computed in native code: forge's big-number
 * arithmetic takes about half a second of CPU a certificate.
 */
function signCertificate(cert: forge.pki.Certificate, privateKeyPem: string): void {
  const key = createPrivateKey(privateKeyPem);
  const signer = {
    sign: (md: forge.md.MessageDigest) => {
      const digest = Buffer.from(md.digest().getBytes(), 'binary');
      return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([SHA256_DIGEST_INFO, digest])).toString('binary');
    },
  };
  cert.sign(signer as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
}

function newCertificate(publicKey: forge.pki.PublicKey, notBefore: Date, years: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // A positive serial: the high bit cleared so DER does not read it as negative.
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = notBefore;
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + years);
  cert.validity.notAfter = notAfter;
  return cert;
}

/** DER content of an object identifier; node-forge's own encoder stops at 32-bit arcs, and Seatlock's arc is a UUID. */
function oidBytes(oid: string): string {
  const [first, second, ...rest] = oid.split('.').map(BigInt);
  const bytes: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const groups = [Number(arc & 0x7fn)];
    for (let value = arc >> 7n; value > 0n; value >>= 7n) groups.unshift(Number(value & 0x7fn) | 0x80);
    bytes.push(...groups);
  }
  return String.fromCharCode(...bytes);
}

/**
 * An extended key usage extension for node-forge listing `oids` (dotted, any size).
 *
 * @example cert.setExtensions([extendedKeyUsage([LICENSE_SIGNING_EKU])]);
 */
export function extendedKeyUsage(oids: readonly string[]): { name: 'extKeyUsage'; value: forge.asn1.Asn1 } {
  const { Class, Type, create } = forge.asn1;
  return { name: 'extKeyUsage', value: create(Class.UNIVERSAL, Type.SEQUENCE, true, oids.map((oid) => create(Class.UNIVERSAL, Type.OID, false, oidBytes(oid)))) };
}

function finish(cert: forge.pki.Certificate, privateKeyPem: string): KeyAndCertificate {
  const certificatePem = forge.pki.certificateToPem(cert);
  return { privateKeyPem, certificatePem, kid: certificateKid(certificatePem) };
}

/**
 * Creates the trust anchor: a self-signed RSA-3072 root CA that may only sign certificates.
 *
 * @example const root = createRootCa({ commonName: 'Acme Seatlock Root' });
 */
export function createRootCa(options: { commonName?: string; notBefore?: Date } = {}): KeyAndCertificate {
  const { privateKeyPem, publicKey } = newKeyPair(3072);
  const cert = newCertificate(publicKey, options.notBefore ?? new Date(Date.now() - BACKDATE_MS), ROOT_YEARS);
  const subject = [{ name: 'commonName', value: options.commonName ?? 'Seatlock Root CA' }, { name: 'organizationName', value: 'Seatlock' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signCertificate(cert, privateKeyPem);
  return finish(cert, privateKeyPem);
}

/**
 * Creates an RSA-2048 license-issuing key and its certificate, signed by the root: for digital
 * signatures only, with the Seatlock license-signing extended key usage.
 *
 * @param root the root CA (its private key PEM, unencrypted, and certificate)
 * @example const issuer = createIssuingCertificate(root, { notBefore: new Date() });
 */
export function createIssuingCertificate(
  root: { privateKeyPem: string; certificatePem: string },
  options: { commonName?: string; notBefore?: Date; years?: number } = {},
): KeyAndCertificate {
  const rootCert = forge.pki.certificateFromPem(root.certificatePem);
  const { privateKeyPem, publicKey } = newKeyPair(2048);
  const cert = newCertificate(publicKey, options.notBefore ?? new Date(Date.now() - BACKDATE_MS), options.years ?? ISSUING_YEARS);
  cert.setSubject([{ name: 'commonName', value: options.commonName ?? 'Seatlock License Issuer' }, { name: 'organizationName', value: 'Seatlock' }]);
  cert.setIssuer(rootCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, critical: true },
    extendedKeyUsage([LICENSE_SIGNING_EKU]),
    { name: 'subjectKeyIdentifier' },
  ]);
  signCertificate(cert, root.privateKeyPem);
  return finish(cert, privateKeyPem);
}
