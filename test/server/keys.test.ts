import { parseLicense, verifyLicense } from '@seatlock/shared';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { databaseEnv, rawQuery } from '../support/database';
import { client } from '../support/http';
import { approvedPool, deviceFingerprint } from '../support/seatlock';
import { REPO_ROOT, startServer } from '../support/server';

const run = promisify(execFile);
const PASSPHRASE = 'correct horse battery staple';

/** Runs seatlock-admin on a data dir; resolves with its exit code, stdout and stderr. */
async function admin(dataDir: string, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(REPO_ROOT, 'server/dist/cli/admin.js'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...(await databaseEnv(dataDir)), SEATLOCK_KEY_PASSPHRASE: PASSPHRASE, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// Every step here starts a process (server or CLI) and some make RSA keys: slow on 2 cores under load.
describe('signing keys', { timeout: 90_000 }, () => {
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
