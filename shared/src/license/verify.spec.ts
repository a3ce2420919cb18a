import { createHmac, createPrivateKey, generateKeyPairSync, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { CompactSign, compactVerify } from 'jose';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { armor } from '../armor';
import { getProduct } from '../catalog';
import { buildFingerprint, declaredComponent, toLicensedFingerprint } from '../fingerprint';
import { createIssuingCertificate, createRootCa, LICENSE_SIGNING_EKU, type KeyAndCertificate } from '../pki';
import { extendedKeyUsage } from '../spec-support/forge-extensions';
import { DEFAULT_LICENSE_ALG, LICENSE_ALGS, LICENSE_ARMOR, type LicenseAlg, type LicenseClaims } from './claims';
import { signLicense, type LicenseSigner } from './sign';
import { parseLicense } from './parse';
import { verifyLicense, VERIFY_CODES } from './verify';
import { jwsAlgorithmOf } from '../jws';

const DAY = 86_400;
const device = buildFingerprint([
  { name: 'emmc.cid', value: '150100524d4d4d0a1b2c3d4e5f607182' },
  { name: 'soc.serial', value: '6a1b2c3d4e5f6071' },
  { name: 'net.mac.eth0', value: '0c:ef:af:d1:22:5e' },
]);
const otherDevice = buildFingerprint([
  { name: 'emmc.cid', value: '150100524d4d4d0a1b2c3d4e5f609999' },
  { name: 'soc.serial', value: '6a1b2c3d4e5f9999' },
  { name: 'net.mac.eth0', value: '0c:ef:af:d1:22:5e' },
]);

function yearsAgo(years: number): Date {
  const date = new Date();
  date.setUTCFullYear(date.getUTCFullYear() - years);
  return date;
}

function signerOf(issuer: KeyAndCertificate): LicenseSigner {
  return { privateKey: createPrivateKey(issuer.privateKeyPem), certificatePem: issuer.certificatePem, kid: issuer.kid };
}

function claims(overrides: Partial<LicenseClaims> = {}): LicenseClaims {
  const iat = Math.floor(Date.now() / 1000) - 60;
  return {
    v: 1,
    jti: 'lic_1',
    sub: 'dev_1',
    cus: 'cus_1',
    pool: 'pool_1',
    kind: 'perpetual',
    product: 'face-liveness',
    features: [...getProduct('face-liveness').features],
    modality: 'ir',
    platform: 'android',
    fp: toLicensedFingerprint(device),
    iat,
    nbf: iat,
    ...overrides,
  };
}

function trialClaims(iat: number): LicenseClaims {
  return claims({ kind: 'trial', iat, nbf: iat, exp: iat + 60 * DAY });
}

let root: KeyAndCertificate;
let issuer: KeyAndCertificate;
let signer: LicenseSigner;

beforeAll(() => {
  root = createRootCa({ notBefore: yearsAgo(10) });
  issuer = createIssuingCertificate(root, { notBefore: yearsAgo(1) });
  signer = signerOf(issuer);
});

const verifyOn = (text: string, extra: Partial<Parameters<typeof verifyLicense>[1]> = {}) =>
  verifyLicense(text, { roots: root.certificatePem, fingerprint: device, platform: 'android', ...extra });

describe('verifyLicense', () => {
  it('accepts a license on its own device', async () => {
    const result = await verifyOn(await signLicense(claims(), signer), { feature: 'face.liveness' });
    expect(result).toMatchObject({ valid: true, code: 0, status: 'VALID' });
    expect(result.license?.product).toBe('face-liveness');
    expect(result.match).toMatchObject({ score: 1, missing: [] });
  });

  it('accepts a perpetual license with the clock at 1970-01-01, whatever the device has seen', async () => {
    const result = await verifyOn(await signLicense(claims(), signer), { now: new Date(0), clock: { highWaterMs: Date.now(), uptimeSinceInstallMs: 400 * DAY * 1000 } });
    expect(result.code).toBe(VERIFY_CODES.VALID);
  });

  it('never accepts a license with any byte of its armored block flipped', async () => {
    const text = await signLicense(claims(), signer);
    const end = text.indexOf('-----END') + '-----END SEATLOCK LICENSE-----'.length;
    const verdicts = new Map<number, number>();
    for (let i = 0; i < end; i++) {
      for (const mask of [0x01, 0x80]) {
        const bytes = Buffer.from(text);
        bytes[i] ^= mask;
        const result = await verifyOn(bytes.toString('latin1'));
        expect(result.valid, `byte ${i} ^ ${mask}`).toBe(false);
        verdicts.set(result.code, (verdicts.get(result.code) ?? 0) + 1);
      }
    }
    expect([...verdicts.keys()]).toEqual([VERIFY_CODES.INVALID]);
  });

  it('refuses the same signature in a non-canonical encoding (stray bits in its last character)', async () => {
    const text = await signLicense(claims(), signer);
    const jws = text.split('\n').slice(1, -2).join('');
    // A 256-byte signature ends in a character of which only the top 2 of 6 bits count.
    const last = jws.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) ^ 0b000001];
    expect(Buffer.from(jws.slice(jws.lastIndexOf('.') + 1, -1) + twin, 'base64url')).toEqual(Buffer.from(jws.slice(jws.lastIndexOf('.') + 1), 'base64url'));
    const result = await verifyOn(armor(LICENSE_ARMOR, jws.slice(0, -1) + twin));
    expect(result.code).toBe(VERIFY_CODES.INVALID);
  });

  it('refuses a license whose chain ends under a foreign root', async () => {
    const foreignRoot = createRootCa({ commonName: 'Seatlock Root CA' });
    const foreignIssuer = createIssuingCertificate(foreignRoot);
    const result = await verifyOn(await signLicense(claims(), signerOf(foreignIssuer)));
    expect(result).toMatchObject({ valid: false, code: VERIFY_CODES.INVALID });
    expect(result.message).toMatch(/trusted root/);
  });

  it('accepts a license whose issuing certificate has expired since it was issued', async () => {
    const oldIssuer = createIssuingCertificate(root, { notBefore: yearsAgo(7), years: 5 });
    const issuedThen = Math.floor(yearsAgo(6).getTime() / 1000);
    const result = await verifyOn(await signLicense(claims({ iat: issuedThen, nbf: issuedThen }), signerOf(oldIssuer)));
    expect(result.code).toBe(VERIFY_CODES.VALID);
  });

  it('refuses a license dated after its issuing certificate expired', async () => {
    const oldIssuer = createIssuingCertificate(root, { notBefore: yearsAgo(7), years: 5 });
    const result = await verifyOn(await signLicense(claims(), signerOf(oldIssuer)));
    expect(result.code).toBe(VERIFY_CODES.INVALID);
  });

  it('refuses edited claims re-signed with a self-made key behind the real certificate', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await signLicense(claims({ product: 'face-recognition', features: [...getProduct('face-recognition').features] }), {
      privateKey,
      certificatePem: issuer.certificatePem,
      kid: issuer.kid,
    });
    expect((await verifyOn(forged)).code).toBe(VERIFY_CODES.INVALID);
  });

  it('refuses edited claims re-signed under a self-made certificate copying the real names', async () => {
    const fake = forge.pki.createCertificate();
    const keys = forge.pki.rsa.generateKeyPair(2048);
    // node:crypto reads the real one: forge cannot parse Seatlock's UUID-arc extended key usage.
    const real = new X509Certificate(issuer.certificatePem);
    fake.publicKey = keys.publicKey;
    fake.serialNumber = real.serialNumber.toLowerCase();
    fake.validity.notBefore = new Date(real.validFrom);
    fake.validity.notAfter = new Date(real.validTo);
    fake.setSubject([{ name: 'commonName', value: 'Seatlock License Issuer' }, { name: 'organizationName', value: 'Seatlock' }]);
    fake.setIssuer(forge.pki.certificateFromPem(root.certificatePem).subject.attributes);
    fake.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true }, extendedKeyUsage([LICENSE_SIGNING_EKU])]);
    fake.sign(keys.privateKey, forge.md.sha256.create());
    const certificatePem = forge.pki.certificateToPem(fake);
    const { certificateKid } = await import('../pki');
    const forged = await signLicense(claims({ kind: 'perpetual' }), {
      privateKey: createPrivateKey(forge.pki.privateKeyToPem(keys.privateKey)),
      certificatePem,
      kid: certificateKid(certificatePem),
    });
    expect((await verifyOn(forged)).code).toBe(VERIFY_CODES.INVALID);
  });

  it('refuses another kind of signed artifact from the real issuer (domain separation)', async () => {
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims())))
      .setProtectedHeader({ alg: 'EdDSA', typ: 'seatlock-revocation+jws', kid: issuer.kid, x5c: [issuer.certificatePem.replace(/-----[^-]+-----|\s/g, '')] })
      .sign(signer.privateKey);
    const result = await verifyOn(armor(LICENSE_ARMOR, jws));
    expect(result.code).toBe(VERIFY_CODES.INVALID);
    expect(result.message).toMatch(/not a license/);
  });

  it('refuses a license whose kid does not name its certificate', async () => {
    const result = await verifyOn(await signLicense(claims(), { ...signer, kid: 'some-other-key' }));
    expect(result.code).toBe(VERIFY_CODES.INVALID);
  });

  it('refuses garbage and empty text', async () => {
    expect((await verifyOn('')).code).toBe(VERIFY_CODES.INVALID);
    expect((await verifyOn(armor(LICENSE_ARMOR, 'a.b.c'))).code).toBe(VERIFY_CODES.INVALID);
  });

  it('says the license belongs to another device, and which components differ', async () => {
    const result = await verifyLicense(await signLicense(claims(), signer), { roots: root.certificatePem, fingerprint: otherDevice });
    expect(result).toMatchObject({ valid: false, code: VERIFY_CODES.DEVICE_MISMATCH });
    expect(result.match).toMatchObject({ matched: ['net.mac.eth0'], missing: ['emmc.cid', 'soc.serial'] });
  });

  describe('declared components', () => {
    const chip = { name: 'vendor.chip-id', value: '3516dv300-a1b2c3d4', spec: declaredComponent(4, true) };
    const withChip = buildFingerprint([{ name: 'emmc.cid', value: '150100524d4d4d0a1b2c3d4e5f607182' }, chip]);

    it('count when this build declares them too', async () => {
      const text = await signLicense(claims({ fp: toLicensedFingerprint(withChip), declared: ['vendor.chip-id'] }), signer);
      expect(await verifyOn(text, { fingerprint: withChip, declared: ['vendor.chip-id'] })).toMatchObject({ valid: true, match: { score: 1 } });
    });

    it('do not count when this build does not declare them, even if it presents one by that name', async () => {
      // As if soc.serial had been declared when the license was issued and were collected now.
      const text = await signLicense(claims({ declared: ['soc.serial'] }), signer);
      const result = await verifyOn(text, { declared: [] });
      expect(result).toMatchObject({ valid: true, match: { matched: ['emmc.cid', 'net.mac.eth0'], missing: ['soc.serial'] } });
      const onlySoc = buildFingerprint([{ name: 'soc.serial', value: '6a1b2c3d4e5f6071' }, { name: 'net.mac.eth0', value: '0c:ef:af:d1:22:5e' }]);
      expect(await verifyOn(text, { fingerprint: onlySoc, declared: [] })).toMatchObject({ code: VERIFY_CODES.DEVICE_MISMATCH });
      expect(await verifyOn(text, { fingerprint: onlySoc, declared: ['soc.serial'] })).toMatchObject({ valid: true });
    });

    it('leave a license issued before the claim existed verifying as before', async () => {
      const text = await signLicense(claims(), signer);
      expect((await verifyOn(text, { declared: ['vendor.chip-id'] })).license?.declared).toBeUndefined();
      expect(await verifyOn(text, { declared: ['vendor.chip-id'] })).toMatchObject({ valid: true, match: { score: 1 } });
    });

    it('must name components of the licensed fingerprint', async () => {
      const text = await signLicense(claims({ declared: ['vendor.chip-id'] }), signer);
      expect(await verifyOn(text)).toMatchObject({ code: VERIFY_CODES.INVALID, message: expect.stringMatching(/declared/) });
    });
  });

  it('refuses a license for another platform', async () => {
    const result = await verifyOn(await signLicense(claims(), signer), { platform: 'hisilicon-dv300' });
    expect(result.code).toBe(VERIFY_CODES.PLATFORM_MISMATCH);
  });

  it('refuses a feature the product does not include', async () => {
    const result = await verifyOn(await signLicense(claims(), signer), { feature: 'face.search-1toN' });
    expect(result.code).toBe(VERIFY_CODES.FEATURE_NOT_LICENSED);
  });

  describe('trials', () => {
    const iat = Math.floor(Date.now() / 1000) - 3600;
    const exp = iat + 60 * DAY;

    it('run until one second before their 60 days', async () => {
      const result = await verifyOn(await signLicense(trialClaims(iat), signer), { now: new Date((exp - 1) * 1000) });
      expect(result.code).toBe(VERIFY_CODES.VALID);
    });

    it('stop one second after their 60 days', async () => {
      const result = await verifyOn(await signLicense(trialClaims(iat), signer), { now: new Date((exp + 1) * 1000) });
      expect(result.code).toBe(VERIFY_CODES.EXPIRED);
    });

    it('stop when the device has run 60 days with its clock held still', async () => {
      const result = await verifyOn(await signLicense(trialClaims(iat), signer), {
        now: new Date((iat + 10) * 1000),
        clock: { highWaterMs: (iat + 10) * 1000, uptimeSinceInstallMs: 60 * DAY * 1000 },
      });
      expect(result.code).toBe(VERIFY_CODES.EXPIRED);
    });

    it('detect a clock wound back below the high-water mark', async () => {
      const result = await verifyOn(await signLicense(trialClaims(iat), signer), {
        now: new Date((iat + DAY) * 1000),
        clock: { highWaterMs: (iat + 30 * DAY) * 1000 },
      });
      expect(result.code).toBe(VERIFY_CODES.CLOCK_ROLLED_BACK);
    });

    it('detect a clock set before the trial was issued', async () => {
      const result = await verifyOn(await signLicense(trialClaims(iat), signer), { now: new Date(0) });
      expect(result.code).toBe(VERIFY_CODES.CLOCK_ROLLED_BACK);
    });

    it('are installed only within 7 days of their issue when the device holds no record of them', async () => {
      const text = await signLicense(trialClaims(iat), signer);
      const fresh = (days: number) => ({ now: new Date((iat + days * DAY) * 1000), clock: { highWaterMs: (iat + days * DAY) * 1000 } });
      expect((await verifyOn(text, fresh(6.9))).code).toBe(VERIFY_CODES.VALID);
      const late = await verifyOn(text, fresh(7.1));
      expect(late).toMatchObject({ code: VERIFY_CODES.EXPIRED, message: expect.stringMatching(/could be installed until/) });
      // Installed in time, it runs on past the window.
      expect((await verifyOn(text, { ...fresh(30), clock: { highWaterMs: (iat + 30 * DAY) * 1000, uptimeSinceInstallMs: 0 } })).code).toBe(VERIFY_CODES.VALID);
    });

    it('see the end of a trial even with the clock wound back to just before it', async () => {
      const result = await verifyOn(await signLicense(trialClaims(iat), signer), {
        now: new Date((exp - 60) * 1000),
        clock: { highWaterMs: (exp + DAY) * 1000 },
      });
      expect(result.valid).toBe(false);
    });
  });
});

/** A license JWS with the header given and a signature made by `sign`: what an attacker can write. */
function handMade(header: Record<string, unknown>, signature: (input: Buffer) => Buffer): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${b64(header)}.${b64(claims())}`;
  return armor(LICENSE_ARMOR, `${input}.${signature(Buffer.from(input)).toString('base64url')}`);
}

describe('license algorithms', () => {
  const issuers = {} as Record<LicenseAlg, KeyAndCertificate>;
  beforeAll(() => {
    for (const alg of LICENSE_ALGS) issuers[alg] = createIssuingCertificate(root, { alg, notBefore: yearsAgo(1) });
  });
  const headerOf = (issuer: KeyAndCertificate, alg: string) => ({ alg, typ: 'seatlock-license+jws', kid: issuer.kid, x5c: [issuer.certificatePem.replace(/-----[^-]+-----|\s/g, '')] });
  const keyOf = (issuer: KeyAndCertificate): KeyObject => createPrivateKey(issuer.privateKeyPem);

  it('issues with EdDSA unless told otherwise', () => {
    expect(DEFAULT_LICENSE_ALG).toBe('EdDSA');
    expect(new X509Certificate(issuer.certificatePem).publicKey.asymmetricKeyType).toBe('ed25519');
  });

  it.each(LICENSE_ALGS)('verifies a license signed under a %s issuing key beside licenses of the other kinds, under one root', async (alg) => {
    const text = await signLicense(claims(), signerOf(issuers[alg]));
    expect(parseLicense(text).header.alg).toBe(alg);
    expect(await verifyOn(text)).toMatchObject({ valid: true, code: VERIFY_CODES.VALID });
    // jose, an implementation independent of ours, agrees.
    const { protectedHeader } = await compactVerify(parseLicense(text).jws, new X509Certificate(issuers[alg].certificatePem).publicKey, { algorithms: [alg] });
    expect(protectedHeader.alg).toBe(alg);
  });

  it('makes licenses under an elliptic-curve key shorter than under RSA', async () => {
    const ps256 = await signLicense(claims(), signerOf(issuers.PS256));
    const es256 = await signLicense(claims(), signerOf(issuers.ES256));
    expect(es256.length).toBeLessThan(ps256.length * 0.8);
  });

  it('refuses none, HMAC keyed with the certificate, and algorithms outside the list', async () => {
    const ec = issuers.ES256;
    const rsa = issuers.PS256;
    // `none` with its empty signature is not even a well-formed license; with any signature, its alg is refused.
    expect(await verifyOn(handMade(headerOf(ec, 'none'), () => Buffer.alloc(0)))).toMatchObject({ valid: false, code: VERIFY_CODES.INVALID });
    const refused = [
      handMade(headerOf(ec, 'none'), () => Buffer.from('x')),
      // The old confusion: the public key's bytes used as an HMAC secret.
      handMade(headerOf(rsa, 'HS256'), (input) => createHmac('sha256', rsa.certificatePem).update(input).digest()),
      handMade(headerOf(rsa, 'RS256'), (input) => sign('sha256', input, keyOf(rsa))),
      handMade(headerOf(ec, 'ES384'), (input) => sign('sha384', input, { key: keyOf(ec), dsaEncoding: 'ieee-p1363' })),
      handMade(headerOf(ec, 'ES256K'), (input) => sign('sha256', input, { key: keyOf(ec), dsaEncoding: 'ieee-p1363' })),
    ];
    for (const text of refused) {
      const result = await verifyOn(text);
      expect(result).toMatchObject({ valid: false, code: VERIFY_CODES.INVALID });
      expect(result.message).toMatch(/algorithm must be one of PS256, ES256, EdDSA/);
    }
  });

  it('refuses a listed algorithm over a certificate key of another kind, whichever key signed', async () => {
    const p1363 = (key: KeyObject) => (input: Buffer) => sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
    const cases = [
      // An ES256 header over an Ed25519 certificate, signed by the Ed25519 key.
      handMade(headerOf(issuers.EdDSA, 'ES256'), (input) => sign(null, input, keyOf(issuers.EdDSA))),
      // An EdDSA header over a P-256 certificate, signed by the P-256 key.
      handMade(headerOf(issuers.ES256, 'EdDSA'), p1363(keyOf(issuers.ES256))),
      // A PS256 header over a P-256 certificate, and an ES256 one over an RSA certificate.
      handMade(headerOf(issuers.ES256, 'PS256'), p1363(keyOf(issuers.ES256))),
      handMade(headerOf(issuers.PS256, 'ES256'), (input) => sign('sha256', input, keyOf(issuers.PS256))),
    ];
    for (const text of cases) expect(await verifyOn(text)).toMatchObject({ valid: false, code: VERIFY_CODES.INVALID, message: expect.stringMatching(/does not fit its certificate's key/) });
    // The same hand-made form with the matching algorithm verifies: the mismatch is what failed.
    expect((await verifyOn(handMade(headerOf(issuers.ES256, 'ES256'), p1363(keyOf(issuers.ES256))))).valid).toBe(true);
  });

  it('refuses an ES256 signature in DER form (JWS carries r and s as 64 raw bytes)', async () => {
    const text = handMade(headerOf(issuers.ES256, 'ES256'), (input) => sign('sha256', input, keyOf(issuers.ES256)));
    expect((await verifyOn(text)).code).toBe(VERIFY_CODES.INVALID);
  });

  it('signs with none of the listed algorithms for keys of other kinds', () => {
    for (const pair of [generateKeyPairSync('ed448'), generateKeyPairSync('ec', { namedCurve: 'P-384' }), generateKeyPairSync('rsa', { modulusLength: 1024 })]) {
      expect(() => jwsAlgorithmOf(pair.publicKey)).toThrow(/signs with none of PS256, ES256, EdDSA/);
    }
  });
});
