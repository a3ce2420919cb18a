/** JWS `typ` of a revocation list: never a license's, so neither can pass for the other. */
export const REVOCATION_LIST_TYP = 'seatlock-revocation-list+jws';
export const REVOCATION_LIST_ARMOR = 'SEATLOCK REVOCATION LIST';
export const REVOCATION_LIST_ALG = 'PS256';

/**
 * An issuing key whose licenses are refused when issued (`iat`) after `after` (seconds since the
 * epoch): a retired key's window closes when its successor took over, so a copy of it cannot sign
 * licenses dated later; `after: 0` refuses every license of a compromised key.
 */
export interface RevokedIssuer {
  kid: string;
  after: number;
}

/**
 * The offline revocation list (version 1), signed by the root key itself: only whoever holds the
 * root can publish one, so a leaked issuing key cannot publish a list of its own (say one with a
 * huge serial that would lock every later list out). A device keeps the list with the highest
 * serial it has installed.
 */
export interface RevocationList {
  v: 1;
  /** Only goes up: a device refuses a list whose serial is not above the one it holds. */
  serial: number;
  /** When the list was made, seconds since the epoch. */
  iat: number;
  /** Revoked devices (license `sub`): every license bound to one is refused. */
  devices: string[];
  issuers: RevokedIssuer[];
}

/**
 * Why a license is revoked by `list`, or null when it is not.
 *
 * @example const why = revocationOf(list, { sub: claims.sub, iat: claims.iat }, header.kid);
 */
export function revocationOf(list: RevocationList, license: { sub: string; iat: number }, kid: string): string | null {
  if (list.devices.includes(license.sub)) return `device ${license.sub} is revoked (revocation list ${list.serial})`;
  const issuer = list.issuers.find((entry) => entry.kid === kid);
  if (issuer && license.iat > issuer.after) {
    return `its issuing key ${kid} was retired or revoked before the license's date (revocation list ${list.serial})`;
  }
  return null;
}
