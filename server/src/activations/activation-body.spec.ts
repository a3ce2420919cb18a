import { SeatlockError } from '@seatlock/shared';
import { describe, expect, it } from 'vitest';
import { readActivationBody } from './activation-body';

const valid = { activationCode: 'slac_code', platform: 'android', fingerprint: { v: 1, components: {} } };

function rejection(body: unknown): SeatlockError {
  try {
    readActivationBody(body);
  } catch (error) {
    expect(error).toBeInstanceOf(SeatlockError);
    expect((error as SeatlockError).code).toBe('INVALID_REQUEST');
    return error as SeatlockError;
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

describe('readActivationBody', () => {
  it('returns the three fields of a valid body, the fingerprint untouched', () => {
    const input = readActivationBody(valid);
    expect(input).toEqual(valid);
    expect(input.fingerprint).toBe(valid.fingerprint);
  });

  it('passes the declared list on to the activation service', () => {
    expect(readActivationBody({ ...valid, declared: ['hisi.chip-id'] }).declared).toEqual(['hisi.chip-id']);
  });

  it('rejects what is not a JSON object', () => {
    for (const body of [undefined, null, 'text', 42, [valid]]) expect(rejection(body).message).toMatch(/JSON object/);
  });

  it('rejects unknown properties, as the other routes do', () => {
    expect(rejection({ ...valid, seats: 1000 }).message).toBe('property seats should not exist');
    expect(rejection({ ...valid, constructor: 1 }).message).toBe('property constructor should not exist');
  });

  it('rejects missing, mistyped, empty and overlong codes and platforms', () => {
    expect(rejection({ platform: 'android', fingerprint: {} }).message).toBe('activationCode must be a string');
    expect(rejection({ ...valid, activationCode: 7 }).message).toBe('activationCode must be a string');
    expect(rejection({ ...valid, activationCode: '' }).message).toBe('activationCode must be between 1 and 200 characters long');
    expect(rejection({ ...valid, activationCode: 'c'.repeat(201) }).message).toBe('activationCode must be between 1 and 200 characters long');
    expect(readActivationBody({ ...valid, activationCode: 'c'.repeat(200) }).activationCode).toHaveLength(200);
    expect(rejection({ ...valid, platform: 'p'.repeat(65) }).message).toBe('platform must be between 1 and 64 characters long');
    expect(rejection({ ...valid, platform: ['android'] }).message).toBe('platform must be a string');
  });

  it('requires the fingerprint to be an object', () => {
    for (const fingerprint of [undefined, null, 'fp', ['a']]) expect(rejection({ ...valid, fingerprint }).message).toBe('fingerprint must be an object');
  });

  it('names every problem at once', () => {
    expect(rejection({ extra: 1 }).message).toBe('property extra should not exist; activationCode must be a string; platform must be a string; fingerprint must be an object');
  });
});
