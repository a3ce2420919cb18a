import { createPrivateKey } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { signRevocationList, type RevocationList } from '@seatlock/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDevice } from './device';
import { install } from './install';
import { installRevocations } from './revocations';
import { deviceCopy, deviceEnv, testPki } from './spec-support';
import { LicenseStore } from './store';
import { verify } from './verify';

let pki: ReturnType<typeof testPki>;

beforeAll(() => {
  pki = testPki();
});

function revocationList(serial: number, devices: string[]): string {
  const list: RevocationList = { v: 1, serial, iat: Math.floor(Date.now() / 1000), devices, issuers: [] };
  return signRevocationList(list, { privateKey: createPrivateKey(pki.root.privateKeyPem), certificatePem: pki.root.certificatePem });
}

function device() {
  return deviceEnv(deviceCopy('android-rk3568'), pki.rootPath);
}

describe('revocation lists on the device', () => {
  it('make the boot check answer 17 for a revoked device, once installed', async () => {
    const env = device();
    await install(await pki.sign(readDevice(env).fingerprint), env);
    await installRevocations(revocationList(1, ['dev-other']), env);
    expect(await verify({ env })).toMatchObject({ valid: true, code: 0 });
    await installRevocations(revocationList(2, ['dev-1']), env);
    expect(await verify({ env })).toMatchObject({ valid: false, code: 17, status: 'REVOKED' });
  });

  it('refuse to install a revoked license', async () => {
    const env = device();
    await installRevocations(revocationList(1, ['dev-1']), env);
    await expect(install(await pki.sign(readDevice(env).fingerprint), env)).rejects.toMatchObject({ code: 'LICENSE_REFUSED', exitCode: 17 });
  });

  it('never replace a newer list with an older or the same serial', async () => {
    const env = device();
    await installRevocations(revocationList(5, ['dev-1']), env);
    await expect(installRevocations(revocationList(4, []), env)).rejects.toMatchObject({ code: 'REVOCATIONS_REFUSED', message: expect.stringMatching(/serial 4 is not above the installed list's 5/) });
    await expect(installRevocations(revocationList(5, []), env)).rejects.toMatchObject({ code: 'REVOCATIONS_REFUSED' });
    expect((await installRevocations(revocationList(6, []), env)).list.serial).toBe(6);
  });

  it('refuse every license while the installed list is damaged (11), rather than forget it', async () => {
    const env = device();
    await install(await pki.sign(readDevice(env).fingerprint), env);
    await installRevocations(revocationList(1, ['dev-1']), env);
    const store = new LicenseStore(env.home);
    writeFileSync(store.revocationsFile, (store.readRevocations() as string).replace(/[A-Za-z0-9_-](?=\n-----END)/, (c) => (c === 'A' ? 'B' : 'A')));
    expect(await verify({ env })).toMatchObject({ valid: false, code: 11, message: expect.stringMatching(/revocation list .* is not valid/) });
  });
});
