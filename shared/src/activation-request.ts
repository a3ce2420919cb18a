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

/** The most request files one `POST /v1/activations/batch` takes; a larger batch is refused whole with `BATCH_TOO_LARGE`. */
export const MAX_BATCH_REQUESTS = 1000;
/** The largest batch body in bytes (a request file is under 2 KiB); past it, `BATCH_TOO_LARGE`. */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Splits a batch (request files one after another, as `seatlock-agent request` writes them) into
 * one entry per file, in order: the request, or the `INVALID_REQUEST` error of a damaged one. A
 * file is what lies from one BEGIN line to the next, so a truncated file spoils only itself, and
 * text between files is ignored.
 *
 * @example const entries = readActivationRequests(fs.readFileSync('batch.txt', 'utf8'));
 */
export function readActivationRequests(text: string): (ActivationRequest | SeatlockError)[] {
  const begin = `-----BEGIN ${ACTIVATION_REQUEST_ARMOR}-----`;
  const entries: (ActivationRequest | SeatlockError)[] = [];
  for (let start = text.indexOf(begin); start >= 0; ) {
    const next = text.indexOf(begin, start + begin.length);
    try {
      entries.push(readActivationRequest(text.slice(start, next < 0 ? undefined : next)));
    } catch (error) {
      if (!(error instanceof SeatlockError)) throw error;
      entries.push(error);
    }
    start = next;
  }
  return entries;
}
