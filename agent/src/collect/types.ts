import type { RawComponent } from '@seatlock/shared';
import type { DevicePlatform } from './platform';

/** What a platform collector read: raw values stay on the device, only their hashes leave it. */
export interface Collected {
  platform: DevicePlatform;
  readings: RawComponent[];
  /** Descriptive facts (model, SoC) for display; never part of the identity. */
  details: Record<string, string>;
}
