import { createPrivateKey, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { armor, dearmor } from '../armor';
import { getProduct } from '../catalog';
import { buildFingerprint, toLicensedFingerprint } from '../fingerprint';
import { LICENSE_ARMOR, signLicense, VERIFY_CODES, verifyLicense, type LicenseClaims } from '../license';
import { signCompact } from '../jws';
import { createIssuingCertificate, createRootCa, parseCertificates, type KeyAndCertificate } from '../pki';
import { REVOCATION_LIST_ARMOR, REVOCATION_LIST_TYP, type RevocationList } from './list';
import { signRevocationList } from './sign';
import { InvalidRevocationListError, verifyRevocationList } from './verify';

const device = buildFingerprint([{ name: 'emmc.cid', value: '150100524d4d4d0a1b2c3d4e5f607182' }]);
let root: KeyAndCertificate;
let issuer: KeyAndCertificate;
let roots: X509Certificate[];

function list(overrides: Partial<RevocationList> = {}): RevocationList {
  return { v: 1, serial: 7, iat: Math.floor(Date.now() / 1000), devices: ['dev_revoked'], issuers: [], ...overrides };
}

const signedByRoot = (l: RevocationList) => signRevocationList(l, { privateKey: createPrivateKey(root.privateKeyPem), certificatePem: root.certificatePem });

function claims(sub: string, iat: number): LicenseClaims {
  return {
    v: 1, jti: `lic_${sub}`, sub, cus: 'cus_1', pool: 'pool_1', kind: 'perpetual', product: 'face-detection',
    features: [...getProduct('face-detection').features], modality: null, platform: 'android', fp: toLicensedFingerprint(device), iat, nbf: iat,
  };
}

const license = (sub: string, iat = Math.floor(Date.now() / 1000) - 60) =>
  signLicense(claims(sub, iat), { privateKey: createPrivateKey(issuer.privateKeyPem), certificatePem: issuer.certificatePem, kid: issuer.kid });

beforeAll(() => {
  root = createRootCa();
  issuer = createIssuingCertificate(root);
  roots = parseCertificates(root.certificatePem);
});

describe('revocation lists', () => {
  it('verify when the root signed them, and read back as signed', async () => {
    const signed = list();
    expect(await verifyRevocationList(signedByRoot(signed), roots)).toEqual(signed);
  });

  it('refuse a list signed by an issuing key under the root kid (a leaked issuing key cannot publish one)', async () => {
    const header = { typ: REVOCATION_LIST_TYP, kid: root.kid };
    const forged = armor(REVOCATION_LIST_ARMOR, signCompact(header, list({ serial: Number.MAX_SAFE_INTEGER }), createPrivateKey(issuer.privateKeyPem)));
    await expect(verifyRevocationList(forged, roots)).rejects.toThrow(/signature does not verify/);
  });

  it('refuse a list with a character outside base64url in any part, which a lenient decoder would skip', async () => {
    const text = signedByRoot(list());
    const body = dearmor(REVOCATION_LIST_ARMOR, text)!;
    const dots = [body.indexOf('.'), body.lastIndexOf('.')];
    for (const at of [5, dots[0] + 5, dots[1] + 5, body.length - 1]) {
      const damaged = armor(REVOCATION_LIST_ARMOR, `${body.slice(0, at)}\0${body.slice(at)}`);
      await expect(verifyRevocationList(damaged, roots)).rejects.toThrow(InvalidRevocationListError);
    }
  });

  it('refuse a list under another root, and an edited one', async () => {
    await expect(verifyRevocationList(signedByRoot(list()), parseCertificates(createRootCa().certificatePem))).rejects.toThrow(/not signed by a trusted root/);
    const jws = dearmor(REVOCATION_LIST_ARMOR, signedByRoot(list())) as string;
    const [header, , signature] = jws.split('.');
    const edited = `${header}.${Buffer.from(JSON.stringify(list({ devices: [] }))).toString('base64url')}.${signature}`;
    await expect(verifyRevocationList(armor(REVOCATION_LIST_ARMOR, edited), roots)).rejects.toThrow(InvalidRevocationListError);
  });

  it('never pass for a license, nor a license for a list (domain separation)', async () => {
    const licenseJws = dearmor(LICENSE_ARMOR, await license('dev_1')) as string;
    await expect(verifyRevocationList(armor(REVOCATION_LIST_ARMOR, licenseJws), roots)).rejects.toThrow(/not a revocation list/);
    const listJws = dearmor(REVOCATION_LIST_ARMOR, signedByRoot(list())) as string;
    const asLicense = await verifyLicense(armor(LICENSE_ARMOR, listJws), { roots, fingerprint: device });
    expect(asLicense.code).toBe(VERIFY_CODES.INVALID);
  });

  it('refuse a well-signed list with a bad shape', async () => {
    await expect(verifyRevocationList(signedByRoot(list({ serial: 0 })), roots)).rejects.toThrow(/serial/);
  });
});

describe('verifyLicense with a revocation list', () => {
  it('answers 17 for a revoked device, and leaves other devices alone', async () => {
    const revocations = list();
    expect(await verifyLicense(await license('dev_revoked'), { roots, fingerprint: device, revocations })).toMatchObject({ code: VERIFY_CODES.REVOKED, status: 'REVOKED' });
    expect((await verifyLicense(await license('dev_other'), { roots, fingerprint: device, revocations })).code).toBe(VERIFY_CODES.VALID);
  });

  it("refuses a retired key's licenses dated after it retired, and keeps those before", async () => {
    const retiredAt = Math.floor(Date.now() / 1000) - 1800;
    const revocations = list({ devices: [], issuers: [{ kid: issuer.kid, after: retiredAt }] });
    expect((await verifyLicense(await license('dev_2', retiredAt - 60), { roots, fingerprint: device, revocations })).code).toBe(VERIFY_CODES.VALID);
    expect((await verifyLicense(await license('dev_2', retiredAt + 60), { roots, fingerprint: device, revocations })).code).toBe(VERIFY_CODES.REVOKED);
    const compromised = list({ devices: [], issuers: [{ kid: issuer.kid, after: 0 }] });
    expect((await verifyLicense(await license('dev_2', retiredAt - 60), { roots, fingerprint: device, revocations: compromised })).code).toBe(VERIFY_CODES.REVOKED);
  });
});
