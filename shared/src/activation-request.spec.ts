import { describe, expect, it } from 'vitest';
import { readActivationRequest, writeActivationRequest } from './activation-request';
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
