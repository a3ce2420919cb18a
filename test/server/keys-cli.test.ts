import { createRootCa, encryptPrivateKey, KEY_ENCRYPTION_ITERATIONS, parseLicense, verifyLicense } from '@seatlock/shared';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rawQuery } from '../support/database';
import { client } from '../support/http';
import { admin, PASSPHRASE, pbkdf2Iterations } from '../support/keys';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { startServer } from '../support/server';

// Every step here starts a process (server or CLI), and some make RSA keys or run 600,000 PBKDF2
// iterations: slow on 2 cores under load (a CLI start alone takes ~5 s when the machine is busy).
// The cases that start the server most are in keys.test.ts, so the two files run on two workers.
describe('signing keys', { timeout: 240_000 }, () => {
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

  it('rotates to the issuing key kind asked for; licenses of every earlier kind keep verifying', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seatlock-keys-'));
    const init = await admin(dataDir, ['keys', 'init', '--alg', 'PS256']);
    expect(JSON.parse(init.stdout)).toMatchObject([{ kind: 'root', alg: 'PS256' }, { kind: 'issuer', alg: 'PS256' }]);
    const wrong = await admin(dataDir, ['keys', 'rotate', '--alg', 'ES384']);
    expect(wrong).toMatchObject({ code: 2, stderr: expect.stringMatching(/--alg must be one of PS256, ES256, EdDSA/) });
    const env = { NODE_ENV: 'production', SEATLOCK_KEY_PASSPHRASE: PASSPHRASE };
    const licenses: { alg: string; license: string; fingerprint: ReturnType<typeof deviceFingerprint> }[] = [];
    for (const alg of ['PS256', 'ES256', 'EdDSA']) {
      if (alg !== 'PS256') {
        const rotated = await admin(dataDir, ['keys', 'rotate', '--alg', alg]);
        expect(JSON.parse(rotated.stdout)).toMatchObject({ kind: 'issuer', alg });
      }
      const server = await startServer({ dataDir, env });
      try {
        const { activationCode } = await approvedPool(server.url, server.adminToken);
        const fingerprint = deviceFingerprint(`rotate-${alg}`);
        const activated = await client(server.url).post('/v1/activations', { activationCode, platform: 'android', fingerprint });
        expect(parseLicense(activated.body.license).header.alg).toBe(alg);
        licenses.push({ alg, license: activated.body.license, fingerprint });
      } finally {
        await server.stop();
      }
    }
    const root = JSON.parse((await admin(dataDir, ['keys', 'show'])).stdout).find((key: { kind: string }) => key.kind === 'root');
    expect(root.alg).toBe('PS256');
    const rootPem = (await rawQuery<{ certificate: string }>(dataDir, "SELECT certificate FROM signing_keys WHERE kind = 'root'"))[0].certificate;
    for (const { license, fingerprint } of licenses) expect((await verifyLicense(license, { roots: rootPem, fingerprint })).valid).toBe(true);
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
