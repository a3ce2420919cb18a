import { createPrivateKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { armor, dearmor } from '../armor';
import { getProduct } from '../catalog';
import { buildFingerprint, toLicensedFingerprint } from '../fingerprint';
import { LICENSE_ARMOR, signLicense, verifyLicense, VERIFY_CODES } from '../license';
import { createIssuingCertificate, createRootCa, type KeyAndCertificate, parseCertificates } from '../pki';
import { type AuditCheckpointClaims, signAuditCheckpoint, verifyAuditCheckpoint } from './checkpoint';

const HASH = 'ab'.repeat(32);
const head = (seq: number, hash = HASH): AuditCheckpointClaims => ({ v: 1, seq, hash, iat: Math.floor(Date.now() / 1000) });

let root: KeyAndCertificate;
let issuer: KeyAndCertificate;
let otherIssuer: KeyAndCertificate;

beforeAll(() => {
  root = createRootCa();
  issuer = createIssuingCertificate(root);
  otherIssuer = createIssuingCertificate(createRootCa());
});

const roots = () => parseCertificates(root.certificatePem);

describe('audit checkpoints', () => {
  it('verifies a checkpoint the issuing key signed and returns its claims', async () => {
    const claims = head(1000);
    const token = await signAuditCheckpoint(claims, issuer);
    expect(await verifyAuditCheckpoint(token, roots())).toEqual(claims);
  });

  it('refuses a checkpoint whose payload was changed after signing', async () => {
    const [h, , s] = (await signAuditCheckpoint(head(1000), issuer)).split('.');
    const edited = `${h}.${Buffer.from(JSON.stringify(head(900))).toString('base64url')}.${s}`;
    await expect(verifyAuditCheckpoint(edited, roots())).rejects.toThrow(/signature does not verify/);
  });

  it('refuses a checkpoint signed by a key of another root', async () => {
    const token = await signAuditCheckpoint(head(5), otherIssuer);
    await expect(verifyAuditCheckpoint(token, roots())).rejects.toThrow(/not signed by a trusted key/);
  });

  it('keeps checkpoints and licenses apart: neither passes for the other', async () => {
    const iat = Math.floor(Date.now() / 1000);
    const fingerprint = buildFingerprint([{ name: 'soc.serial', value: '6a1b2c3d4e5f6071' }, { name: 'emmc.cid', value: '150100524d4d4d0a1b2c3d4e5f607182' }]);
    const license = await signLicense(
      { v: 1, jti: 'l', sub: 'd', cus: 'c', pool: 'p', kind: 'perpetual', product: 'face-detection', features: [...getProduct('face-detection').features], modality: null, platform: 'android', fp: toLicensedFingerprint(fingerprint), iat, nbf: iat },
      { privateKey: createPrivateKey(issuer.privateKeyPem), certificatePem: issuer.certificatePem, kid: issuer.kid },
    );
    const licenseJws = dearmor(LICENSE_ARMOR, license) as string;
    await expect(verifyAuditCheckpoint(licenseJws, roots())).rejects.toThrow(/not an audit checkpoint/);

    const asLicense = armor(LICENSE_ARMOR, await signAuditCheckpoint(head(7), issuer));
    const verdict = await verifyLicense(asLicense, { roots: root.certificatePem, fingerprint });
    expect(verdict.code).toBe(VERIFY_CODES.INVALID);
  });

  it('refuses text that is not a checkpoint at all', async () => {
    await expect(verifyAuditCheckpoint('not a token', roots())).rejects.toThrow(/not a compact JWS/);
  });
});
