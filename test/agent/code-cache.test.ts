import { createPrivateKey } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIssuingCertificate, createRootCa, getProduct, signLicense, toLicensedFingerprint, type LicenseClaims } from '@seatlock/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleAgent, newDevice, runAgent, type TestDevice } from '../support/agent';
import { requiredInCi } from '../support/requirement';

// The agent's bundle runs its command line with V8's compiled code kept in the agent's home
// (agent/src/launch.ts). What the owner may do to it from outside: damage the cache, edit the
// bundle, open the folder to others, or boot with no home at all. None may change a verdict or
// run code other than the bundle's own.
const node18 = requiredInCi(process.env.SEATLOCK_TEST_NODE18, 'Node 18 for the device bundle floor test', 'set SEATLOCK_TEST_NODE18=$(.ci/fetch-node 18)');

let work: string;
let agent: string;
let licenseFile: string;

const cacheDir = (device: TestDevice) => join(device.home, 'code-cache');
const cacheFiles = (device: TestDevice) => (existsSync(cacheDir(device)) ? readdirSync(cacheDir(device)).filter((name) => name.endsWith('.v8')) : []);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'seatlock-code-cache-'));
  const root = createRootCa({ commonName: 'Code Cache Root' });
  writeFileSync(join(work, 'root.pem'), root.certificatePem);
  agent = join(work, 'seatlock-agent.js');
  bundleAgent(agent, { root: join(work, 'root.pem'), dev: true });

  const { fingerprint } = JSON.parse((await runAgent(newDevice('android-rk3568'), ['fingerprint', '--json'], { agent })).stdout);
  const issuer = createIssuingCertificate(root);
  const product = getProduct('face-detection');
  const iat = Math.floor(Date.now() / 1000);
  const claims: LicenseClaims = {
    v: 1, jti: 'code-cache-license', sub: 'code-cache-device', cus: 'code-cache-customer', pool: 'code-cache-pool', kind: 'perpetual',
    product: product.id, features: [...product.features], modality: null, platform: 'android', fp: toLicensedFingerprint(fingerprint), iat, nbf: iat,
  };
  licenseFile = join(work, 'device.lic');
  writeFileSync(licenseFile, await signLicense(claims, { privateKey: createPrivateKey(issuer.privateKeyPem), certificatePem: issuer.certificatePem, kid: issuer.kid }));
});

async function licensedDevice(node?: string): Promise<TestDevice> {
  const device = newDevice('android-rk3568');
  expect((await runAgent(device, ['install', licenseFile], { agent, node })).code).toBe(0);
  return device;
}

async function verify(device: TestDevice, options: { node?: string; bundle?: string } = {}): Promise<string> {
  const run = await runAgent(device, ['verify'], { agent: options.bundle ?? agent, node: options.node });
  expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
  return run.stdout;
}

describe('the agent’s code cache', () => {
  const nodes: [label: string, node: string][] = [['this Node', process.execPath], ...(node18 ? [['Node 18', node18] as [string, string]] : [])];

  it.each(nodes)('is written by the first boot check into the home, readable by its user only, and used as it is by the next (%s)', async (_, node) => {
    const device = await licensedDevice(node);
    const first = await verify(device, { node });
    expect(first).toMatch(/^valid: face-detection \(perpetual\)/);
    expect(statSync(cacheDir(device)).mode & 0o777).toBe(0o700);
    // The install before it found no home to keep a cache in; each command has its own.
    const [verifyCache] = cacheFiles(device);
    expect(cacheFiles(device)).toEqual([expect.stringMatching(/^seatlock-agent-verify-[0-9a-f]{20}\.v8$/)]);
    const file = join(cacheDir(device), verifyCache);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = statSync(file).ino;

    // V8 took it: a run replaces a cache (a new file renamed over it) only when it found none, a
    // damaged one or one V8 refused.
    expect(await verify(device, { node })).toBe(first);
    expect(statSync(file).ino).toBe(written);
  });

  it('gives the same verdict with a damaged cache, and replaces it', async () => {
    const device = await licensedDevice();
    const first = await verify(device);
    const [file] = cacheFiles(device).filter((name) => name.startsWith('seatlock-agent-verify-')).map((name) => join(cacheDir(device), name));
    const damaged = readFileSync(file);
    for (let at = 64; at < damaged.length; at += 997) damaged[at] ^= 0xff;
    writeFileSync(file, damaged);

    expect(await verify(device)).toBe(first);
    expect(readFileSync(file).equals(damaged)).toBe(false);
  });

  it('runs an edited bundle’s own code, even where the edit keeps its length', async () => {
    // V8 itself checks only the source's length against a cache: the cache's name carries a digest of the code.
    const device = await licensedDevice();
    await verify(device);
    const [before] = cacheFiles(device);
    const edited = join(work, 'edited-agent.js');
    const text = readFileSync(agent, 'utf8');
    expect(text).toContain('`valid: ');
    writeFileSync(edited, text.replace('`valid: ', '`VALID: '));
    expect(await verify(device, { bundle: edited })).toMatch(/^VALID: face-detection/);
    // Its cache replaced the one of the code before: an updated agent leaves no stale bytecode on the board.
    expect(cacheFiles(device)).toEqual([expect.stringMatching(/^seatlock-agent-verify-/)]);
    expect(cacheFiles(device)).not.toContain(before);
  });

  it('is neither read nor written in a folder other users may write', async () => {
    const device = await licensedDevice();
    const first = await verify(device);
    chmodSync(cacheDir(device), 0o777);
    // Another user's bytecode, put where the agent would look: not run.
    for (const name of cacheFiles(device)) writeFileSync(join(cacheDir(device), name), 'not bytecode');
    expect(await verify(device)).toBe(first);
    for (const name of cacheFiles(device)) expect(readFileSync(join(cacheDir(device), name), 'utf8')).toBe('not bytecode');
  });

  // Only root may give a folder to another user.
  it.skipIf(process.getuid?.() !== 0)('is neither read nor written in a folder another user owns', async () => {
    const device = await licensedDevice();
    const first = await verify(device);
    for (const name of cacheFiles(device)) writeFileSync(join(cacheDir(device), name), 'not bytecode');
    chownSync(cacheDir(device), 65534, 65534);
    expect(await verify(device)).toBe(first);
    for (const name of cacheFiles(device)) expect(readFileSync(join(cacheDir(device), name), 'utf8')).toBe('not bytecode');
  });

  it('creates no home on a board with none: the boot check says there is no license (exit 10)', async () => {
    const device = newDevice('android-rk3568');
    const run = await runAgent(device, ['verify'], { agent });
    expect(run.code).toBe(10);
    expect(existsSync(device.home)).toBe(false);
  });
});
