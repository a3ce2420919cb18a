import { randomBytes } from 'node:crypto';
import { armor, dearmor } from './armor';
import { SeatlockError } from './errors';
import { declaredComponents, parseFingerprint, type Fingerprint } from './fingerprint';

export const ACTIVATION_REQUEST_ARMOR = 'SEATLOCK ACTIVATION REQUEST';
export const ACTIVATION_REQUEST_TYPE = 'seatlock-activation-request';

/** What a device without network sends (on a USB stick, by e-mail) to be activated. Version 1. */
export interface ActivationRequest {
  v: 1;
  type: typeof ACTIVATION_REQUEST_TYPE;
  activationCode: string;
  platform: string;
  fingerprint: Fingerprint;
  /** Components of the fingerprint the device maker declared (absent from older agents' requests). */
  declared?: string[];
  /** Random, so that two requests are never the same file. */
  nonce: string;
  createdAt: string;
}

/**
 * Writes an offline activation request as armored text.
 *
 * @example fs.writeFileSync('request.txt', writeActivationRequest({ activationCode, platform: 'android', fingerprint }));
 */
export function writeActivationRequest(fields: { activationCode: string; platform: string; fingerprint: Fingerprint; declared?: string[]; now?: Date }): string {
  const request: ActivationRequest = {
    v: 1,
    type: ACTIVATION_REQUEST_TYPE,
    activationCode: fields.activationCode,
    platform: fields.platform,
    fingerprint: fields.fingerprint,
    ...(fields.declared ? { declared: fields.declared } : {}),
    nonce: randomBytes(16).toString('base64url'),
    createdAt: (fields.now ?? new Date()).toISOString(),
  };
  return armor(ACTIVATION_REQUEST_ARMOR, Buffer.from(JSON.stringify(request)).toString('base64'));
}

/**
 * Reads an offline activation request.
 *
 * @throws SeatlockError `INVALID_REQUEST` naming what is wrong with the file.
 */
export function readActivationRequest(text: string): ActivationRequest {
  const bad = (why: string): never => {
    throw new SeatlockError('INVALID_REQUEST', `Invalid activation request: ${why}.`);
  };
  const body = dearmor(ACTIVATION_REQUEST_ARMOR, text);
  if (!body) return bad(`no ${ACTIVATION_REQUEST_ARMOR} block found`);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body, 'base64').toString('utf8'));
  } catch {
    bad('the body is not base64 JSON');
  }
  // JSON.parse also yields null, numbers and arrays, which have no fields to check.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('the body is not a JSON object');
  const fields = value as Record<string, unknown>;
  if (fields.type !== ACTIVATION_REQUEST_TYPE || fields.v !== 1) bad('unsupported type or version');
  for (const field of ['activationCode', 'platform', 'nonce', 'createdAt'] as const) {
    if (typeof fields[field] !== 'string' || (fields[field] as string).length === 0 || (fields[field] as string).length > 200) bad(`${field} is missing`);
  }
  const fingerprint = parseFingerprint(fields.fingerprint);
  return { ...(fields as unknown as ActivationRequest), fingerprint, declared: declaredComponents(fingerprint, fields.declared) };
}
