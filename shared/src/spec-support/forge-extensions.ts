import forge from 'node-forge';
import { oid, tlv } from '../pki/der';

/**
 * For tests that make certificates Seatlock's own code never would (a TLS usage, a CA flag on a
 * signing certificate, a missing key usage): node-forge writes them, an encoder independent of
 * the one under test. Not part of the build; node-forge is a development dependency only.
 */

/** The content bytes of an OBJECT IDENTIFIER, as node-forge takes them (node-forge's own encoder stops at 32-bit arcs; Seatlock's arc is a UUID). */
function oidContent(dotted: string): string {
  const der = oid(dotted);
  return der.subarray(tlv(der, 0, der.length).start).toString('binary');
}

/**
 * An extended key usage extension for node-forge listing `oids` (dotted, any size).
 *
 * @example cert.setExtensions([extendedKeyUsage([LICENSE_SIGNING_EKU])]);
 */
export function extendedKeyUsage(oids: readonly string[]): { name: 'extKeyUsage'; value: forge.asn1.Asn1 } {
  const { Class, Type, create } = forge.asn1;
  return { name: 'extKeyUsage', value: create(Class.UNIVERSAL, Type.SEQUENCE, true, oids.map((dotted) => create(Class.UNIVERSAL, Type.OID, false, oidContent(dotted)))) };
}
