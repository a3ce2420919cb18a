import {
  loadPrivateKey,
  parseCertificates,
  parseLicense,
  signLicense,
  VERIFY_CODES,
  verifyLicense,
  verifyRevocationList,
} from '@seatlock/shared';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rawQuery } from '../support/database';
import { client } from '../support/http';
import { admin, PASSPHRASE } from '../support/keys';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { startServer } from '../support/server';

// Every step here starts a process (server or CLI), and some make RSA keys or run 600,000 PBKDF2
// iterations: slow on 2 cores under load (a CLI start alone takes ~5 s when the machine is busy).
// The cases that mostly run the CLI are in keys-cli.test.ts, so the two files run on two workers.
describe('signing keys', { timeout: 240_000 }, () => {
  it('rotates the issuing key: new licenses use it, old ones still verify, trust lists both', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seatlock-keys-'));
    expect((await admin(dataDir, ['keys', 'init'])).code).toBe(0);
    const env = { SEATLOCK_KEY_PASSPHRASE: PASSPHRASE, NODE_ENV: 'production' };
    let server = await startServer({ dataDir, env });
    const { activationCode } = await approvedPool(server.url, server.adminToken);
    const oldFp = deviceFingerprint('before-rotation');
    const before = await client(server.url).post('/v1/activations', { activationCode, platform: 'android', fingerprint: oldFp });
    expect(before.status).toBe(201);
    await server.stop();

    const rotated = await admin(dataDir, ['keys', 'rotate']);
    expect(rotated.code).toBe(0);
    const newKid = JSON.parse(rotated.stdout).kid;
    const shown = JSON.parse((await admin(dataDir, ['keys', 'show'])).stdout);
    expect(shown.map((k: { kind: string }) => k.kind)).toEqual(['root', 'issuer', 'issuer']);
    expect(shown.every((k: { encrypted: boolean }) => k.encrypted)).toBe(true);

    server = await startServer({ dataDir, env, adminToken: server.adminToken });
    try {
      const trust = (await client(server.url).get('/v1/trust')).body;
      expect(trust.issuers.map((i: { kid: string }) => i.kid)).toEqual([parseLicense(before.body.license).header.kid, newKid]);
      const newFp = deviceFingerprint('after-rotation');
      const after = await client(server.url).post('/v1/activations', { activationCode, platform: 'android', fingerprint: newFp });
      expect(parseLicense(after.body.license).header.kid).toBe(newKid);
      expect((await verifyLicense(after.body.license, { roots: trust.root, fingerprint: newFp })).valid).toBe(true);
      expect((await verifyLicense(before.body.license, { roots: trust.root, fingerprint: oldFp })).valid).toBe(true);
      // The old device comes back: its stored license, signed by the old key.
      const again = await client(server.url).post('/v1/activations', { activationCode, platform: 'android', fingerprint: oldFp });
      expect(again.body.license).toBe(before.body.license);
    } finally {
      await server.stop();
    }

    // The revocation list closes the retired key: a copy of it cannot sign licenses dated after it retired.
    const out = join(dataDir, 'revocations.txt');
    const exported = await admin(dataDir, ['revocations', 'export', '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    const oldKid = parseLicense(before.body.license).header.kid;
    const newKey = shown.find((k: { kid: string }) => k.kid === newKid);
    const after = Math.floor(Date.parse(newKey.createdAt) / 1000) + 3600;
    expect(JSON.parse(exported.stdout)).toMatchObject({ serial: 1, devices: 0, issuers: [{ kid: oldKid, after }] });
    const rootPem = (await rawQuery<{ certificate: string }>(dataDir, "SELECT certificate FROM signing_keys WHERE kind = 'root'"))[0].certificate;
    const revocations = await verifyRevocationList(readFileSync(out, 'utf8'), parseCertificates(rootPem));
    expect((await verifyLicense(before.body.license, { roots: rootPem, fingerprint: oldFp, revocations })).code).toBe(VERIFY_CODES.VALID);
    const [oldRow] = await rawQuery<{ certificate: string; private_key: string }>(dataDir, 'SELECT certificate, private_key FROM signing_keys WHERE kid = ?', [oldKid]);
    const leaked = { privateKey: loadPrivateKey(oldRow.private_key, PASSPHRASE), certificatePem: oldRow.certificate, kid: oldKid };
    const claims = parseLicense(before.body.license).claims;
    const later = await signLicense({ ...claims, jti: 'minted-later', iat: after + 60, nbf: after + 60 }, leaked);
    expect((await verifyLicense(later, { roots: rootPem, fingerprint: oldFp })).code).toBe(VERIFY_CODES.VALID);
    expect((await verifyLicense(later, { roots: rootPem, fingerprint: oldFp, revocations })).code).toBe(VERIFY_CODES.REVOKED);
  });

  it('refuses to start in production without keys, with a plaintext key, or without the passphrase', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'seatlock-keys-'));
    await expect(startServer({ dataDir: empty, env: { NODE_ENV: 'production', SEATLOCK_KEY_PASSPHRASE: PASSPHRASE } })).rejects.toThrow(/No signing keys.*keys init/);

    // First start in development makes plaintext keys (no passphrase) with a warning.
    const dev = await startServer({ firstStart: true });
    await dev.stop();
    await expect(startServer({ dataDir: dev.dataDir, env: { NODE_ENV: 'production', SEATLOCK_KEY_PASSPHRASE: PASSPHRASE } })).rejects.toThrow(/unencrypted/);
    const plaintext = await rawQuery<{ n: number | string }>(dev.dataDir, "SELECT count(*) AS n FROM signing_keys WHERE private_key LIKE '%BEGIN PRIVATE KEY%'");
    expect(Number(plaintext[0].n)).toBe(2);

    const encrypted = mkdtempSync(join(tmpdir(), 'seatlock-keys-'));
    expect((await admin(encrypted, ['keys', 'init'])).code).toBe(0);
    expect((await admin(encrypted, ['keys', 'init'])).stderr).toMatch(/already exist/);
    await expect(startServer({ dataDir: encrypted, env: { NODE_ENV: 'production', SEATLOCK_KEY_PASSPHRASE: 'wrong' } })).rejects.toThrow(/wrong passphrase/);
    await expect(startServer({ dataDir: encrypted, env: { NODE_ENV: 'production' } })).rejects.toThrow(/no passphrase/);
  });
});
