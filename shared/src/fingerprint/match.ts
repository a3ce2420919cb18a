import type { Fingerprint } from './fingerprint';

/** Share of the licensed weight that must match (together with at least one strong component). */
export const DEFAULT_MATCH_THRESHOLD = 0.5;

/** The fingerprint a license is bound to: the components seen at activation and the threshold. */
export interface LicensedFingerprint extends Fingerprint {
  readonly threshold: number;
}

export interface MatchResult {
  /** Matched weight over licensed weight, 0..1. */
  readonly score: number;
  readonly matched: string[];
  /** Licensed components that are absent or different on this device. */
  readonly missing: string[];
  readonly strongMatched: boolean;
  readonly matches: boolean;
}

/**
 * Compares a licensed fingerprint with what a device presents now. A device matches when at least
 * one strong component matches and the matched weight reaches the threshold, so a NIC swap or a
 * factory reset keeps the license and another device does not get it.
 *
 * @example match(license.fp, observed).matches
 */
export function match(licensed: LicensedFingerprint, observed: Fingerprint): MatchResult {
  let total = 0;
  let matchedWeight = 0;
  let strongMatched = false;
  const matched: string[] = [];
  const missing: string[] = [];
  for (const [name, component] of Object.entries(licensed.components)) {
    total += component.w;
    if (observed.components[name]?.h === component.h) {
      matched.push(name);
      matchedWeight += component.w;
      strongMatched ||= component.s;
    } else {
      missing.push(name);
    }
  }
  const score = total === 0 ? 0 : matchedWeight / total;
  return { score, matched, missing, strongMatched, matches: strongMatched && score >= licensed.threshold };
}

/** Binds a fingerprint to a license with the given threshold. */
export function toLicensedFingerprint(fingerprint: Fingerprint, threshold = DEFAULT_MATCH_THRESHOLD): LicensedFingerprint {
  return { v: 1, components: fingerprint.components, threshold };
}

/** Hashes of the strong components, the keys under which the server finds "the same device". */
export function strongHashes(fingerprint: Fingerprint): { name: string; hash: string }[] {
  return Object.entries(fingerprint.components)
    .filter(([, c]) => c.s)
    .map(([name, c]) => ({ name, hash: c.h }));
}
