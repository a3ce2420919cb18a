import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { getProduct, parseLicense, PRODUCTS, signLicense, toLicensedFingerprint, type LicenseClaims, type PlatformId } from '@seatlock/shared';
import { describe, expect } from 'vitest';
import { damageTree, mutate, mutation, tempDir, treeDamage } from '../../agent/src/spec-support';
import { agentAt, copyHome, fileWith } from '../support/native';
import { BOARD, DAY_MS, runs, T0, useGeneratedFixture, within } from '../support/native-generated';

/**
 * The native check and the agent under generated input the device is given: license files and
 * bundles to install, a damaged device tree, and genuine licenses of every shape, none of which
 * may be refused. Each case runs through both from copies of one state at one time; their exit
 * codes and what they leave in the store must be the same. Damage to what the device keeps is in
 * generated-store.test.ts.
 */
const f = useGeneratedFixture('the inputs');

describe.skipIf(!f.native)('native check and agent under generated input', () => {
  test.prop([fc.constantFrom('EdDSA', 'ES256'), mutation], runs(300))('a mutated license file to install', async (alg, change) => {
    const license = alg === 'ES256' ? f.genuineES256 : f.genuine;
    await f.compare(T0, ['install', fileWith(mutate(Buffer.from(license), change))], f.board, `install ${alg} ${JSON.stringify(change).slice(0, 200)}`);
  }, within(300, 40));

  test.prop([mutation], runs(200))('a mutated license bundle to install', async (change) => {
    await f.compare(T0, ['install', fileWith(mutate(f.bundle, change))], f.board, `bundle ${JSON.stringify(change).slice(0, 200)}`);
  }, within(200, 50));

  test.prop([fc.array(fc.tuple(fc.nat(), treeDamage), { minLength: 1, maxLength: 3 })], runs(200))(
    'a damaged device tree',
    async (damages) => {
      const root = join(tempDir(), BOARD);
      cpSync(f.board.sysroot, root, { recursive: true });
      damageTree(root, damages);
      const config = existsSync(join(root, 'etc/seatlock/agent.json')) ? join(root, 'etc/seatlock/agent.json') : undefined;
      const label = `tree ${JSON.stringify(damages).slice(0, 200)}`;
      await f.compare(T0 + DAY_MS, ['verify'], { ...f.licensed, sysroot: root, config }, label);
      await f.compare(T0, ['install', fileWith(f.genuine)], { ...f.board, sysroot: root, config }, label);
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
    alg: fc.constantFrom('ES256', 'PS256', 'EdDSA'),
  });
  test.prop([claims], runs(200))('genuine licenses of every shape: the same verdict, and never refused', async (c) => {
    const iat = Math.floor(T0 / 1000) - c.ageDays * 86_400;
    const product = getProduct(c.product);
    const license: LicenseClaims = {
      v: 1, jti: c.jti, sub: 'dev-1', cus: 'cus-1', pool: 'pool-1', kind: c.trial ? 'trial' : 'perpetual', product: product.id,
      features: [...product.features], modality: product.modalityRequired ? 'ir' : null, platform: f.device.platform as PlatformId,
      fp: toLicensedFingerprint(f.device.fingerprint, c.threshold), declared: ['hisi.chip-id'], iat, nbf: iat,
      ...(c.trial ? { exp: iat + 60 * 86_400 } : {}),
    };
    const text = await signLicense(license, { PS256: f.rsaSigner, ES256: f.esSigner, EdDSA: f.pki.signer }[c.alg]);
    expect(parseLicense(text).header.alg).toBe(c.alg);
    const code = await f.compare(T0, ['install', fileWith(text)], f.board, `genuine ${JSON.stringify(c)}`);
    expect(code).toBe(0);
    const home = copyHome(f.board.home);
    await agentAt(T0, ['install', fileWith(text)], { ...f.board, home });
    const args = c.feature ? ['verify', '--feature', c.feature] : ['verify'];
    const verdict = await f.compare(T0 + DAY_MS, args, { ...f.board, home }, `genuine ${JSON.stringify(c)}`);
    expect(verdict).toBe(c.feature && !product.features.includes(c.feature) ? 15 : 0);
  }, within(200, 70));
});
