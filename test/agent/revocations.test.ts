import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { extendedKeyUsage } from '../../shared/src/spec-support/forge-extensions';
import { certificateKid, getProduct, LICENSE_SIGNING_EKU, parseLicense, signLicense } from '@seatlock/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../support/admin';
import { cloneDevice, newDevice, readLicense, runAgent, storedLicenses, type TestDevice } from '../support/agent';
import { rawQuery } from '../support/database';
import { client } from '../support/http';
import { approvedPool } from '../support/seatlock';
import { startServer, type StartedServer } from '../support/server';

const YEAR_MS = 365 * 86_400_000;

// A real server revokes; the list travels as a file to boards that verify offline.
describe('agent: issuing-certificate policy and the offline revocation list', { timeout: 120_000 }, () => {
  let server: StartedServer;
  let rootPath: string;
  const work = mkdtempSync(join(tmpdir(), 'seatlock-revocations-'));
  const devices: Record<string, { device: TestDevice; id: string }> = {};
  const agent = (device: TestDevice, args: string[]) => runAgent(device, args, { trustRoot: rootPath });
  const exportList = async (name: string) => {
    const out = join(work, name);
    const exported = await runAdmin(['revocations', 'export', '--out', out], server.storageEnv);
    expect(exported, exported.stderr).toMatchObject({ code: 0 });
    return { file: out, ...JSON.parse(exported.stdout) };
  };

  beforeAll(async () => {
    server = await startServer();
    rootPath = join(work, 'root.pem');
    writeFileSync(rootPath, (await client(server.url).get('/v1/trust')).body.root);
    const { activationCode } = await approvedPool(server.url, server.adminToken, { product: 'face-detection' });
    for (const fixture of ['android-rk3568', 'hi3516dv300-emmc']) {
      const device = newDevice(fixture);
      const activated = await agent(device, ['activate', '--server', server.url, '--code', activationCode]);
      expect(activated.code, activated.stderr).toBe(0);
      devices[fixture] = { device, id: /activated: device (\S+),/.exec(activated.stdout)?.[1] as string };
    }
  }, 120_000);

  afterAll(() => server?.stop());

  /**
   * What someone holding the key of another certificate the root signed would make: a perpetual
   * face-recognition license for this board, dated a year back unless `issuedAt` says otherwise,
   * signed under that certificate.
   */
  async function backdatedLicense(
    device: TestDevice,
    extensions: object[],
    { basicConstraints = { name: 'basicConstraints', cA: false }, issuedAt = Date.now() - YEAR_MS }: { basicConstraints?: object; issuedAt?: number } = {},
  ): Promise<string> {
    const [root] = await rawQuery<{ certificate: string; private_key: string }>(server.dataDir, "SELECT certificate, private_key FROM signing_keys WHERE kind = 'root'");
    const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, workers: -1 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = '0badc0de';
    cert.validity.notBefore = new Date(Date.now() - 2 * YEAR_MS);
    cert.validity.notAfter = new Date(Date.now() + YEAR_MS);
    cert.setSubject([{ name: 'commonName', value: 'licenses.example.com' }]);
    cert.setIssuer(forge.pki.certificateFromPem(root.certificate).subject.attributes);
    cert.setExtensions([basicConstraints, ...extensions]);
    cert.sign(forge.pki.privateKeyFromPem(root.private_key), forge.md.sha256.create());
    const certificatePem = forge.pki.certificateToPem(cert);
    const genuine = parseLicense(readLicense(storedLicenses(device)[0])).claims;
    const iat = Math.floor(issuedAt / 1000);
    const product = getProduct('face-recognition');
    return signLicense(
      { ...genuine, jti: 'forged-license', product: product.id, features: [...product.features], modality: 'ir', iat, nbf: iat },
      { privateKey: createPrivateKey(forge.pki.privateKeyToPem(keys.privateKey)), certificatePem, kid: certificateKid(certificatePem) },
    );
  }

  it('refuses a backdated license under a certificate the root made for TLS, without digitalSignature, or as a CA without keyCertSign: exit 11', async () => {
    const device = cloneDevice(devices['android-rk3568'].device);
    const licenseSigning = [{ name: 'keyUsage', digitalSignature: true }, extendedKeyUsage([LICENSE_SIGNING_EKU])];
    const cases = {
      tls: { extensions: [{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true }, { name: 'extKeyUsage', serverAuth: true }], reason: /key usage/ },
      'no digitalSignature': { extensions: [{ name: 'keyUsage', keyEncipherment: true }, extendedKeyUsage([LICENSE_SIGNING_EKU])], reason: /key usage/ },
      // node:crypto's `ca` is false for this one: OpenSSL also wants keyCertSign before it calls a
      // certificate a CA. Dated now, while the root is valid, so only the CA flag can refuse it.
      'CA:TRUE with the license usage': { extensions: licenseSigning, options: { basicConstraints: { name: 'basicConstraints', cA: true }, issuedAt: Date.now() }, reason: /is a CA certificate/ },
    };
    for (const [name, { extensions, options, reason }] of Object.entries(cases) as [string, { extensions: object[]; options?: { basicConstraints: object; issuedAt: number }; reason: RegExp }][]) {
      const file = join(work, `forged-${name.replace(/\W/g, '-')}.lic`);
      writeFileSync(file, await backdatedLicense(device, extensions, options));
      const installed = await agent(device, ['install', file]);
      expect(installed.code, name).toBe(11);
      expect(installed.stderr, name).toMatch(reason);
      // Dropped into the store by hand, it does not count either: the genuine license still decides.
      copyFileSync(file, join(device.home, 'licenses', 'forged.lic'));
      const verified = await agent(device, ['verify', '--feature', 'face.search-1toN']);
      expect(verified.code, name).toBe(15);
    }
  });

  it('revokes a device on the server; once the exported list is on the board, its boot check answers 17', async () => {
    const { device, id } = devices['android-rk3568'];
    const revoked = await client(server.url, server.adminToken).post(`/v1/devices/${id}/revoke`, { reason: 'stolen' });
    expect(revoked.status).toBe(200);
    // The revoked device's license still verifies offline until the board gets the list.
    expect((await agent(device, ['verify'])).code).toBe(0);
    const copiedByHand = cloneDevice(device);

    const list = await exportList('first.txt');
    expect(list).toMatchObject({ devices: 1, issuers: [] });
    const installed = await agent(device, ['install-revocations', list.file]);
    expect(installed, installed.stderr).toMatchObject({ code: 0, stdout: expect.stringMatching(`revocation list ${list.serial} `) });
    const verified = await agent(device, ['verify', '--json']);
    expect(verified.code).toBe(17);
    expect(JSON.parse(verified.stdout)).toMatchObject({ valid: false, status: 'REVOKED', license: { sub: id } });

    // The list also counts when it is put in the agent's home by hand, and other boards are untouched.
    copyFileSync(list.file, join(copiedByHand.home, 'revocations.txt'));
    expect((await agent(copiedByHand, ['verify'])).code).toBe(17);
    const other = devices['hi3516dv300-emmc'].device;
    copyFileSync(list.file, join(other.home, 'revocations.txt'));
    expect((await agent(other, ['verify'])).code).toBe(0);
  });

  it('refuses an older list, an edited one, and a license offered as a list', async () => {
    const device = cloneDevice(devices['hi3516dv300-emmc'].device);
    const older = await exportList('older.txt');
    const newer = await exportList('newer.txt');
    expect(newer.serial).toBeGreaterThan(older.serial);
    expect((await agent(device, ['install-revocations', newer.file])).code).toBe(0);
    const refused = await agent(device, ['install-revocations', older.file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`serial ${older.serial} is not above the installed list's ${newer.serial}`));
    expect(readFileSync(join(device.home, 'revocations.txt'), 'utf8')).toBe(readFileSync(newer.file, 'utf8'));

    const edited = join(work, 'edited.txt');
    const text = readFileSync(newer.file, 'utf8');
    const at = text.lastIndexOf('\n-----END') - 3;
    writeFileSync(edited, text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1));
    expect(await agent(device, ['install-revocations', edited])).toMatchObject({ code: 11, stderr: expect.stringMatching(/signature does not verify/) });

    const license = storedLicenses(device)[0];
    const asList = join(work, 'license-as-list.txt');
    writeFileSync(asList, readLicense(license).replace(/SEATLOCK LICENSE/g, 'SEATLOCK REVOCATION LIST'));
    expect(await agent(device, ['install-revocations', asList])).toMatchObject({ code: 11, stderr: expect.stringMatching(/not a revocation list/) });
    expect((await agent(device, ['verify'])).code).toBe(0);
  });
  it('refuses an older list once the newer one is damaged or deleted: install-revocations 1, verify 11 until a list as new is back', async () => {
    const device = cloneDevice(devices['hi3516dv300-emmc'].device);
    const older = await exportList('rollback-older.txt');
    const newer = await exportList('rollback-newer.txt');
    const installedList = join(device.home, 'revocations.txt');
    expect((await agent(device, ['install-revocations', newer.file])).code).toBe(0);
    writeFileSync(installedList, readFileSync(newer.file, 'utf8').replace('-----END', 'damage\n-----END'));
    expect((await agent(device, ['verify'])).code).toBe(11);

    const refused = await agent(device, ['install-revocations', older.file]);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`serial ${older.serial} is below ${newer.serial}, the newest this device has seen`));
    // Put in place by hand, deleted, or both copies of the list gone: the boot check refuses.
    copyFileSync(older.file, installedList);
    expect(await agent(device, ['verify'])).toMatchObject({ code: 11, stderr: expect.stringMatching(`older than list ${newer.serial}`) });
    rmSync(installedList);
    expect(await agent(device, ['verify'])).toMatchObject({ code: 11, stderr: expect.stringMatching(`missing.*list ${newer.serial}`) });
    // The same list again, or a newer one, puts the board right.
    expect((await agent(device, ['install-revocations', newer.file])).code).toBe(0);
    expect((await agent(device, ['verify'])).code).toBe(0);
  });

  it('remembers a list put in place by hand once a boot check has seen it: deleting it then answers 11', async () => {
    const device = cloneDevice(devices['hi3516dv300-emmc'].device);
    const list = await exportList('by-hand.txt');
    copyFileSync(list.file, join(device.home, 'revocations.txt'));
    expect((await agent(device, ['verify'])).code).toBe(0);
    rmSync(join(device.home, 'revocations.txt'));
    expect((await agent(device, ['verify'])).code).toBe(11);
  });
});

/**
 * A thief holds a copy of an issuing key's private key (a leaked backup, say). Rotating the key
 * only closes its window after the rotation: the thief dates licenses before it. Declaring the
 * key compromised closes it entirely, and genuine devices get licenses under the new key.
 */
describe('agent: a leaked issuing key declared compromised', { timeout: 180_000 }, () => {
  let server: StartedServer;
  let rootPath: string;
  const work = mkdtempSync(join(tmpdir(), 'seatlock-compromised-'));
  const agent = (device: TestDevice, args: string[]) => runAgent(device, args, { trustRoot: rootPath });
  const exportList = async (name: string) => {
    const file = join(work, name);
    const exported = await runAdmin(['revocations', 'export', '--out', file], server.storageEnv);
    expect(exported, exported.stderr).toMatchObject({ code: 0 });
    return { file, ...JSON.parse(exported.stdout) };
  };

  beforeAll(async () => {
    server = await startServer();
    rootPath = join(work, 'root.pem');
    writeFileSync(rootPath, (await client(server.url).get('/v1/trust')).body.root);
  });
  afterAll(() => server?.stop());

  it('refuses every license under the key once the next list is installed, backdated ones included; a genuine device re-activates under the new key', async () => {
    const { activationCode } = await approvedPool(server.url, server.adminToken, { product: 'face-detection' });
    const device = newDevice('hi3516dv300-emmc');
    expect((await agent(device, ['activate', '--server', server.url, '--code', activationCode])).code).toBe(0);
    const genuine = parseLicense(readLicense(storedLicenses(device)[0]));
    const leakedKid = genuine.header.kid;
    const [leakedRow] = await rawQuery<{ certificate: string; private_key: string }>(server.dataDir, 'SELECT certificate, private_key FROM signing_keys WHERE kid = ?', [leakedKid]);
    const leaked = { privateKey: createPrivateKey(leakedRow.private_key), certificatePem: leakedRow.certificate, kid: leakedKid };

    const rotated = await runAdmin(['keys', 'rotate'], server.storageEnv);
    expect(rotated.code, rotated.stderr).toBe(0);
    const newKid = JSON.parse(rotated.stdout).kid;
    const retiring = await exportList('retiring.txt');
    expect(retiring.issuers).toEqual([{ kid: leakedKid, after: expect.any(Number) }]);
    expect((await agent(device, ['install-revocations', retiring.file])).code).toBe(0);

    // The thief's face-recognition license for this board, dated before the retirement: the list alone lets it in.
    const product = getProduct('face-recognition');
    const iat = genuine.claims.iat;
    const forged = join(work, 'forged.lic');
    writeFileSync(forged, await signLicense({ ...genuine.claims, jti: 'thief-license', product: product.id, features: [...product.features], modality: 'ir', iat, nbf: iat }, leaked));
    expect((await agent(cloneDevice(device), ['install', forged])).code).toBe(0);

    // A key id is base64url: one in 64 begins with '-', which only a preceding -- keeps from reading as an option.
    const compromised = await runAdmin(['keys', 'compromised', '--', leakedKid], server.storageEnv);
    expect(compromised.code, compromised.stderr).toBe(0);
    expect(JSON.parse(compromised.stdout)).toMatchObject({ kid: leakedKid, compromisedAt: expect.any(String) });
    const [event] = await rawQuery<{ actor: string }>(server.dataDir, "SELECT actor FROM audit_events WHERE action = 'keys.compromised' AND subject = ?", [`key:${leakedKid}`]);
    expect(event).toBeDefined();
    // The key that signs now cannot be declared compromised: a rotation comes first.
    expect(await runAdmin(['keys', 'compromised', '--', newKid], server.storageEnv)).toMatchObject({ code: 1, stderr: expect.stringMatching(/keys rotate/) });

    const closing = await exportList('compromised.txt');
    expect(closing.issuers).toEqual([{ kid: leakedKid, after: 0 }]);
    expect((await agent(device, ['install-revocations', closing.file])).code).toBe(0);
    const refused = await agent(device, ['install', forged]);
    expect(refused.code).toBe(17);
    expect(refused.stderr).toMatch(/retired or revoked/);
    // The genuine license is under the same key: refused too, until the device activates again.
    expect((await agent(device, ['verify'])).code).toBe(17);

    const again = await agent(device, ['activate', '--server', server.url, '--code', activationCode]);
    expect(again.code, again.stderr).toBe(0);
    const [reissued] = storedLicenses(device).map((file) => parseLicense(readLicense(file)));
    expect(storedLicenses(device)).toHaveLength(1);
    expect(reissued.header.kid).toBe(newKid);
    expect(reissued.claims).toMatchObject({ jti: genuine.claims.jti, sub: genuine.claims.sub, product: 'face-detection' });
    expect((await agent(device, ['verify'])).code).toBe(0);
    expect((await agent(device, ['install', forged])).code).toBe(17);
  });
});
