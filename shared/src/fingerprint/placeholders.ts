/**
 * Values that boards ship instead of a real identity. Treating them as identity would make every
 * board of a model "the same device", so they are treated as absent.
 */
const PLACEHOLDER_VALUES = new Set([
  '0123456789abcdef',
  '123456789abcdef0',
  '0123456789',
  '123456789',
  '1234567890',
  '12345678',
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
  '000000000000',
  'ffffffffffff',
  '000023344566', // HiSilicon U-Boot default ethaddr
  '001122334455',
  '123456789abc',
  '00e04c680001',
  'deadbeefcafe',
  '00deadbeef00',
]);

/** True when every character is the same (`0000…`, `ffff…`, `xxxx…`) once separators are removed. */
function isOneRepeatedCharacter(value: string): boolean {
  const compact = value.replace(/[\s:.\-_]/g, '');
  return compact.length > 0 && [...compact].every((c) => c === compact[0]);
}

/**
 * Whether a normalized value must be treated as absent rather than as identity.
 *
 * @example isPlaceholder('soc.serial', '0000000000000000') // true
 * @example isPlaceholder('net.mac.wlan0', '020000000000') // true
 */
export function isPlaceholder(name: string, normalized: string): boolean {
  if (normalized.length < 4) return true;
  if (isOneRepeatedCharacter(normalized)) return true;
  if (PLACEHOLDER_VALUES.has(normalized)) return true;
  if (name.startsWith('net.mac.')) {
    if (PLACEHOLDER_MACS.has(normalized)) return true;
    const firstOctet = Number.parseInt(normalized.slice(0, 2), 16);
    if (firstOctet & 0x01) return true; // a multicast address is never a NIC's own
    // Locally administered Wi-Fi MACs are randomized per network or per boot.
    if (firstOctet & 0x02 && /^net\.mac\.(wlan|wlp|wifi|p2p)/.test(name)) return true;
  }
  return false;
}
