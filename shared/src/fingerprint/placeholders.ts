/**
 * Values that boards ship instead of a real identity. Treating them as identity would make every
 * board of a model "the same device", so they are treated as absent.
 */
const PLACEHOLDER_VALUES = new Set([
  'none',
  'null',
  'unknown',
  'default',
  'defaultstring',
  'default string',
  'to be filled by o.e.m.',
  'tobefilledbyoem',
  'not specified',
  'not applicable',
  'system serial number',
  'system product name',
  'chassis serial number',
  'base board serial number',
  'serial',
  'n/a',
  'na',
  'oem',
  'invalid',
  // DMI UUID that many BIOSes ship unfilled
  '03000200-0400-0500-0006-000700080009',
]);

/** MACs that boards and OSes use when the real one is hidden or was never programmed. */
const PLACEHOLDER_MACS = new Set([
  '020000000000', // Android hides the real MAC behind this one
  '000023344566', // HiSilicon U-Boot default ethaddr
  '00e04c680001', // Realtek driver default
  '525400123456', // QEMU's default NIC, copied into emulator images
  'deadbeefcafe',
  '00deadbeef00',
]);

/**
 * The length below which a value is far too short to be the component's real identity (about half
 * its normal length). Components not listed here, device-maker declared ones included, need 6.
 */
const MINIMUM_LENGTH: Readonly<Record<string, number>> = {
  'soc.serial': 8, // 16 hex digits on most SoCs, a 32-bit number on some
  'emmc.cid': 16, // 128 bits, 32 hex digits
  'system.uuid': 16,
  'machine.id': 16,
  'android.id': 8, // 64 bits, 16 hex digits
};
const DEFAULT_MINIMUM_LENGTH = 6;

/** Order in which a board maker counts: `0123…9abc…z`; ascending and descending runs follow it. */
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
/** A run: at least this many symbols, each one step (-1, 0 or +1) from the one before. */
const MINIMUM_RUN = 3;
/** How many symbols outside runs a value may have and still be a run with a short tail or prefix. */
const SHORT_TAIL = 4;
/** More runs than this describe a value as well as its symbols do: not low-information. */
const MAXIMUM_RUNS = 3;

/** The step from one symbol to the next when it is -1, 0 or +1 (`9`→`0` wraps, as keyboards count); otherwise null. */
function smallStep(from: string, to: string): number | null {
  const a = ALPHABET.indexOf(from);
  const b = ALPHABET.indexOf(to);
  if (a < 0 || b < 0) return null;
  if (a === 9 && b === 0) return 1;
  if (a === 0 && b === 9) return -1;
  const step = b - a;
  return Math.abs(step) <= 1 ? step : null;
}

/** Splits symbols into maximal runs of a constant step (as `step` allows) and counts what they cover. */
function runs<T>(symbols: readonly T[], step: (from: T, to: T) => number | null): { runs: number; covered: number; longest: number } {
  let count = 0;
  let covered = 0;
  let longest = 0;
  let i = 0;
  while (i < symbols.length) {
    const first = i + 1 < symbols.length ? step(symbols[i], symbols[i + 1]) : null;
    let end = i + 1;
    if (first !== null) while (end < symbols.length && step(symbols[end - 1], symbols[end]) === first) end++;
    if (end - i >= MINIMUM_RUN) {
      count++;
      covered += end - i;
      longest = Math.max(longest, end - i);
      i = end;
    } else {
      i++;
    }
  }
  return { runs: count, covered, longest };
}

/**
 * Whether symbols are a few runs (`0000…`, `1234…`, `fedc…`) plus a short tail or prefix: the
 * longest run is at least half the value, at most `shortTail` symbols lie outside runs, and the
 * runs hold at least twice as many. Such a value carries a few bits at most, whatever its length:
 * a factory default, not a serial.
 */
function isFewRuns<T>(symbols: readonly T[], step: (from: T, to: T) => number | null, shortTail = SHORT_TAIL, maximumRuns = MAXIMUM_RUNS): boolean {
  const found = runs(symbols, step);
  const outside = symbols.length - found.covered;
  return (
    found.runs >= 1 && found.runs <= maximumRuns && 2 * found.longest >= symbols.length && outside <= shortTail && found.covered >= 2 * outside
  );
}

/**
 * Whether symbols repeat one block at least twice (the last repetition may be cut short):
 * `0101…`, `DEADBEEFDEADBEEF`, `0000000100000001`, a UUID of `12345678` four times. Such a value
 * carries the block's bits only, at most half of its length.
 */
function isPeriodic(symbols: readonly string[]): boolean {
  if (symbols.length < 2) return false;
  // The longest proper prefix that is also a suffix (KMP's failure function) gives the smallest
  // period in one pass, so a huge value read from a damaged file costs linear time.
  const border = new Array<number>(symbols.length).fill(0);
  for (let i = 1, k = 0; i < symbols.length; i++) {
    while (k > 0 && symbols[i] !== symbols[k]) k = border[k - 1];
    if (symbols[i] === symbols[k]) k++;
    border[i] = k;
  }
  return 2 * (symbols.length - border[symbols.length - 1]) <= symbols.length;
}

/**
 * Whether symbols are equal-length blocks of one repeated symbol each (`1111222233334444`,
 * `0011223344556677`, `11221122…`) whose symbols in turn are runs or periodic: the same value
 * typed with each key held down.
 */
function isStretched(symbols: readonly string[]): boolean {
  for (let width = 2; 2 * width <= symbols.length; width++) {
    if (symbols.length % width !== 0) continue;
    const blocks: string[] = [];
    let uniform = true;
    for (let at = 0; uniform && at < symbols.length; at += width) {
      uniform = symbols.slice(at, at + width).every((symbol) => symbol === symbols[at]);
      blocks.push(symbols[at]);
    }
    if (uniform && (isFewRuns(blocks, smallStep) || isPeriodic(blocks))) return true;
  }
  return false;
}

/** Steps people type octet after octet: `00:00:…`, `00:01:02:…`, `00:11:22:…`, `12:34:56:…`. */
const TYPED_OCTET_STEPS = new Set([0, 1, -1, 0x11, -0x11, 0x22, -0x22]);

function typedOctetStep(from: number, to: number): number | null {
  return TYPED_OCTET_STEPS.has(to - from) ? to - from : null;
}

/**
 * A MAC that names no NIC: a known default, multicast, a randomized Wi-Fi address, a low-information
 * address (typed by hand, octet by octet or digit by digit), or a vendor prefix followed by a
 * low-information NIC part (`…:00:00:01`), which the vendor's every board could carry.
 */
function isPlaceholderMac(name: string, hex: string): boolean {
  if (PLACEHOLDER_MACS.has(hex)) return true;
  const octets = hex.match(/../g)!.map((octet) => Number.parseInt(octet, 16));
  if (octets[0] & 0x01) return true; // a multicast address is never a NIC's own
  // Locally administered Wi-Fi MACs are randomized per network or per boot.
  if (octets[0] & 0x02 && /^net\.mac\.(wlan|wlp|wifi|p2p)/.test(name)) return true;
  return isFewRuns(octets, typedOctetStep, 1) || isFewRuns([...hex.slice(6)], smallStep, 1, 1);
}

/**
 * Whether a normalized value must be treated as absent rather than as identity: empty or far
 * shorter than the component's normal length, a known default, or low-information (a few
 * ascending, descending or repeated runs with a short tail or prefix, such as
 * `0000000000000001`, `1234567890abcdef`, `sn00000000`, `00:11:22:33:44:66`; one block repeated,
 * such as `0101010101010101` or `deadbeefdeadbeef`; or each symbol of such a value held for
 * several places, such as `1111222233334444`).
 *
 * @example isPlaceholder('soc.serial', '0000000000000000') // true
 * @example isPlaceholder('soc.serial', '0000000000000001') // true
 * @example isPlaceholder('android.serial', 'deadbeefdeadbeef') // true
 * @example isPlaceholder('net.mac.wlan0', '020000000000') // true
 * @example isPlaceholder('soc.serial', '6a1b2c3d4e5f6071') // false
 */
export function isPlaceholder(name: string, normalized: string): boolean {
  if (PLACEHOLDER_VALUES.has(normalized)) return true;
  const compact = normalized.replace(/[\s:.\-_/]/g, '');
  if (compact.length < (MINIMUM_LENGTH[name] ?? DEFAULT_MINIMUM_LENGTH)) return true;
  if (name.startsWith('net.mac.')) return isPlaceholderMac(name, compact);
  const symbols = [...compact];
  return isFewRuns(symbols, smallStep) || isPeriodic(symbols) || isStretched(symbols);
}
