import { createPrivateKey } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { beforeAll, describe, expect } from 'vitest';
import { MODALITIES, PLATFORMS, PRODUCTS } from '../catalog';
import { buildFingerprint, toLicensedFingerprint } from '../fingerprint';
import { createIssuingCertificate, createRootCa, type KeyAndCertificate } from '../pki';
import { advanceClock, CLOCK_TOLERANCE_MS, isClockRolledBack, type ClockObservation } from './clock';
import type { LicenseClaims } from './claims';
import { MalformedLicenseError, parseLicense } from './parse';
import { signLicense, type LicenseSigner } from './sign';
import { verifyLicense, VERIFY_CODES } from './verify';

const RUNS = { seed: 20261128, numRuns: 100 };
const DAY_S = 86_400;
const device = buildFingerprint([
  { name: 'emmc.cid', value: '150100434a544134520e8f2b61a3c400' },
  { name: 'soc.serial', value: '3a91f0c2d4e5b6a7' },
  { name: 'net.mac.eth0', value: '0c:ef:af:d1:22:5e' },
]);
const id = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_-'), minLength: 1, maxLength: 40 });

/** Any well-formed version 1 claims: every product, kind, modality and platform, times from 2000 to 2100. */
const claims: fc.Arbitrary<LicenseClaims> = fc
  .record({
    jti: id,
    sub: id,
    cus: id,
    pool: id,
    trial: fc.boolean(),
    product: fc.constantFrom(...PRODUCTS),
    modality: fc.constantFrom(null, ...MODALITIES),
    platform: fc.constantFrom(...PLATFORMS.map((p) => p.id)),
    iat: fc.integer({ min: 946_684_800, max: 4_102_444_800 }),
    threshold: fc.double({ min: 0.1, max: 1, noNaN: true }),
  })
  .map(({ trial, product, threshold, iat, ...rest }) => ({
    v: 1 as const,
    ...rest,
    kind: trial ? ('trial' as const) : ('perpetual' as const),
    product: product.id,
    features: [...product.features],
    fp: toLicensedFingerprint(device, threshold),
    iat,
    nbf: iat,
    ...(trial ? { exp: iat + 60 * DAY_S } : {}),
  }));

let root: KeyAndCertificate;
let signer: LicenseSigner;

beforeAll(() => {
  root = createRootCa({ notBefore: new Date('1999-01-01T00:00:00Z') });
  const issuer = createIssuingCertificate(root, { notBefore: new Date('1999-06-01T00:00:00Z'), years: 120 });
  signer = { privateKey: createPrivateKey(issuer.privateKeyPem), certificatePem: issuer.certificatePem, kid: issuer.kid };
});

describe('license properties', () => {
  test.prop([claims], RUNS)('parsing a signed license gives back exactly its claims', async (licenseClaims) => {
    expect(parseLicense(await signLicense(licenseClaims, signer)).claims).toEqual(licenseClaims);
  });

  test.prop([claims, fc.nat(), fc.integer({ min: 1, max: 255 })], RUNS)('any single-byte change to a license is refused, never a crash', async (licenseClaims, at, mask) => {
    const text = await signLicense(licenseClaims, signer);
    const bytes = Buffer.from(text);
    bytes[at % text.indexOf('-----END')] ^= mask;
    const result = await verifyLicense(bytes.toString('latin1'), { roots: root.certificatePem, fingerprint: device, now: new Date(licenseClaims.iat * 1000) });
    expect(result.valid).toBe(false);
    expect([VERIFY_CODES.NO_LICENSE, VERIFY_CODES.INVALID]).toContain(result.code);
  });

  test.prop([fc.string({ maxLength: 3_000 })], RUNS)('any text at all is parsed or refused as malformed', (text) => {
    try {
      parseLicense(text);
    } catch (error) {
      expect(error).toBeInstanceOf(MalformedLicenseError);
    }
  });
});

describe('clock properties', () => {
  const observation: fc.Arbitrary<ClockObservation> = fc.record({
    nowMs: fc.integer({ min: 0, max: 4_102_444_800_000 }),
    bootId: fc.constantFrom('boot-a', 'boot-b', 'boot-c'),
    uptimeMs: fc.integer({ min: 0, max: 400 * DAY_S * 1000 }),
  });

  test.prop([fc.array(observation, { minLength: 1, maxLength: 40 })], RUNS)(
    'the high-water mark is the latest time seen and accumulated uptime never goes down',
    (observations) => {
      let state = advanceClock(null, observations[0]);
      for (const next of observations.slice(1)) {
        const before = state;
        state = advanceClock(state, next);
        expect(state.uptimeMs).toBeGreaterThanOrEqual(before.uptimeMs);
        expect(state.highWaterMs).toBeGreaterThanOrEqual(before.highWaterMs);
      }
      expect(state.highWaterMs).toBe(Math.max(...observations.map((o) => o.nowMs)));
    },
  );

  test.prop([fc.array(fc.array(fc.integer({ min: 0, max: 30 * DAY_S * 1000 }), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 0, max: 4_102_444_800_000 })], RUNS)(
    'uptime counts every boot in full however the wall clock is set, and a clock held still is never rolled back',
    (boots, heldAtMs) => {
      let state = null;
      for (const [index, readings] of boots.entries()) {
        for (const uptimeMs of readings) state = advanceClock(state, { nowMs: heldAtMs, bootId: `boot-${index}`, uptimeMs });
      }
      expect(state!.uptimeMs).toBe(boots.reduce((sum, readings) => sum + Math.max(...readings), 0));
      expect(isClockRolledBack(state!, heldAtMs)).toBe(false);
      expect(isClockRolledBack(state!, heldAtMs - CLOCK_TOLERANCE_MS - 1)).toBe(true);
    },
  );
});
