import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { ACTIVATION_REQUEST_ARMOR, readActivationRequest, writeActivationRequest } from './activation-request';
import { armor } from './armor';
import { isSeatlockError } from './errors';
import { buildFingerprint } from './fingerprint';

const RUNS = { seed: 20261128, numRuns: 200 };
const fingerprint = buildFingerprint([
  { name: 'emmc.cid', value: '150100434a544134520e8f2b61a3c400' },
  { name: 'net.mac.eth0', value: '0c:ef:af:d1:22:5e' },
]);
const text = fc.string({ minLength: 1, maxLength: 200 });

/** Reads a request file; any failure must be the contract's INVALID_REQUEST, never a crash. */
function outcome(file: string): 'read' | 'INVALID_REQUEST' {
  try {
    readActivationRequest(file);
    return 'read';
  } catch (error) {
    if (isSeatlockError(error, 'INVALID_REQUEST')) return 'INVALID_REQUEST';
    throw error;
  }
}

describe('activation request properties', () => {
  test.prop([text, text, fc.date({ noInvalidDate: true })], RUNS)('reading a written request gives back its fields', (activationCode, platform, now) => {
    const request = readActivationRequest(writeActivationRequest({ activationCode, platform, fingerprint, now }));
    expect(request).toMatchObject({ v: 1, activationCode, platform, fingerprint, createdAt: now.toISOString() });
  });

  test.prop([text, fc.nat(), fc.integer({ min: 1, max: 255 })], RUNS)('a file with any byte changed is refused INVALID_REQUEST or read, never a crash', (activationCode, at, mask) => {
    const bytes = Buffer.from(writeActivationRequest({ activationCode, platform: 'android', fingerprint }));
    bytes[at % bytes.length] ^= mask;
    expect(['read', 'INVALID_REQUEST']).toContain(outcome(bytes.toString('latin1')));
  });

  test.prop([text, fc.nat()], RUNS)('a truncated file is refused INVALID_REQUEST', (activationCode, cut) => {
    const file = writeActivationRequest({ activationCode, platform: 'android', fingerprint });
    expect(outcome(file.slice(0, cut % (file.indexOf('-----END') + 1)))).toBe('INVALID_REQUEST');
  });

  test.prop([fc.json()], RUNS)('any JSON body that is not a request is refused INVALID_REQUEST', (json) => {
    fc.pre(!json.includes('seatlock-activation-request'));
    expect(outcome(armor(ACTIVATION_REQUEST_ARMOR, Buffer.from(json).toString('base64')))).toBe('INVALID_REQUEST');
  });

  test.prop([fc.string({ maxLength: 2_000 })], RUNS)('any text at all is read or refused INVALID_REQUEST', (file) => {
    expect(['read', 'INVALID_REQUEST']).toContain(outcome(file));
  });
});
