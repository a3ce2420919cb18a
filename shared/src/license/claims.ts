import type { Modality, PlatformId, ProductId } from '../catalog';
import type { LicensedFingerprint } from '../fingerprint';

export const LICENSE_VERSION = 1;
/** JWS `typ` of a license; other signed artifacts use other types, so none can pass for a license. */
export const LICENSE_TYP = 'seatlock-license+jws';
export const LICENSE_ARMOR = 'SEATLOCK LICENSE';
export const LICENSE_ALG = 'PS256';

export type LicenseKind = 'trial' | 'perpetual';

/** Claims of a version 1 license. Times are seconds since the epoch. */
export interface LicenseClaims {
  v: 1;
  /** License id. */
  jti: string;
  /** Device id. */
  sub: string;
  /** Customer id. */
  cus: string;
  /** The purchase or trial pool the seat comes from. */
  pool: string;
  kind: LicenseKind;
  product: ProductId;
  features: string[];
  modality: Modality | null;
  platform: PlatformId;
  fp: LicensedFingerprint;
  /**
   * Which components of `fp` the device maker declared (read from a file its agent build names)
   * rather than the agent collected. Absent in licenses issued before this claim existed.
   */
  declared?: string[];
  iat: number;
  nbf: number;
  /** Trials only. */
  exp?: number;
}
