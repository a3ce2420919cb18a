/**
 * Canonical form of a raw component value, so that the same hardware always hashes the same:
 * trimmed, lower-case, NULs and inner whitespace runs collapsed; MACs as 12 hex digits.
 *
 * @example normalizeComponent('net.mac.eth0', '00:1A:2B:3C:4D:5E\n') // '001a2b3c4d5e'
 */
export function normalizeComponent(name: string, raw: string): string {
  const value = raw.replace(/\0/g, '').trim().toLowerCase().replace(/\s+/g, ' ');
  if (name.startsWith('net.mac.')) {
    const hex = value.replace(/[:\-.]/g, '');
    return /^[0-9a-f]{12}$/.test(hex) ? hex : '';
  }
  // Strip every hex prefix and the space after it, so that normalizing a normalized value changes nothing.
  let unprefixed = value;
  while (unprefixed.startsWith('0x')) unprefixed = unprefixed.slice(2).trimStart();
  return unprefixed;
}
