import { createPrivateKey } from 'node:crypto';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { buildFingerprint, createIssuingCertificate, getProduct, parseLicense, PRODUCTS, signLicense, signRevocationList, toLicensedFingerprint, type LicenseClaims, type PlatformId } from '@seatlock/shared';
import { afterAll, beforeAll, describe, expect, vi } from 'vitest';
import { BundleWriter } from '../../agent/src/bundle';
import { readDevice } from '../../agent/src/device';
import { agentEnvironment } from '../../agent/src/environment';
import { damageTree, LOAD_ALLOWANCE, mutate, mutation, tempDir, testPki, treeDamage } from '../../agent/src/spec-support';
import { agentAt, both, boardState, copyHome, fileWith, NATIVE_SLOWDOWN, nativeBuild, type State } from '../support/native';

/**
 * The native check and the agent under the same generated input: mutated stored licenses, clock
 * records, revocation lists, license files and bundles to install, damaged device trees, and
 * genuine licenses of every shape. Each case runs through both from copies of one state at one
 * time; their exit codes and what they leave in the store must be the same, and no genuine
 * license may be refused.
 */
const native = nativeBuild();
const SEED = 20261203;
/** `npm run test:quick` (SEATLOCK_TEST_QUICK set) runs a tenth of each property's cases. */
const SHARE = process.env.SEATLOCK_TEST_QUICK ? 10 : 1;
const runs = (numRuns: number) => ({ seed: SEED, numRuns: Math.ceil(numRuns / SHARE) });
/**
 * A property's timeout from its work: its runs times what one case took in a whole-suite run on an
 * idle two-core machine (2026-12-03: the agent in-process and the native command started once per
 * comparison, copies of the store for each), with {@link LOAD_ALLOWANCE}, and the sanitizers' or
 * the emulator's slowdown.
 */
const within = (numRuns: number, suiteMsPerCase: number) => Math.ceil(numRuns / SHARE) * suiteMsPerCase * LOAD_ALLOWANCE * NATIVE_SLOWDOWN;
const T0 = Date.parse('2026-11-02T08:00:00Z');
const DAY_MS = 86_400_000;
const BOARD = 'hi3516dv300-nand';
const cases = { count: 0 };

let pki: ReturnType<typeof testPki>;
/** A PS256 issuing key (license format v1) under the same root as the default ES256 one. */
let rsaSigner: ReturnType<typeof testPki>['signer'];
let device: ReturnType<typeof readDevice>;
let board: State;
let genuine: string;
let genuineJws: string;
let licensed: State;
let onTrial: State;
let revocations: Buffer;
let bundle: Buffer;

async function compare(nowMs: number, args: string[], state: State, label: string): Promise<number> {
  cases.count++;
  return both(nowMs, args, state, label);
}

beforeAll(async () => {
  if (!native) return;
  vi.useFakeTimers({ toFake: ['Date'] });
  pki = testPki();
  const rsaIssuer = createIssuingCertificate(pki.root, { alg: 'PS256', notBefore: new Date('1999-01-01T00:00:00Z'), years: 60 });
  rsaSigner = { privateKey: createPrivateKey(rsaIssuer.privateKeyPem), certificatePem: rsaIssuer.certificatePem, kid: rsaIssuer.kid };
  board = boardState(BOARD, pki.rootPath);
  device = readDevice(agentEnvironment({ SEATLOCK_SYSROOT: board.sysroot, SEATLOCK_CONFIG: board.config }));
  genuine = await pki.sign(device.fingerprint, { platform: 'hisilicon-dv300', issuedAt: new Date(T0), jti: 'lic-genuine', declared: ['hisi.chip-id'] });
  genuineJws = parseLicense(genuine).jws;
  const install = async (license: string): Promise<State> => {
    const home = copyHome(board.home);
    expect((await agentAt(T0, ['install', fileWith(license)], { ...board, home })).code).toBe(0);
    return { ...board, home };
  };
  licensed = await install(genuine);
  onTrial = await install(await pki.sign(device.fingerprint, { platform: 'hisilicon-dv300', issuedAt: new Date(T0), jti: 'lic-trial', kind: 'trial' }));
  const list = { v: 1 as const, serial: 7, iat: Math.floor(T0 / 1000), devices: ['dev-9'], issuers: [] };
  revocations = Buffer.from(signRevocationList(list, { privateKey: createPrivateKey(pki.root.privateKeyPem), certificatePem: pki.root.certificatePem }));
  const bundleFile = join(tempDir(), 'line.bundle');
  const writer = new BundleWriter(bundleFile);
  for (let i = 0; i < 8; i++) {
    const other = buildFingerprint([{ name: 'soc.serial', value: `5e41a7${String(i).padStart(10, '0')}` }, { name: 'emmc.cid', value: `9001004a${String(i).padStart(24, '0')}` }]);
    writer.add(other, await pki.sign(other, { platform: 'hisilicon-dv300', jti: `lic-other-${i}`, issuedAt: new Date(T0) }));
    if (i === 4) writer.add(device.fingerprint, genuine);
  }
  writer.close();
  bundle = readFileSync(bundleFile);
});

afterAll(() => {
  vi.useRealTimers();
  if (native) console.log(`native generated: ${cases.count} cases through the agent and the native check, the same exit code and store from both`);
});

describe.skipIf(!native)('native check and agent under generated input', () => {
  test.prop([mutation], runs(600))('a stored license changed on disk', async (change) => {
    const home = copyHome(licensed.home);
    const file = join(home, 'licenses', 'lic-genuine.lic');
    const changed = mutate(readFileSync(file), change);
    writeFileSync(file, changed);
    const code = await compare(T0 + DAY_MS, ['verify'], { ...licensed, home }, `stored license ${JSON.stringify(change).slice(0, 200)}`);
    let same = false;
    try {
      same = parseLicense(changed.toString('utf8')).jws === genuineJws;
    } catch {
      // not a license any more
    }
    if (same) expect(code).toBe(0);
  }, within(600, 45));

  test.prop([fc.array(fc.tuple(fc.constantFrom(0, 1), mutation), { minLength: 1, maxLength: 2 }), fc.integer({ min: -30, max: 70 })], runs(500))(
    'damaged clock records, at any time of a trial',
    async (changes, day) => {
      const home = copyHome(onTrial.home);
      const copies = [join(home, 'clock.json'), join(home, 'licenses', 'clock.json')];
      for (const [which, change] of changes) writeFileSync(copies[which], mutate(readFileSync(copies[which]), change));
      await compare(T0 + day * DAY_MS, ['verify'], { ...onTrial, home }, `clock ${JSON.stringify(changes).slice(0, 200)} day ${day}`);
    },
    within(500, 60),
  );

  test.prop([mutation], runs(400))('a revocation list changed in place', async (change) => {
    const home = copyHome(licensed.home);
    writeFileSync(join(home, 'revocations.txt'), mutate(revocations, change));
    await compare(T0 + DAY_MS, ['verify'], { ...licensed, home }, `revocation list ${JSON.stringify(change).slice(0, 200)}`);
  }, within(400, 50));

  test.prop([mutation], runs(300))('a mutated license file to install', async (change) => {
    await compare(T0, ['install', fileWith(mutate(Buffer.from(genuine), change))], board, `install ${JSON.stringify(change).slice(0, 200)}`);
  }, within(300, 40));

  test.prop([mutation], runs(200))('a mutated license bundle to install', async (change) => {
    await compare(T0, ['install', fileWith(mutate(bundle, change))], board, `bundle ${JSON.stringify(change).slice(0, 200)}`);
  }, within(200, 50));

  test.prop([fc.array(fc.tuple(fc.nat(), treeDamage), { minLength: 1, maxLength: 3 })], runs(200))(
    'a damaged device tree',
    async (damages) => {
      const root = join(tempDir(), BOARD);
      cpSync(board.sysroot, root, { recursive: true });
      damageTree(root, damages);
      const config = existsSync(join(root, 'etc/seatlock/agent.json')) ? join(root, 'etc/seatlock/agent.json') : undefined;
      const label = `tree ${JSON.stringify(damages).slice(0, 200)}`;
      await compare(T0 + DAY_MS, ['verify'], { ...licensed, sysroot: root, config }, label);
      await compare(T0, ['install', fileWith(genuine)], { ...board, sysroot: root, config }, label);
    },
    within(200, 160),
  );

  const claims = fc.record({
    jti: fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789_-'), minLength: 1, maxLength: 40 }),
    trial: fc.boolean(),
    product: fc.constantFrom(...PRODUCTS.map((p) => p.id)),
    threshold: fc.double({ min: 0.05, max: 1, noNaN: true }),
    ageDays: fc.integer({ min: 0, max: 6 }),
    feature: fc.option(fc.constantFrom('face.detection', 'face.liveness', 'face.search-1toN'), { nil: undefined }),
    alg: fc.constantFrom('ES256', 'PS256'),
  });
  test.prop([claims], runs(200))('genuine licenses of every shape: the same verdict, and never refused', async (c) => {
    const iat = Math.floor(T0 / 1000) - c.ageDays * 86_400;
    const product = getProduct(c.product);
    const license: LicenseClaims = {
      v: 1, jti: c.jti, sub: 'dev-1', cus: 'cus-1', pool: 'pool-1', kind: c.trial ? 'trial' : 'perpetual', product: product.id,
      features: [...product.features], modality: product.modalityRequired ? 'ir' : null, platform: device.platform as PlatformId,
      fp: toLicensedFingerprint(device.fingerprint, c.threshold), declared: ['hisi.chip-id'], iat, nbf: iat,
      ...(c.trial ? { exp: iat + 60 * 86_400 } : {}),
    };
    const text = await signLicense(license, c.alg === 'PS256' ? rsaSigner : pki.signer);
    expect(parseLicense(text).header.alg).toBe(c.alg);
    const code = await compare(T0, ['install', fileWith(text)], board, `genuine ${JSON.stringify(c)}`);
    expect(code).toBe(0);
    const home = copyHome(board.home);
    await agentAt(T0, ['install', fileWith(text)], { ...board, home });
    const args = c.feature ? ['verify', '--feature', c.feature] : ['verify'];
    const verdict = await compare(T0 + DAY_MS, args, { ...board, home }, `genuine ${JSON.stringify(c)}`);
    expect(verdict).toBe(c.feature && !product.features.includes(c.feature) ? 15 : 0);
  }, within(200, 70));
});
