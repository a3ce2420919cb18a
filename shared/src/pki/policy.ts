import type { X509Certificate } from 'node:crypto';
import { children, TAG, tlv, type Tlv } from './der';

/**
 * Seatlock's object identifier arc: a UUID OID (ITU-T X.667, `2.25.<UUID as an integer>`), unique
 * without registration. The UUID is 6d40878e-8482-47cb-8794-e36410e7b385; arcs below it:
 * `.1` license signing (an extended key usage).
 */
export const SEATLOCK_OID_ARC = '2.25.145220907956207149811230557580617560965';

/** The extended key usage an issuing certificate must carry, alone, to sign licenses. */
export const LICENSE_SIGNING_EKU = `${SEATLOCK_OID_ARC}.1`;

/** The key usage bits the chain checks look at (RFC 5280 §4.2.1.3). */
export interface KeyUsage {
  digitalSignature: boolean;
  keyCertSign: boolean;
  cRLSign: boolean;
}

const { BOOLEAN, BIT_STRING, OCTET_STRING, SEQUENCE } = TAG;
const EXTENSIONS = 0xa3;
/** DER of the OIDs 2.5.29.15 (id-ce-keyUsage) and 2.5.29.19 (id-ce-basicConstraints), without tag and length. */
const KEY_USAGE_OID = Buffer.from([0x55, 0x1d, 0x0f]);
const BASIC_CONSTRAINTS_OID = Buffer.from([0x55, 0x1d, 0x13]);

/**
 * The DER and the node of the extension `oid`'s value (what its OCTET STRING wraps), or null when
 * the certificate has no such extension. node:crypto exposes neither the key usage nor the
 * basicConstraints as written, and node-forge must stay out of the agent, so this reads the few
 * DER nodes on the way.
 */
function extensionValue(certificate: X509Certificate, oid: Buffer, name: string): { der: Buffer; value: Tlv } | null {
  const der = certificate.raw;
  const cert = tlv(der, 0, der.length);
  const tbs = children(der, cert)[0];
  if (cert.tag !== SEQUENCE || tbs?.tag !== SEQUENCE) throw new Error('not a certificate');
  const extensions = children(der, tbs).find((node) => node.tag === EXTENSIONS);
  if (!extensions) return null;
  for (const extension of children(der, children(der, extensions)[0])) {
    const [id, ...rest] = children(der, extension);
    if (!der.subarray(id.start, id.end).equals(oid)) continue;
    const wrapped = rest[rest.length - 1];
    if (wrapped?.tag !== OCTET_STRING) throw new Error(`bad ${name} extension`);
    return { der, value: tlv(der, wrapped.start, wrapped.end) };
  }
  return null;
}

/**
 * The key usage extension of a certificate, or null when it has none (node:crypto's `keyUsage` is
 * the *extended* key usage).
 *
 * @example readKeyUsage(new X509Certificate(pem))?.digitalSignature
 */
export function readKeyUsage(certificate: X509Certificate): KeyUsage | null {
  const found = extensionValue(certificate, KEY_USAGE_OID, 'key usage');
  if (!found) return null;
  const { der, value: bits } = found;
  if (bits.tag !== BIT_STRING || bits.end - bits.start < 2) throw new Error('bad key usage extension');
  // The first content byte counts unused bits; bit 0 (digitalSignature) is the top bit of the next.
  const first = der[bits.start + 1];
  return { digitalSignature: (first & 0x80) !== 0, keyCertSign: (first & 0x04) !== 0, cRLSign: (first & 0x02) !== 0 };
}

/**
 * Whether a certificate's basicConstraints say `cA` TRUE, as written. node:crypto's `ca` answers
 * OpenSSL's question instead, which is false for a cA certificate whose key usage lacks
 * keyCertSign: such a certificate is still a CA for this policy. Any non-zero BOOLEAN counts.
 *
 * @example readsAsCa(new X509Certificate(rootPem)) // true
 */
export function readsAsCa(certificate: X509Certificate): boolean {
  const found = extensionValue(certificate, BASIC_CONSTRAINTS_OID, 'basic constraints');
  if (!found) return false;
  const { der, value: constraints } = found;
  if (constraints.tag !== SEQUENCE) throw new Error('bad basic constraints extension');
  const [first] = children(der, constraints);
  return first?.tag === BOOLEAN && der.subarray(first.start, first.end).some((byte) => byte !== 0);
}

/** Why an issuing certificate may not sign licenses, or null when it may. */
export function issuingPolicyViolation(issuing: X509Certificate): string | null {
  if (readsAsCa(issuing)) return 'the signing certificate is a CA certificate';
  const usage = readKeyUsage(issuing);
  if (!usage?.digitalSignature || usage.keyCertSign || usage.cRLSign) return 'the signing certificate is not for digital signatures (key usage)';
  const extended = issuing.keyUsage ?? [];
  if (extended.length !== 1 || extended[0] !== LICENSE_SIGNING_EKU) return 'the signing certificate is not a Seatlock license-signing certificate (extended key usage)';
  return null;
}
