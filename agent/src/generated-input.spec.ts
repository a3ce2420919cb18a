import { createPrivateKey } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { buildFingerprint, dearmor, parseLicense, REVOCATION_LIST_ARMOR, signRevocationList, VERIFY_CODES } from '@seatlock/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { BundleWriter } from './bundle';
import { run } from './command-line';
import { readDevice } from './device';
import { agentEnvironment } from './environment';
import { damageTree, FIXTURES, LOAD_ALLOWANCE, mutate, mutation, tempDir, testPki, treeDamage } from './spec-support';

/**
 * The agent under generated input, through its command line as a device runs it: mutated license
 * files, bundles, revocation lists, clock records, config files and device trees. Whatever it is
 * given, it answers with a documented exit code and a message, never a stack trace, and what it
 * accepts is only ever the genuine license.
 */
const SEED = 20261128;
/** `npm run test:quick` (SEATLOCK_TEST_QUICK set) runs the first tenth of each property's cases; `npm test` all of them. */
const SHARE = process.env.SEATLOCK_TEST_QUICK ? 10 : 1;
const runs = (numRuns: number) => ({ seed: SEED, numRuns: Math.ceil(numRuns / SHARE) });
const within = (numRuns: number, suiteMsPerCase: number) => Math.ceil(numRuns / SHARE) * suiteMsPerCase * LOAD_ALLOWANCE;
/** 0 valid or done, 1 failed, 2 usage or config error, 10 to 17 the verdicts (USAGE in the agent's README). */
const DOCUMENTED = new Set([0, 1, 2, ...Object.values(VERIFY_CODES)]);
const FIXTURE = 'android-rk3568';

let pki: ReturnType<typeof testPki>;
let sysroot: string;
let genuine: string;
let genuineJws: string;
let bundle: Buffer;
let revocations: Buffer;
/** Agent homes holding the genuine license, and a trial license for this device, as `install` left them. */
let installedHome: string;
let trialHome: string;

interface Answer {
  code: number;
  err: string;
  home: string;
}

async function agent(args: string[], options: { home?: string; root?: string; config?: string } = {}): Promise<Answer> {
  const home = options.home ?? join(tempDir(), 'home');
  const err: string[] = [];
  const env = { SEATLOCK_SYSROOT: options.root ?? sysroot, SEATLOCK_HOME: home, SEATLOCK_TRUST_ROOT: pki.rootPath, ...(options.config ? { SEATLOCK_CONFIG: options.config } : {}) };
  const code = await run(args, env, { out: () => undefined, err: (s) => err.push(s) });
  return { code, err: err.join(''), home };
}

/** A documented exit code, a message and no stack trace. */
function expectHandled({ code, err }: Answer): void {
  expect(DOCUMENTED.has(code), `exit ${code}: ${err}`).toBe(true);
  expect(err).not.toMatch(/\n\s+at \S/);
  if (code !== 0) expect(err.length).toBeGreaterThan(0);
}

/** Every license the agent keeps carries the genuine license's signed content. */
function expectOnlyGenuineStored(home: string): void {
  const dir = join(home, 'licenses');
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.lic'))) {
    expect(parseLicense(readFileSync(join(dir, name), 'utf8')).jws).toBe(genuineJws);
  }
}

function fileWith(content: Buffer | string, name = 'input'): string {
  const file = join(tempDir(), name);
  writeFileSync(file, content);
  return file;
}

/**
 * A home in the state `home` is in, for one case to damage: a copy costs a fraction of a
 * signature check, and the install it stands for runs in the baseline test and in every
 * mutated-license case.
 */
function copyOf(home: string): string {
  const copy = join(tempDir(), 'home');
  cpSync(home, copy, { recursive: true });
  return copy;
}

async function installedInto(license: string): Promise<string> {
  const installed = await agent(['install', fileWith(license)]);
  expect(installed.code, installed.err).toBe(0);
  return installed.home;
}

beforeAll(async () => {
  pki = testPki();
  sysroot = join(tempDir(), FIXTURE);
  cpSync(join(FIXTURES, FIXTURE), sysroot, { recursive: true });
  const device = readDevice(agentEnvironment({ SEATLOCK_SYSROOT: sysroot, SEATLOCK_TRUST_ROOT: pki.rootPath }));
  genuine = await pki.sign(device.fingerprint, { jti: 'lic-genuine' });
  genuineJws = parseLicense(genuine).jws;
  const bundleFile = join(tempDir(), 'line.bundle');
  const writer = new BundleWriter(bundleFile);
  for (let i = 0; i < 20; i++) {
    const other = buildFingerprint([{ name: 'soc.serial', value: `5e41a7${String(i).padStart(10, '0')}` }, { name: 'emmc.cid', value: `9001004a${String(i).padStart(24, '0')}` }]);
    writer.add(other, await pki.sign(other, { jti: `lic-other-${i}` }));
    if (i === 10) writer.add(device.fingerprint, genuine);
  }
  writer.close();
  bundle = readFileSync(bundleFile);
  const list = { v: 1 as const, serial: 7, iat: Math.floor(Date.now() / 1000), devices: ['dev-9'], issuers: [] };
  revocations = Buffer.from(signRevocationList(list, { privateKey: createPrivateKey(pki.root.privateKeyPem), certificatePem: pki.root.certificatePem }));
  installedHome = await installedInto(genuine);
  trialHome = await installedInto(await pki.sign(device.fingerprint, { kind: 'trial', jti: 'lic-trial' }));
});

describe('the agent under generated input', () => {
  it('installs the genuine license and bundle, and verifies (the baseline every mutation departs from)', async () => {
    const installed = await agent(['install', fileWith(genuine)]);
    expect(installed.code, installed.err).toBe(0);
    expect((await agent(['verify'], { home: installed.home })).code).toBe(0);
    expect((await agent(['install', fileWith(bundle)])).code).toBe(0);
    expect((await agent(['install-revocations', fileWith(revocations)], { home: installed.home })).code).toBe(0);
  });

  test.prop([mutation], runs(3_000))('a mutated license file is refused with its code, never installed', async (change) => {
    const answer = await agent(['install', fileWith(mutate(Buffer.from(genuine), change))]);
    expectHandled(answer);
    expectOnlyGenuineStored(answer.home);
  }, within(3_000, 2.5));

  test.prop([mutation], runs(2_000))('a stored license changed on disk fails the boot check with its code', async (change) => {
    const home = copyOf(installedHome);
    const stored = join(home, 'licenses', readdirSync(join(home, 'licenses')).find((file) => file.endsWith('.lic')) as string);
    const changed = mutate(readFileSync(stored), change);
    writeFileSync(stored, changed);
    const answer = await agent(['verify'], { home });
    expectHandled(answer);
    let sameSignedContent = false;
    try {
      sameSignedContent = parseLicense(changed.toString('utf8')).jws === genuineJws;
    } catch {
      // Not a license at all any more.
    }
    if (!sameSignedContent) expect(answer.code).not.toBe(0);
  }, within(2_000, 3));

  test.prop([mutation], runs(1_500))('a mutated license bundle yields this device its genuine license or a code', async (change) => {
    const answer = await agent(['install', fileWith(mutate(bundle, change), 'line.bundle')]);
    expectHandled(answer);
    expectOnlyGenuineStored(answer.home);
  }, within(1_500, 3));

  test.prop([mutation], runs(1_000))('a mutated revocation list is refused with its code, never installed', async (change) => {
    const home = copyOf(installedHome);
    const changed = mutate(revocations, change);
    const answer = await agent(['install-revocations', fileWith(changed)], { home });
    expectHandled(answer);
    // Accepted only with the signed list intact (bytes outside the armored block are not part of it).
    if (answer.code === 0) expect(dearmor(REVOCATION_LIST_ARMOR, changed.toString('utf8'))).toBe(dearmor(REVOCATION_LIST_ARMOR, revocations.toString('utf8')));
    expectHandled(await agent(['verify'], { home }));
  }, within(1_000, 4.5));

  test.prop([fc.array(fc.tuple(fc.constantFrom(0, 1), mutation), { minLength: 1, maxLength: 2 })], runs(1_000))(
    'damaged clock records give a verdict, never a crash',
    async (changes) => {
      const home = copyOf(trialHome);
      const copies = [join(home, 'clock.json'), join(home, 'licenses', 'clock.json')].filter((file) => existsSync(file));
      expect(copies.length).toBeGreaterThan(0);
      for (const [which, change] of changes) {
        const file = copies[which % copies.length];
        writeFileSync(file, mutate(readFileSync(file), change));
      }
      const answer = await agent(['verify'], { home });
      expectHandled(answer);
      expect([0, VERIFY_CODES.CLOCK_ROLLED_BACK, VERIFY_CODES.EXPIRED]).toContain(answer.code);
    },
    within(1_000, 5),
  );

  const config = JSON.stringify({ components: [{ name: 'maker.board-id', file: '/system/build.prop', pattern: 'ro.serialno=(\\S+)' }] });
  test.prop([fc.oneof(mutation.map((change) => mutate(Buffer.from(config), change)), fc.json().map((json) => Buffer.from(json)))], runs(1_000))(
    'a damaged device maker config is a config error (2), never a crash',
    async (content) => {
      const answer = await agent(['fingerprint'], { config: fileWith(content, 'maker.json') });
      expectHandled(answer);
      expect([0, 2]).toContain(answer.code);
    },
    within(1_000, 0.7),
  );

  test.prop([fc.array(fc.tuple(fc.nat(), treeDamage), { minLength: 1, maxLength: 4 })], runs(500))(
    'a damaged device tree (missing, garbage, directories, symlink loops, large files) is read or refused, never a crash',
    async (damages) => {
      const root = join(tempDir(), FIXTURE);
      cpSync(sysroot, root, { recursive: true });
      damageTree(root, damages);
      const installed = await agent(['install', fileWith(genuine)], { root });
      expectHandled(installed);
      expectHandled(await agent(['verify'], { root, home: installed.home }));
      expectHandled(await agent(['fingerprint'], { root }));
    },
    within(500, 33),
  );

  it('answers 10 MB inputs with a code: a license, a bundle, a revocation list, a clock record and a /sys file', async () => {
    const huge = Buffer.alloc(10 * 1024 * 1024, 0x41);
    for (const args of [['install', fileWith(huge)], ['install', fileWith(Buffer.concat([bundle, huge]), 'huge.bundle')]]) {
      const answer = await agent(args);
      expectHandled(answer);
      expect(answer.code).not.toBe(0);
    }
    const { home } = await agent(['install', fileWith(genuine)]);
    const revoked = await agent(['install-revocations', fileWith(huge)], { home });
    expectHandled(revoked);
    expect(revoked.code).not.toBe(0);
    writeFileSync(join(home, 'clock.json'), huge);
    expectHandled(await agent(['verify'], { home }));
    const root = join(tempDir(), FIXTURE);
    cpSync(sysroot, root, { recursive: true });
    writeFileSync(join(root, 'sys/devices/soc0/serial_number'), huge);
    expectHandled(await agent(['verify'], { root, home }));
  });
});
