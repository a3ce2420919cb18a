import type { X509Certificate } from 'node:crypto';

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

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

/** One DER tag-length-value at `at` (single-byte tags, definite lengths: all X.509 uses). */
function tlv(der: Buffer, at: number, limit: number): Tlv {
  if (at + 2 > limit) throw new Error('truncated DER');
  const tag = der[at];
  let length = der[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || start + bytes > limit) throw new Error('bad DER length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i];
    start += bytes;
  }
  if (start + length > limit) throw new Error('truncated DER');
  return { tag, start, end: start + length };
}

function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; at = out[out.length - 1].end) out.push(tlv(der, at, parent.end));
  return out;
}

const SEQUENCE = 0x30;
const EXTENSIONS = 0xa3;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
/** DER of the OID 2.5.29.15 (id-ce-keyUsage), without tag and length. */
const KEY_USAGE_OID = Buffer.from([0x55, 0x1d, 0x0f]);

/**
 * The key usage extension of a certificate, or null when it has none. node:crypto does not
 * expose it (its `keyUsage` is the *extended* key usage), and node-forge must stay out of the
 * agent, so this reads the few DER nodes on the way to it.
 *
 * @example readKeyUsage(new X509Certificate(pem))?.digitalSignature
 */
export function readKeyUsage(certificate: X509Certificate): KeyUsage | null {
  const der = certificate.raw;
  const cert = tlv(der, 0, der.length);
  const tbs = children(der, cert)[0];
  if (cert.tag !== SEQUENCE || tbs?.tag !== SEQUENCE) throw new Error('not a certificate');
  const extensions = children(der, tbs).find((node) => node.tag === EXTENSIONS);
  if (!extensions) return null;
  for (const extension of children(der, children(der, extensions)[0])) {
    const [oid, ...rest] = children(der, extension);
    if (!der.subarray(oid.start, oid.end).equals(KEY_USAGE_OID)) continue;
    const value = rest[rest.length - 1];
    if (value?.tag !== OCTET_STRING) throw new Error('bad key usage extension');
    const bits = tlv(der, value.start, value.end);
    if (bits.tag !== BIT_STRING || bits.end - bits.start < 2) throw new Error('bad key usage extension');
    // The first content byte counts unused bits; bit 0 (digitalSignature) is the top bit of the next.
    const first = der[bits.start + 1];
    return { digitalSignature: (first & 0x80) !== 0, keyCertSign: (first & 0x04) !== 0, cRLSign: (first & 0x02) !== 0 };
  }
  return null;
}

/** Why an issuing certificate may not sign licenses, or null when it may. */
export function issuingPolicyViolation(issuing: X509Certificate): string | null {
  if (issuing.ca) return 'the signing certificate is a CA certificate';
  const usage = readKeyUsage(issuing);
  if (!usage?.digitalSignature || usage.keyCertSign || usage.cRLSign) return 'the signing certificate is not for digital signatures (key usage)';
  const extended = issuing.keyUsage ?? [];
  if (extended.length !== 1 || extended[0] !== LICENSE_SIGNING_EKU) return 'the signing certificate is not a Seatlock license-signing certificate (extended key usage)';
  return null;
}
