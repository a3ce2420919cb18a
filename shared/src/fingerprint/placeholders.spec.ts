import { createHash } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { buildFingerprint, hasStrongComponent } from './fingerprint';
import { normalizeComponent } from './normalize';
import { isPlaceholder } from './placeholders';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const RUNS = { seed: 20261128, numRuns: 200 };

const placeholder = (name: string, raw: string) => isPlaceholder(name, normalizeComponent(name, raw));

/** Components whose normal length is at most 16, so every generated value below is long enough for them. */
const component = fc.constantFrom('soc.serial', 'emmc.cid', 'android.serial', 'board.serial', 'system.uuid', 'machine.id', 'hisi.chip-id');
const symbol = fc.constantFrom(...ALPHABET);
const letterCase = fc.boolean();
const shortAffixes = fc
  .tuple(fc.string({ unit: symbol, maxLength: 4 }), fc.string({ unit: symbol, maxLength: 4 }))
  .filter(([prefix, tail]) => prefix.length + tail.length <= 4);

/** Hex of a digest of `seed`: what a real serial looks like, free of fast-check's bias to small values. */
function randomHex(seed: number, length: number): string {
  let hex = '';
  for (let block = 0; hex.length < length; block++) hex += createHash('sha256').update(`${seed}/${block}`).digest('hex');
  return hex.slice(0, length);
}

function randomAlphanumeric(seed: number, length: number): string {
  return [...createHash('sha256').update(`serial/${seed}`).digest()].slice(0, length).map((byte) => ALPHABET[byte % 36]).join('').toUpperCase();
}

describe('near-placeholder values are absent', () => {
  it.each([
    ['soc.serial', '0000000000000001'],
    ['soc.serial', '1234567890ABCDEF'],
    ['soc.serial', 'SN00000000'],
    ['soc.serial', 'SN00000001'],
    ['board.serial', 'SN-0000-0001'],
    ['emmc.cid', '00000000000000000000000000000a01'],
    ['android.serial', 'ABCDEF0123'],
    ['net.mac.eth0', '00:11:22:33:44:66'],
    ['net.mac.eth0', '00:11:22:33:44:55'],
    ['net.mac.eth0', '12:34:56:78:9a:bc'],
    ['net.mac.eth0', '00:01:02:03:04:05'],
    ['net.mac.eth0', 'b8:27:eb:00:00:01'],
    ['net.mac.eth0', 'aa:bb:cc:dd:ee:fe'],
    ['android.serial', '0101010101010101'],
    ['android.serial', '1212121212121212'],
    ['android.serial', 'DEADBEEFDEADBEEF'],
    ['android.serial', '0000000100000001'],
    ['android.serial', '1111222233334444'],
    ['android.serial', '0011223344556677'],
    ['system.uuid', '12345678-1234-5678-1234-567812345678'],
    ['android.serial', '12345678-1234-5678-1234-567812345678'],
    ['soc.serial', 'abcabcabcabc'],
    ['emmc.cid', 'c0ffee00c0ffee00c0ffee00c0ffee00'],
    ['board.serial', '1122112211221122'],
    ['soc.serial', '6a1b2c3'],
    ['emmc.cid', '150100434a5441'],
  ])('%s = %j', (name, raw) => {
    expect(placeholder(name, raw)).toBe(true);
  });

  test.prop([component, symbol, fc.integer({ min: 12, max: 28 }), shortAffixes, letterCase], RUNS)(
    'one symbol repeated, with a short prefix or tail, is a placeholder',
    (name, repeated, count, [prefix, tail], upper) => {
      const value = prefix + repeated.repeat(count) + tail;
      expect(placeholder(name, upper ? value.toUpperCase() : value)).toBe(true);
    },
  );

  test.prop([component, fc.integer({ min: 16, max: 36 }), fc.integer({ min: 0, max: 20 }), fc.boolean(), shortAffixes], RUNS)(
    'an ascending or descending run through 0-9a-z, with a short prefix or tail, is a placeholder',
    (name, length, offset, descending, [prefix, tail]) => {
      const ascending = ALPHABET.slice(Math.min(offset, 36 - length), Math.min(offset, 36 - length) + length);
      const run = descending ? [...ascending].reverse().join('') : ascending;
      expect(placeholder(name, prefix + run + tail)).toBe(true);
    },
  );

  test.prop([fc.integer({ min: 0, max: 9 }), fc.integer({ min: 12, max: 20 }), fc.constantFrom(1, -1)], RUNS)(
    'a run of digits counted as on a keyboard (…7890123…) is a placeholder',
    (start, length, direction) => {
      const digits = Array.from({ length }, (_, i) => String((start + direction * i + 10 * length) % 10)).join('');
      expect(placeholder('soc.serial', digits)).toBe(true);
    },
  );

  test.prop([fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 1, -1, 0x11, -0x11, 0x22, -0x22), fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 5)], RUNS)(
    'a MAC typed by hand (00:11:22:…, 00:01:02:…, 12:34:56:…), but for its first or last octet, is a placeholder',
    (first, step, odd, at) => {
      const octets = Array.from({ length: 6 }, (_, i) => first + step * i);
      fc.pre(octets.every((o) => o >= 0 && o <= 255));
      octets[at] = odd;
      const mac = octets.map((o) => o.toString(16).padStart(2, '0')).join(':');
      expect(placeholder('net.mac.eth0', mac)).toBe(true);
    },
  );

  test.prop([fc.integer({ min: 0, max: 2 ** 31 }), component.filter((name) => name !== 'hisi.chip-id'), fc.constantFrom('0', 'f', '1')], RUNS)(
    'a board whose strong values are all near-placeholders has no strong component',
    (seed, name, repeated) => {
      const nearPlaceholder = repeated.repeat(14) + randomHex(seed, 2);
      const fingerprint = buildFingerprint([
        { name, value: nearPlaceholder },
        { name: 'net.mac.eth0', value: '00:00:23:34:45:66' },
        { name: 'machine.id', value: randomHex(seed, 32) },
      ]);
      expect(hasStrongComponent(fingerprint)).toBe(false);
    },
  );
});

describe('a huge value (a damaged file read as a serial)', () => {
  it('is judged in one pass even when it nearly repeats a block', () => {
    expect(isPlaceholder('soc.serial', 'ab'.repeat(500_000) + 'c')).toBe(false);
    expect(isPlaceholder('soc.serial', 'ab'.repeat(500_000))).toBe(true);
  });
});

describe('real identities are kept', () => {
  test.prop([fc.integer({ min: 0, max: 2 ** 31 })], RUNS)('random serials of each component’s normal length are not placeholders', (seed) => {
    const hex = randomHex(seed, 32);
    expect(placeholder('soc.serial', hex.slice(0, 16))).toBe(false);
    expect(placeholder('soc.serial', String(parseInt(hex.slice(0, 8), 16) % 9e9 + 1e9))).toBe(false); // a 32-bit decimal one
    expect(placeholder('emmc.cid', hex)).toBe(false);
    expect(placeholder('machine.id', hex)).toBe(false);
    expect(placeholder('android.id', hex.slice(16))).toBe(false);
    expect(placeholder('system.uuid', `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`)).toBe(false);
    expect(placeholder('android.serial', randomAlphanumeric(seed, 11))).toBe(false);
    expect(placeholder('hisi.chip-id', hex.slice(0, 24))).toBe(false);
  });

  test.prop([fc.constantFrom('b827eb', 'dca632', '00e04c', '001a11', '3c5ab4', '240ac4', 'f0272d', '0cefaf', '000000'), fc.integer({ min: 0, max: 2 ** 31 })], RUNS)(
    'a vendor MAC with a random NIC part is not a placeholder',
    (oui, seed) => {
      const mac = (oui + randomHex(seed, 6)).match(/../g)!.join(':');
      expect(placeholder('net.mac.eth0', mac)).toBe(false);
    },
  );
});

/** Uniform 32-bit words from a seed (mulberry32): fast enough for 200,000 values a shape, and the same every run. */
function uniformWords(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * How many genuine values the rule drops: 200,000 generated values of each shape a real identity
 * takes, uniform over its symbols. Seeded, so the counts are exact; SECURITY.md and the agent's
 * README quote them.
 */
describe('false positives over 200,000 generated genuine values per shape', () => {
  const SAMPLES = 200_000;
  type Words = () => number;
  const symbols = (next: Words, alphabet: string, length: number) => Array.from({ length }, () => alphabet[next() % alphabet.length]).join('');
  const hex = (next: Words, length: number) => symbols(next, ALPHABET.slice(0, 16), length);
  const shapes: [string, string, (next: Words) => string, number][] = [
    ['soc.serial', '16 hex digits', (next) => hex(next, 16), 0],
    ['soc.serial', '8 hex digits', (next) => hex(next, 8), 17],
    ['soc.serial', '10 decimal digits (a 32-bit number)', (next) => String(1e9 + next()), 23],
    ['emmc.cid', '32 hex digits', (next) => hex(next, 32), 0],
    ['android.serial', '10 letters and digits', (next) => symbols(next, ALPHABET, 10).toUpperCase(), 0],
    ['android.serial', '16 hex digits', (next) => hex(next, 16).toUpperCase(), 0],
    ['system.uuid', 'a UUID', (next) => [8, 4, 4, 4, 12].map((length) => hex(next, length)).join('-'), 0],
  ];

  it.each(shapes)('%s of %s', (name, _shape, generate, expected) => {
    const next = uniformWords(20261203);
    let dropped = 0;
    for (let i = 0; i < SAMPLES; i++) if (placeholder(name, generate(next))) dropped++;
    expect(dropped).toBe(expected);
  });
});
