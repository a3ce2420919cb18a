import { getProduct, isSupportedPlatform, MODALITIES } from '../catalog';
import { dearmor } from '../armor';
import { isCanonicalBase64url } from '../jws';
import { parseFingerprint } from '../fingerprint';
import { LICENSE_ALGS, LICENSE_ARMOR, LICENSE_TYP, type LicenseAlg, type LicenseClaims } from './claims';

/** Thrown for a license text that is not even well-formed: the verifier answers it with code 11. */
export class MalformedLicenseError extends Error {
  override readonly name = 'MalformedLicenseError';
}

export interface LicenseHeader {
  alg: LicenseAlg;
  typ: string;
  kid: string;
  x5c: string[];
}

/** A license as read from its text, its signature not yet checked. */
export interface ParsedLicense {
  readonly jws: string;
  readonly header: LicenseHeader;
  readonly claims: LicenseClaims;
}


function decodeJson(segment: string, what: string): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  } catch {
    // fall through to the error below
  }
  throw new MalformedLicenseError(`The license ${what} is not valid JSON.`);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 128;

function checkClaims(c: Record<string, unknown>): LicenseClaims {
  const fail = (why: string): never => {
    throw new MalformedLicenseError(`The license claims are invalid: ${why}.`);
  };
  if (c.v !== 1) fail('unsupported version');
  for (const name of ['jti', 'sub', 'cus', 'pool'] as const) if (!isText(c[name])) fail(`${name} is missing`);
  if (c.kind !== 'trial' && c.kind !== 'perpetual') fail('kind must be trial or perpetual');
  if (typeof c.product !== 'string') fail('product is missing');
  try {
    getProduct(c.product as string);
  } catch {
    fail(`unknown product ${String(c.product)}`);
  }
  if (!Array.isArray(c.features) || !c.features.every(isText)) fail('features must be a list of names');
  if (c.modality !== null && !MODALITIES.includes(c.modality as never)) fail('unknown modality');
  if (typeof c.platform !== 'string' || !isSupportedPlatform(c.platform)) fail('unknown platform');
  if (!isInt(c.iat) || !isInt(c.nbf)) fail('iat and nbf must be times');
  if (c.kind === 'trial' ? !isInt(c.exp) : c.exp !== undefined) fail('only a trial carries exp, and a trial must');
  const fp = c.fp as { threshold?: unknown } | undefined;
  const threshold = fp?.threshold;
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) fail('fp.threshold must be in (0, 1]');
  let licensed;
  try {
    licensed = { ...parseFingerprint(fp), threshold: threshold as number };
  } catch (error) {
    return fail(`fp: ${(error as Error).message}`);
  }
  const declared = c.declared;
  if (declared !== undefined && !(Array.isArray(declared) && declared.every((name) => typeof name === 'string' && Object.hasOwn(licensed.components, name)))) {
    fail('declared must list components of fp');
  }
  return { ...(c as unknown as LicenseClaims), fp: licensed };
}

/**
 * Reads an armored license text into its header and claims without checking the signature
 * (use {@link verifyLicense} for that).
 *
 * @throws MalformedLicenseError when the text is not a well-formed version 1 license.
 */
export function parseLicense(text: string): ParsedLicense {
  const jws = dearmor(LICENSE_ARMOR, text);
  if (!jws) throw new MalformedLicenseError('No SEATLOCK LICENSE block found.');
  const parts = jws.split('.');
  if (parts.length !== 3 || !parts.every(isCanonicalBase64url)) throw new MalformedLicenseError('The license is not a compact JWS.');
  const header = decodeJson(parts[0], 'header');
  if (!LICENSE_ALGS.includes(header.alg as LicenseAlg)) throw new MalformedLicenseError(`The license algorithm must be one of ${LICENSE_ALGS.join(', ')}.`);
  if (header.typ !== LICENSE_TYP) throw new MalformedLicenseError('The signed artifact is not a license.');
  if (!isText(header.kid) || !Array.isArray(header.x5c) || header.x5c.length < 1 || !header.x5c.every((x) => typeof x === 'string')) {
    throw new MalformedLicenseError('The license header lacks its issuing certificate.');
  }
  if (header.crit !== undefined) throw new MalformedLicenseError('The license header has unsupported critical parameters.');
  return { jws, header: header as unknown as LicenseHeader, claims: checkClaims(decodeJson(parts[1], 'payload')) };
}
