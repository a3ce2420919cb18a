import { describe, expect, it } from 'vitest';
import { readActivationRequest, readActivationRequests, writeActivationRequest } from './activation-request';
import { SeatlockError } from './errors';
import { armor } from './armor';
import { buildFingerprint, declaredComponent } from './fingerprint';

const fingerprint = buildFingerprint([{ name: 'emmc.cid', value: '150100524d4d4d0a1b2c3d4e' }]);

describe('offline activation request', () => {
  it('round-trips as armored text with a fresh nonce each time', () => {
    const first = writeActivationRequest({ activationCode: 'code-1', platform: 'android', fingerprint });
    const second = writeActivationRequest({ activationCode: 'code-1', platform: 'android', fingerprint });
    expect(first).toMatch(/^-----BEGIN SEATLOCK ACTIVATION REQUEST-----\n/);
    expect(first).not.toBe(second);
    expect(readActivationRequest(first)).toMatchObject({ v: 1, activationCode: 'code-1', platform: 'android', fingerprint });
  });

  it('carries the declared components, and implies them for a request from an older agent', () => {
    const withChip = buildFingerprint([
      { name: 'emmc.cid', value: '150100524d4d4d0a1b2c3d4e' },
      { name: 'vendor.chip-id', value: '3516dv300-a1b2c3d4', spec: declaredComponent(4, true) },
    ]);
    const request = writeActivationRequest({ activationCode: 'c', platform: 'android', fingerprint: withChip, declared: ['vendor.chip-id'] });
    expect(readActivationRequest(request).declared).toEqual(['vendor.chip-id']);
    expect(readActivationRequest(writeActivationRequest({ activationCode: 'c', platform: 'android', fingerprint: withChip })).declared).toEqual(['vendor.chip-id']);
    expect(() => readActivationRequest(writeActivationRequest({ activationCode: 'c', platform: 'android', fingerprint: withChip, declared: ['emmc.cid', 'vendor.chip-id'] }))).toThrow(
      /emmc\.cid is collected by the agent/,
    );
    expect(() => readActivationRequest(writeActivationRequest({ activationCode: 'c', platform: 'android', fingerprint: withChip, declared: [] }))).toThrow(/vendor\.chip-id is neither collected/);
  });

  it.each([
    ['no block', 'hello'],
    ['not JSON', armor('SEATLOCK ACTIVATION REQUEST', 'bm90IGpzb24')],
    ['another type', armor('SEATLOCK ACTIVATION REQUEST', Buffer.from(JSON.stringify({ v: 1, type: 'license' })).toString('base64'))],
    [
      'a bad fingerprint',
      armor(
        'SEATLOCK ACTIVATION REQUEST',
        Buffer.from(JSON.stringify({ v: 1, type: 'seatlock-activation-request', activationCode: 'c', platform: 'android', nonce: 'n', createdAt: 'x', fingerprint: {} })).toString('base64'),
      ),
    ],
  ])('refuses %s', (_, text) => {
    expect(() => readActivationRequest(text)).toThrow(/Invalid/);
  });
});

describe('a batch of request files', () => {
  const file = (serial: string) =>
    writeActivationRequest({ activationCode: 'CODE-1', platform: 'android', fingerprint: buildFingerprint([{ name: 'soc.serial', value: serial }]) });

  it('answers one entry per file, in order, ignoring text between and around files', () => {
    const entries = readActivationRequests(`USB stick listing\n${file('9f3e7a1c52d4b8e6')}\n\nnoise\n${file('0a7c93e1f5b2d84c')}trailing`);
    expect(entries).toHaveLength(2);
    expect(entries.map((e) => !(e instanceof SeatlockError) && e.fingerprint)).toEqual([
      buildFingerprint([{ name: 'soc.serial', value: '9f3e7a1c52d4b8e6' }]),
      buildFingerprint([{ name: 'soc.serial', value: '0a7c93e1f5b2d84c' }]),
    ]);
  });

  it('refuses a truncated file alone: the next file is still read', () => {
    const whole = file('9f3e7a1c52d4b8e6');
    const entries = readActivationRequests(`${whole.slice(0, whole.length / 2)}${file('0a7c93e1f5b2d84c')}`);
    expect(entries[0]).toBeInstanceOf(SeatlockError);
    expect((entries[0] as SeatlockError).code).toBe('INVALID_REQUEST');
    expect(entries[1]).not.toBeInstanceOf(SeatlockError);
  });

  it('finds no entry in text without a request file', () => {
    expect(readActivationRequests('nothing here')).toEqual([]);
  });
});
