/**
 * The few DER (ITU-T X.690) forms Seatlock's certificates and key files use, read and written
 * with Buffers. node:crypto parses, signs and verifies; it builds no certificates and exposes few
 * extensions, and this is all that is missing (see README, "Certificates").
 */

export interface Tlv {
  tag: number;
  /** Where the node begins (its tag); its contents run from `start` to `end`. */
  at: number;
  start: number;
  end: number;
}

/** One DER tag-length-value at `at` (single-byte tags, definite lengths: all X.509 uses). */
export function tlv(der: Buffer, at: number, limit: number): Tlv {
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
  return { tag, at, start, end: start + length };
}

export function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; at = out[out.length - 1].end) out.push(tlv(der, at, parent.end));
  return out;
}

export const TAG = { BOOLEAN: 0x01, INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, UTF8_STRING: 0x0c, SEQUENCE: 0x30, SET: 0x31 } as const;

/** A DER node: tag, minimal length, contents. */
export function node(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  const n = body.length;
  let length: number[];
  if (n < 0x80) length = [n];
  else {
    const bytes: number[] = [];
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    length = [0x80 | bytes.length, ...bytes];
  }
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

export const sequence = (...items: Buffer[]) => node(TAG.SEQUENCE, ...items);
export const set = (...items: Buffer[]) => node(TAG.SET, ...items);
export const octetString = (bytes: Buffer) => node(TAG.OCTET_STRING, bytes);
/** A BIT STRING of whole bytes, or of `unusedBits` fewer bits. */
export const bitString = (bytes: Buffer, unusedBits = 0) => node(TAG.BIT_STRING, Buffer.from([unusedBits]), bytes);
export const utf8String = (text: string) => node(TAG.UTF8_STRING, Buffer.from(text, 'utf8'));
export const booleanTrue = () => node(TAG.BOOLEAN, Buffer.from([0xff]));
export const nullValue = () => node(TAG.NULL);
/** `[n]` EXPLICIT: a constructed context-specific tag around `items`. */
export const explicit = (n: number, ...items: Buffer[]) => node(0xa0 + n, ...items);

/** A non-negative INTEGER from a number or from big-endian magnitude bytes. */
export function integer(value: number | Buffer): Buffer {
  const hex = typeof value === 'number' ? value.toString(16) : '';
  let bytes = typeof value === 'number' ? Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex') : value;
  while (bytes.length > 1 && bytes[0] === 0 && bytes[1] < 0x80) bytes = bytes.subarray(1);
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return node(TAG.INTEGER, bytes);
}

/** An OBJECT IDENTIFIER from its dotted form; arcs of any size (Seatlock's arc is a UUID). */
export function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(BigInt);
  const bytes: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const groups = [Number(arc & 0x7fn)];
    for (let value = arc >> 7n; value > 0n; value >>= 7n) groups.unshift(Number(value & 0x7fn) | 0x80);
    bytes.push(...groups);
  }
  return node(TAG.OID, Buffer.from(bytes));
}

/** An X.509 time (RFC 5280 §4.1.2.5): UTCTime through 2049, GeneralizedTime from 2050, whole seconds, UTC. */
export function time(date: Date): Buffer {
  const digits = date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:T]/g, '');
  return date.getUTCFullYear() < 2050 ? node(0x17, Buffer.from(digits.slice(2), 'latin1')) : node(0x18, Buffer.from(digits, 'latin1'));
}
