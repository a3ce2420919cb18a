import {
  createRootCa,
  encryptPrivateKey,
  KEY_ENCRYPTION_ITERATIONS,
  loadPrivateKey,
  parseCertificates,
  parseLicense,
  signLicense,
  VERIFY_CODES,
  verifyLicense,
  verifyRevocationList,
} from '@seatlock/shared';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { runAdmin } from '../support/admin';
import { databaseEnv, rawQuery } from '../support/database';
import { client } from '../support/http';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { startServer } from '../support/server';

const PASSPHRASE = 'correct horse battery staple';

/** Runs seatlock-admin on a data dir; resolves with its exit code, stdout and stderr. */
async function admin(dataDir: string, args: string[], env: Record<string, string> = {}) {
  return runAdmin(args, { ...(await databaseEnv(dataDir)), SEATLOCK_KEY_PASSPHRASE: PASSPHRASE, ...env });
}

/** The PBKDF2 iteration count of an encrypted PKCS#8 PEM. */
function pbkdf2Iterations(pem: string): number {
  const info = forge.asn1.fromDer(forge.pem.decode(pem)[0].body);
  const kdf = (((info.value[0] as forge.asn1.Asn1).value[1] as forge.asn1.Asn1).value[0] as forge.asn1.Asn1).value[1] as forge.asn1.Asn1;
  return forge.asn1.derToInteger((kdf.value as forge.asn1.Asn1[])[1].value as string);
}

// Every step here starts a process (server or CLI), and some make RSA keys or run 600,000 PBKDF2
// iterations: slow on 2 cores under load (a CLI start alone takes ~5 s when the machine is busy).
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
    const dev = await startServer();
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

  it('encrypts keys with 600,000 PBKDF2 iterations and refuses a passphrase under 12 characters', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seatlock-keys-'));
    const short = await admin(dataDir, ['keys', 'init'], { SEATLOCK_KEY_PASSPHRASE: 'hunter2' });
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/at least 12 characters/);
    expect((await admin(dataDir, ['keys', 'show'])).stdout.trim()).toBe('[]');

    expect((await admin(dataDir, ['keys', 'init'])).code).toBe(0);
    const rows = await rawQuery<{ private_key: string }>(dataDir, 'SELECT private_key FROM signing_keys');
    expect(rows.map((row) => pbkdf2Iterations(row.private_key))).toEqual([KEY_ENCRYPTION_ITERATIONS, KEY_ENCRYPTION_ITERATIONS]);
    expect(KEY_ENCRYPTION_ITERATIONS).toBe(600_000);
  });

  it('keeps an offline root out of the database; rotation needs its file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seatlock-keys-'));
    const rootFile = join(mkdtempSync(join(tmpdir(), 'seatlock-offline-')), 'root-key.pem');
    const init = await admin(dataDir, ['keys', 'init', '--offline-root', rootFile]);
    expect(init.code).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject([{ kind: 'root', offline: true, encrypted: true }, { kind: 'issuer', offline: false, encrypted: true }]);
    expect(statSync(rootFile).mode & 0o777).toBe(0o600);
    const rootKeyPem = readFileSync(rootFile, 'utf8');
    expect(rootKeyPem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(pbkdf2Iterations(rootKeyPem)).toBe(KEY_ENCRYPTION_ITERATIONS);
    const stored = await rawQuery<{ kind: string; private_key: string | null }>(dataDir, 'SELECT kind, private_key FROM signing_keys ORDER BY kind');
    expect(stored.find((row) => row.kind === 'root')?.private_key).toBeNull();

    // A second init never overwrites the file that holds the only copy of the root key.
    expect((await admin(dataDir, ['keys', 'init', '--offline-root', rootFile])).stderr).toMatch(/root key file/);
    expect(readFileSync(rootFile, 'utf8')).toBe(rootKeyPem);

    const without = await admin(dataDir, ['keys', 'rotate']);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/root key is offline.*--root FILE/);
    const otherFile = join(mkdtempSync(join(tmpdir(), 'seatlock-offline-')), 'other.pem');
    writeFileSync(otherFile, encryptPrivateKey(createRootCa().privateKeyPem, PASSPHRASE));
    const wrong = await admin(dataDir, ['keys', 'rotate', '--root', otherFile]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/does not hold the key of this install's root/);
    const rotated = await admin(dataDir, ['keys', 'rotate', '--root', rootFile]);
    expect(rotated.code).toBe(0);
    const out = join(dataDir, 'revocations.txt');
    expect((await admin(dataDir, ['revocations', 'export', '--out', out])).stderr).toMatch(/root key is offline/);
    expect((await admin(dataDir, ['revocations', 'export', '--out', out, '--root', rootFile])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^-----BEGIN SEATLOCK REVOCATION LIST-----/);

    // The server runs in production on the issuing key alone, and signs with the new one.
    const server = await startServer({ dataDir, env: { NODE_ENV: 'production', SEATLOCK_KEY_PASSPHRASE: PASSPHRASE } });
    try {
      const { activationCode } = await approvedPool(server.url, server.adminToken);
      const fingerprint = deviceFingerprint('offline-root');
      const activated = await client(server.url).post('/v1/activations', { activationCode, platform: 'android', fingerprint });
      expect(parseLicense(activated.body.license).header.kid).toBe(JSON.parse(rotated.stdout).kid);
      const trust = (await client(server.url).get('/v1/trust')).body;
      expect((await verifyLicense(activated.body.license, { roots: trust.root, fingerprint })).valid).toBe(true);
    } finally {
      await server.stop();
    }
    expect(existsSync(rootFile)).toBe(true);
  });

  it('creates tokens from the CLI that the server accepts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seatlock-keys-'));
    const server = await startServer({ dataDir });
    try {
      const created = await admin(dataDir, ['tokens', 'create', '--role', 'auditor', '--name', 'compliance']);
      expect(created.code).toBe(0);
      const { token, role } = JSON.parse(created.stdout);
      expect(role).toBe('auditor');
      expect((await client(server.url, token).get('/v1/audit/verify')).body).toMatchObject({ ok: true });
      expect((await client(server.url, token).post('/v1/customers', { name: 'x' })).status).toBe(403);
      expect((await admin(dataDir, ['tokens', 'create', '--role', 'root'])).code).toBe(1);
      expect((await admin(dataDir, ['tokens', 'create'])).code).toBe(2);
    } finally {
      await server.stop();
    }
  });
});
