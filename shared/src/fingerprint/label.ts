import type { Fingerprint } from './fingerprint';

/** How many characters of a component's hash a label shows: enough to tell boards apart on a screen. */
const LABEL_HASH_CHARACTERS = 8;

/**
 * A short label for a device on a screen, from the fingerprint it was licensed with: its weightiest
 * strong component and the start of that component's keyed hash, never a raw serial. A device
 * without a strong component is labelled by its weightiest component.
 *
 * @example hardwareLabel(fingerprint) // 'soc.serial 3fA9xQbL'
 */
export function hardwareLabel(fingerprint: Fingerprint): string {
  const ranked = Object.entries(fingerprint.components).sort(([nameA, a], [nameB, b]) => Number(b.s) - Number(a.s) || b.w - a.w || nameA.localeCompare(nameB));
  if (ranked.length === 0) return '—';
  const [name, component] = ranked[0];
  return `${name} ${component.h.slice(0, LABEL_HASH_CHARACTERS)}`;
}
