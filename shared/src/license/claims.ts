import type { Modality, PlatformId, ProductId } from '../catalog';
import type { LicensedFingerprint } from '../fingerprint';

export const LICENSE_VERSION = 1;
/** JWS `typ` of a license; other signed artifacts use other types, so none can pass for a license. */
export const LICENSE_TYP = 'seatlock-license+jws';
export const LICENSE_ARMOR = 'SEATLOCK LICENSE';
/**
 * The JWS algorithms a license may be signed with, each with its own kind of issuing key: PS256
 * (RSA-2048, every license before format v2), ES256 (ECDSA P-256) and EdDSA (Ed25519 only).
 * Verifiers accept exactly these, and only with a certificate key of the matching kind.
 */
export const LICENSE_ALGS = ['PS256', 'ES256', 'EdDSA'] as const;
export type LicenseAlg = (typeof LICENSE_ALGS)[number];
/** What new installs issue with: see README, "License format", for why EdDSA. */
export const DEFAULT_LICENSE_ALG: LicenseAlg = 'EdDSA';

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
