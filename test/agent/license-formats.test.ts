import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createIssuingCertificate,
  createRootCa,
  getProduct,
  parseLicense,
  signLicense,
  toLicensedFingerprint,
  type Fingerprint,
  type KeyAndCertificate,
  type LicenseAlg,
  type LicenseClaims,
  type PlatformId,
} from '@seatlock/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleAgent, newDevice, runAgent } from '../support/agent';
import { requiredInCi } from '../support/requirement';

// Licenses issued before format v2 (PS256, RSA-2048) and after it (EdDSA by default, ES256 on
// request) verify side by side under one root, on the bundle a device runs, on the Node 18 floor,
// and outside Seatlock's code: `openssl verify` for the x5c chain, python-jwcrypto for the JWS.
const node18 = requiredInCi(process.env.SEATLOCK_TEST_NODE18, 'Node 18 for the device bundle floor test', 'set SEATLOCK_TEST_NODE18=$(.ci/fetch-node 18)');
// Debian's python3-jwcrypto is on Debian's Python, which another python3 earlier in PATH may shadow.
const jwcrypto = requiredInCi(['python3', '/usr/bin/python3'].find((python) => spawnSync(python, ['-c', 'import jwcrypto'], { stdio: 'ignore' }).status === 0), 'python3-jwcrypto for the second JOSE library', 'apt-get install -y python3-jwcrypto');
const FORMATS: [string, LicenseAlg][] = [
  ['v1', 'PS256'],
  ['v2', 'ES256'],
  ['v2', 'EdDSA'],
];

let work: string;
let root: KeyAndCertificate;
let rootPath: string;
const issuers = {} as Record<LicenseAlg, KeyAndCertificate>;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'seatlock-formats-'));
  root = createRootCa({ commonName: 'Formats Root' });
  rootPath = join(work, 'root.pem');
  writeFileSync(rootPath, root.certificatePem);
  for (const [, alg] of FORMATS) issuers[alg] = createIssuingCertificate(root, { alg });
});

function licenseFor(alg: LicenseAlg, fingerprint: Fingerprint, platform: PlatformId): Promise<string> {
  const product = getProduct('face-recognition');
  const iat = Math.floor(Date.now() / 1000);
  const claims: LicenseClaims = {
    v: 1, jti: `formats-${alg}`, sub: 'formats-device', cus: 'formats-customer', pool: 'formats-pool', kind: 'perpetual',
    product: product.id, features: [...product.features], modality: 'ir', platform, fp: toLicensedFingerprint(fingerprint), iat, nbf: iat,
  };
  const issuer = issuers[alg];
  return signLicense(claims, { privateKey: createPrivateKey(issuer.privateKeyPem), certificatePem: issuer.certificatePem, kid: issuer.kid });
}

/** The license text with one character of its signature changed. */
function damaged(text: string): string {
  const at = text.lastIndexOf('.') + 5;
  return text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
}

describe('license formats v1 and v2 on the device bundle', () => {
  const nodes = [['this Node', process.execPath], ...(node18 ? [['Node 18', node18]] : [])] as const;

  it.each(FORMATS)('a %s (%s) license installs and verifies: exit 0, on this Node and on Node 18; one changed byte: 11', async (_, alg) => {
    // The release build's code with its root embedded, reading a captured board (as `npm run bench` does).
    const agent = join(work, 'seatlock-agent.js');
    bundleAgent(agent, { root: rootPath, dev: true });
    for (const [, node] of nodes) {
      const device = newDevice('android-rk3568');
      const { fingerprint } = JSON.parse((await runAgent(device, ['fingerprint', '--json'], { agent, node })).stdout);
      const text = await licenseFor(alg, fingerprint, 'android');
      expect(parseLicense(text).header.alg).toBe(alg);
      const file = join(work, `${alg}.lic`);
      writeFileSync(file, damaged(text));
      expect((await runAgent(device, ['install', file], { agent, node })).code).toBe(11);
      writeFileSync(file, text);
      expect(await runAgent(device, ['install', file], { agent, node })).toMatchObject({ code: 0 });
      expect((await runAgent(device, ['verify'], { agent, node })).code).toBe(0);
    }
  });

  it.each(FORMATS)('the release bundle checks a %s (%s) license on the real machine: past signature and chain to the platform (16); a changed byte: 11', async (_, alg) => {
    const agent = join(work, 'release-agent.js');
    bundleAgent(agent, { root: rootPath });
    for (const [, node] of nodes) {
      const device = newDevice('android-rk3568');
      // This machine is no supported board: a genuine license for it can pass every check but the platform.
      const seen = JSON.parse((await runAgent(device, ['fingerprint', '--json'], { agent, node })).stdout);
      const text = await licenseFor(alg, seen.fingerprint, 'android');
      const file = join(work, `release-${alg}.lic`);
      writeFileSync(file, text);
      expect((await runAgent(device, ['install', file], { agent, node })).code).toBe(16);
      writeFileSync(file, damaged(text));
      expect((await runAgent(device, ['install', file], { agent, node })).code).toBe(11);
    }
  });
});

describe('license formats outside Seatlock', () => {
  const x5cPem = (text: string) => `-----BEGIN CERTIFICATE-----\n${parseLicense(text).header.x5c[0].match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  const someDevice = () => JSON.parse(execFileSync(process.execPath, [join(__dirname, '../../agent/dist/seatlock-agent.dev.js'), 'fingerprint', '--json'], { env: { ...process.env, SEATLOCK_SYSROOT: newDevice('android-rk3568').sysroot, SEATLOCK_HOME: join(work, 'h') }, encoding: 'utf8' })).fingerprint;

  it.each(FORMATS)('openssl verify accepts the x5c chain of a %s (%s) license under the root, and refuses it under another', async (_, alg) => {
    const text = await licenseFor(alg, someDevice(), 'android');
    const issuing = join(work, `issuing-${alg}.pem`);
    writeFileSync(issuing, x5cPem(text));
    expect(execFileSync('openssl', ['verify', '-x509_strict', '-CAfile', rootPath, issuing], { encoding: 'utf8' })).toMatch(/: OK/);
    const otherRoot = join(work, 'other-root.pem');
    writeFileSync(otherRoot, createRootCa({ commonName: 'Formats Root' }).certificatePem);
    expect(spawnSync('openssl', ['verify', '-CAfile', otherRoot, issuing]).status).not.toBe(0);
  });

  // jwcrypto reads the key from the certificate and checks the JWS with exactly the header's algorithm.
  const JWCRYPTO = `
import sys
from jwcrypto import jwk, jws
token, pem, alg = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
key = jwk.JWK.from_pem(pem)
verifier = jws.JWS()
verifier.allowed_algs = [alg]
verifier.deserialize(token)
verifier.verify(key)
print(verifier.jose_header['alg'], key['kty'])
`;

  it.skipIf(!jwcrypto).each(FORMATS)('python-jwcrypto verifies a %s (%s) license with the x5c key, and refuses a changed byte', async (_, alg) => {
    const text = await licenseFor(alg, someDevice(), 'android');
    const jwcryptoVerify = (license: string) => spawnSync(jwcrypto!, ['-c', JWCRYPTO, parseLicense(license).jws, x5cPem(license), alg], { encoding: 'utf8' });
    const good = jwcryptoVerify(text);
    expect(good.stderr).toBe('');
    expect(good.stdout.trim()).toBe(`${alg} ${{ PS256: 'RSA', ES256: 'EC', EdDSA: 'OKP' }[alg]}`);
    expect(jwcryptoVerify(damaged(text)).status).not.toBe(0);
  });
});
