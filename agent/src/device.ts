import { createHmac } from 'node:crypto';
import { buildFingerprint, componentSpec, hasStrongComponent, isPlaceholder, isSupportedPlatform, normalizeComponent, type Fingerprint, type RawComponent } from '@seatlock/shared';
import { collect, Sysroot, type DevicePlatform } from './collect';
import { agentConfig } from './config';
import type { AgentEnvironment } from './environment';

/** This device as the agent sees it now. */
export interface Device {
  platform: DevicePlatform;
  details: Record<string, string>;
  /** Keyed hashes only: this is what may leave the device. */
  fingerprint: Fingerprint;
  /** Names of the components this agent build declares (the device maker's config), whether present or not. */
  declared: string[];
  /** The device maker's state directories (under the sysroot), which keep copies of the clock record. */
  clockDirs: string[];
  /** Key of the clock record's seal, derived from raw strong values that never leave the device. */
  clockKey: Buffer;
  sysroot: Sysroot;
}

function clockKey(readings: readonly RawComponent[]): Buffer {
  const strong = readings
    .filter((r) => (r.spec ?? componentSpec(r.name))?.strong)
    .map((r) => [r.name, normalizeComponent(r.name, r.value)] as const)
    .filter(([name, value]) => !isPlaceholder(name, value))
    .map(([name, value]) => `${name}=${value}`)
    .sort();
  return createHmac('sha256', 'seatlock/clock/v1').update(strong.join('\n')).digest();
}

/**
 * Collects this device's platform and fingerprint from the sysroot, with the device maker's
 * declared components.
 *
 * @example const { platform, fingerprint } = readDevice(agentEnvironment());
 */
export function readDevice(env: AgentEnvironment): Device {
  const sysroot = new Sysroot(env.sysroot);
  const config = agentConfig(env);
  const { platform, readings, details } = collect(sysroot, config);
  return {
    platform,
    details,
    fingerprint: buildFingerprint(readings),
    declared: config.components.map((c) => c.name),
    clockDirs: config.stateDirs.map((dir) => sysroot.path(dir)),
    clockKey: clockKey(readings),
    sysroot,
  };
}

/** What `seatlock-agent fingerprint` shows: nothing here is a raw value. */
export interface DeviceDescription {
  platform: DevicePlatform;
  /** Whether the catalog lets this platform activate. */
  supported: boolean;
  details: Record<string, string>;
  /** Whether a usable strong component is present (activation needs one). */
  strong: boolean;
  fingerprint: Fingerprint;
}

/**
 * This device's platform and hashed fingerprint, for display or diagnostics.
 *
 * @example describeDevice(agentEnvironment()).strong // false on a board with nothing but a zero serial
 */
export function describeDevice(env: AgentEnvironment): DeviceDescription {
  const { platform, details, fingerprint } = readDevice(env);
  return { platform, supported: isSupportedPlatform(platform), details, strong: hasStrongComponent(fingerprint), fingerprint };
}
