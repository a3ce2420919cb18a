import { SeatlockError } from './errors';

/**
 * What a name or reason may not hold: C0 and C1 controls and DEL (line breaks included: each is
 * one line of the audit log and the console), bidirectional controls (they make a name read
 * differently from what it is), line and paragraph separators, the byte order mark, and
 * unpaired surrogates (not text at all).
 */
const FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]|\p{Cs}/u;

/**
 * A name or reason a person typed, as it is stored: Unicode NFC, trimmed, 1 to `max` characters.
 * Forbidden characters are refused, not stripped, so what is stored is what was meant or nothing.
 * The one rule for customer names, token names and review, revocation and approval reasons.
 *
 * @throws SeatlockError `INVALID_REQUEST`
 * @example const name = humanText(body.name, 'name', 200);
 */
export function humanText(value: string, field: string, max: number): string {
  if (FORBIDDEN.test(value)) {
    throw new SeatlockError('INVALID_REQUEST', `${field} may not hold control characters, bidirectional controls or unpaired surrogates.`);
  }
  const text = value.normalize('NFC').trim();
  if (text.length === 0 || text.length > max) throw new SeatlockError('INVALID_REQUEST', `${field} must be 1 to ${max} characters.`);
  return text;
}
