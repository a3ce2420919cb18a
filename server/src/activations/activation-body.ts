import { SeatlockError } from '@seatlock/shared';
import type { ActivationInput } from './activations.service';

const LIMITS = { activationCode: 200, platform: 64 } as const;
const FIELDS = new Set(['activationCode', 'platform', 'fingerprint', 'declared']);

/**
 * Checks the body of `POST /v1/activations` (described to OpenAPI by ActivateDto), with the same
 * rules and INVALID_REQUEST answer as the DTO validation of every other route. This route is the
 * one devices call by the thousand, and Nest's ValidationPipe, which copies and walks the nested
 * fingerprint several times, took a quarter of the server's time per re-activation. The
 * fingerprint and the declared list are parsed by the activation service, for the offline path too.
 *
 * @throws SeatlockError `INVALID_REQUEST` naming every problem found.
 */
export function readActivationBody(body: unknown): ActivationInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SeatlockError('INVALID_REQUEST', 'The body must be a JSON object with activationCode, platform and fingerprint.');
  }
  const fields = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const name of Object.keys(fields)) if (!FIELDS.has(name)) problems.push(`property ${name} should not exist`);
  for (const [name, max] of Object.entries(LIMITS)) {
    const value = fields[name];
    if (typeof value !== 'string') problems.push(`${name} must be a string`);
    else if (value.length < 1 || value.length > max) problems.push(`${name} must be between 1 and ${max} characters long`);
  }
  const { fingerprint } = fields;
  if (typeof fingerprint !== 'object' || fingerprint === null || Array.isArray(fingerprint)) problems.push('fingerprint must be an object');
  if (problems.length > 0) throw new SeatlockError('INVALID_REQUEST', problems.join('; '));
  return { activationCode: fields.activationCode as string, platform: fields.platform as string, fingerprint, declared: fields.declared };
}
