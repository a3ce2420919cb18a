import { createHmac } from 'node:crypto';
import { SeatlockError } from '../errors';
import { COMPONENT_NAME, componentSpec, strongComponentHelp, type ComponentSpec } from './components';
import { normalizeComponent } from './normalize';
import { isPlaceholder } from './placeholders';

/** One hashed component: the raw value never leaves the device. */
export interface FingerprintComponent {
  /** Keyed hash of the normalized value (HMAC-SHA256, base64url, 128 bits). */
  readonly h: string;
  readonly w: number;
  readonly s: boolean;
}

/** What a device presents: named hashed components. */
export interface Fingerprint {
  readonly v: 1;
  readonly components: Readonly<Record<string, FingerprintComponent>>;
}

/** A raw reading from a collector, before normalization and hashing. */
export interface RawComponent {
  readonly name: string;
  readonly value: string;
  /** Required for names the registry does not know (device-maker declared components). */
  readonly spec?: ComponentSpec;
}

/**
 * Default key of the component hash. A vendor may build its agent with its own key; the server
 * only ever compares hashes, so it needs no key at all.
 */
export const DEFAULT_FINGERPRINT_KEY = 'seatlock/fingerprint/v1';

/** Keyed hash of one normalized component value, bound to the component's name. */
export function hashComponent(name: string, normalized: string, key: string = DEFAULT_FINGERPRINT_KEY): string {
  return createHmac('sha256', key).update(name).update('\0').update(normalized).digest().subarray(0, 16).toString('base64url');
}

/**
 * Builds a fingerprint from raw readings: normalizes each value, drops placeholders and empty
 * values (they are absent, not identity), and hashes the rest.
 *
 * @example
 * const fp = buildFingerprint([{ name: 'emmc.cid', value: '150100524d4d4d...' }, { name: 'net.mac.eth0', value: '0c:ef:af:d1:22:5e' }]);
 * hasStrongComponent(fp) // true
 */
export function buildFingerprint(readings: readonly RawComponent[], key: string = DEFAULT_FINGERPRINT_KEY): Fingerprint {
  const components: Record<string, FingerprintComponent> = {};
  for (const reading of readings) {
    const spec = reading.spec ?? componentSpec(reading.name);
    if (!spec) throw new SeatlockError('INVALID_REQUEST', `Unknown fingerprint component "${reading.name}" has no declared weight.`);
    const normalized = normalizeComponent(reading.name, reading.value);
    if (isPlaceholder(reading.name, normalized)) continue;
    components[reading.name] = { h: hashComponent(reading.name, normalized, key), w: spec.weight, s: spec.strong };
  }
  return { v: 1, components };
}

/** Whether the fingerprint has at least one usable component tied to the hardware. */
export function hasStrongComponent(fingerprint: Fingerprint): boolean {
  return Object.values(fingerprint.components).some((c) => c.s);
}

/**
 * Refuses a fingerprint that cannot identify a device.
 *
 * @throws SeatlockError `WEAK_FINGERPRINT` naming the components a device maker can provide.
 */
export function assertStrongFingerprint(fingerprint: Fingerprint): void {
  if (!hasStrongComponent(fingerprint)) {
    throw new SeatlockError(
      'WEAK_FINGERPRINT',
      'This device has no usable hardware identity: every strong component is missing or a placeholder ' +
        '(all zeros, a vendor default). Provide one of: ' +
        strongComponentHelp() +
        '; or declare a chip unique id in the agent config (strong: true).',
      { components: Object.keys(fingerprint.components) },
    );
  }
}

const HASH = /^[A-Za-z0-9_-]{22}$/;

/**
 * Checks the shape of a fingerprint received from outside (a request body, a license claim).
 *
 * @throws SeatlockError `INVALID_REQUEST` describing the first problem found.
 */
export function parseFingerprint(value: unknown): Fingerprint {
  const bad = (why: string): never => {
    throw new SeatlockError('INVALID_REQUEST', `Invalid fingerprint: ${why}.`);
  };
  if (typeof value !== 'object' || value === null) bad('expected an object');
  const { v, components } = value as { v?: unknown; components?: unknown };
  if (v !== 1) bad('unsupported version (expected v: 1)');
  if (typeof components !== 'object' || components === null || Array.isArray(components)) bad('components must be an object');
  const entries = Object.entries(components as object);
  if (entries.length === 0 || entries.length > 32) bad('expected 1 to 32 components');
  const parsed: Record<string, FingerprintComponent> = {};
  for (const [name, component] of entries) {
    if (!COMPONENT_NAME.test(name) || name.length > 64) bad(`bad component name "${name}"`);
    const { h, w, s } = (component ?? {}) as { h?: unknown; w?: unknown; s?: unknown };
    if (typeof h !== 'string' || !HASH.test(h)) bad(`component "${name}" needs a 22-character base64url hash`);
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 1 || w > 10) bad(`component "${name}" needs a weight from 1 to 10`);
    if (typeof s !== 'boolean') bad(`component "${name}" needs a boolean strong flag`);
    const known = componentSpec(name);
    // The registry, not the device, decides how much a known component counts.
    parsed[name] = known ? { h: h as string, w: known.weight, s: known.strong } : { h: h as string, w: w as number, s: s as boolean };
  }
  return { v: 1, components: parsed };
}
