import type { X509Certificate } from 'node:crypto';
import { dearmor } from '../armor';
import { verifyCompact } from '../jws';
import { certificateKid } from '../pki/chain';
import { REVOCATION_LIST_ALG, REVOCATION_LIST_ARMOR, REVOCATION_LIST_TYP, type RevocationList } from './list';

/** A revocation list that is damaged, not signed by a pinned root, or not a revocation list at all. */
export class InvalidRevocationListError extends Error {
  override readonly name = 'InvalidRevocationListError';
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 128;

function checkList(value: unknown): RevocationList {
  const list = value as Partial<RevocationList> | null;
  const fail = (why: string): never => {
    throw new InvalidRevocationListError(`The revocation list is invalid: ${why}.`);
  };
  if (typeof list !== 'object' || list === null || list.v !== 1) return fail('unsupported version');
  if (!isInt(list.serial) || list.serial < 1) fail('serial must be a whole number above 0');
  if (!isInt(list.iat)) fail('iat must be a time');
  if (!Array.isArray(list.devices) || !list.devices.every(isText)) fail('devices must be a list of ids');
  if (!Array.isArray(list.issuers) || !list.issuers.every((i) => typeof i === 'object' && i !== null && isText(i.kid) && isInt(i.after))) {
    fail('issuers must be a list of {kid, after}');
  }
  return { v: 1, serial: list.serial as number, iat: list.iat as number, devices: list.devices as string[], issuers: list.issuers as RevocationList['issuers'] };
}

/**
 * Reads an armored revocation list and checks that one of the pinned roots signed it, as a
 * revocation list (its JWS `typ`): a license, or a list signed by an issuing key, is refused.
 *
 * @throws InvalidRevocationListError with a message that says what is wrong.
 * @example const list = await verifyRevocationList(fs.readFileSync('revocations.txt', 'utf8'), roots);
 */
export async function verifyRevocationList(text: string, roots: readonly X509Certificate[]): Promise<RevocationList> {
  const jws = dearmor(REVOCATION_LIST_ARMOR, text);
  if (!jws) throw new InvalidRevocationListError('No SEATLOCK REVOCATION LIST block found.');
  const parts = jws.split('.');
  let header: Record<string, unknown>;
  try {
    if (parts.length !== 3) throw new Error('not a compact JWS');
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new Error('the header is not a JSON object');
  } catch (error) {
    throw new InvalidRevocationListError(`The revocation list is damaged: ${(error as Error).message}`);
  }
  if (header.typ !== REVOCATION_LIST_TYP) throw new InvalidRevocationListError('The signed artifact is not a revocation list.');
  const root = roots.find((candidate) => certificateKid(candidate.raw) === header.kid);
  if (!root) throw new InvalidRevocationListError('The revocation list is not signed by a trusted root.');
  if (header.alg !== REVOCATION_LIST_ALG || header.crit !== undefined || !verifyCompact(jws, root.publicKey, REVOCATION_LIST_ALG)) {
    throw new InvalidRevocationListError(`The revocation list signature does not verify (${REVOCATION_LIST_ALG} by the root).`);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw new InvalidRevocationListError('The revocation list is not valid JSON.');
  }
  return checkList(value);
}
