import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFingerprint, createIssuingCertificate, parseLicense, signLicense, signRevocationList } from '@seatlock/shared';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { BundleWriter } from '../../agent/src/bundle';
import { readDevice } from '../../agent/src/device';
import { agentEnvironment } from '../../agent/src/environment';
import { LOAD_ALLOWANCE, tempDir, testPki } from '../../agent/src/spec-support';
import { agentAt, both, boardState, copyHome, fileWith, NATIVE_SLOWDOWN, nativeBuild, type State } from './native';

/**
 * What the native check's generated-input files share: one board at one time, its genuine and
 * trial licenses installed by the agent, a signed revocation list and a line bundle, and the
 * count of cases each file ran through both programs. The cases are in two files so that two
 * workers share them: under QEMU they are most of the native check's CI time.
 */
export const SEED = 20261203;
/** `npm run test:quick` (SEATLOCK_TEST_QUICK set) runs a tenth of each property's cases. */
const SHARE = process.env.SEATLOCK_TEST_QUICK ? 10 : 1;
export const runs = (numRuns: number) => ({ seed: SEED, numRuns: Math.ceil(numRuns / SHARE) });
/**
 * A property's timeout from its work: its runs times what one case took in a whole-suite run on an
 * idle two-core machine (2026-12-03: the agent in-process and the native command started once per
 * comparison, copies of the store for each), with {@link LOAD_ALLOWANCE}, and the sanitizers' or
 * the emulator's slowdown.
 */
export const within = (numRuns: number, suiteMsPerCase: number) => Math.ceil(numRuns / SHARE) * suiteMsPerCase * LOAD_ALLOWANCE * NATIVE_SLOWDOWN;
export const T0 = Date.parse('2026-11-02T08:00:00Z');
export const DAY_MS = 86_400_000;
export const BOARD = 'hi3516dv300-nand';

export interface GeneratedFixture {
  /** False where there is no C compiler: the file's cases are skipped. */
  native: boolean;
  pki: ReturnType<typeof testPki>;
  /** A PS256 issuing key (license format v1) under the same root as the default EdDSA one. */
  rsaSigner: ReturnType<typeof testPki>['signer'];
  /** An ES256 (P-256) issuing key under the same root. */
  esSigner: ReturnType<typeof testPki>['signer'];
  device: ReturnType<typeof readDevice>;
  /** The board with an empty store. */
  board: State;
  genuine: string;
  /** The genuine license signed by the ES256 key instead. */
  genuineES256: string;
  genuineJws: string;
  licensed: State;
  onTrial: State;
  revocations: Buffer;
  bundle: Buffer;
  /** Runs one command through the agent and the native check, counted; answers the agent's code once both agree. */
  compare(nowMs: number, args: string[], state: State, label: string): Promise<number>;
}

/**
 * Builds the native check and, before the file's cases, the fixture (filled in place); after
 * them, prints how many cases ran.
 */
export function useGeneratedFixture(name: string): GeneratedFixture {
  const native = nativeBuild() !== undefined;
  let count = 0;
  const fixture = {
    native,
    compare: (nowMs: number, args: string[], state: State, label: string) => {
      count++;
      return both(nowMs, args, state, label);
    },
  } as GeneratedFixture;

  beforeAll(async () => {
    if (!native) return;
    vi.useFakeTimers({ toFake: ['Date'] });
    const pki = testPki();
    const issuing = (alg: 'PS256' | 'ES256') => {
      const issuer = createIssuingCertificate(pki.root, { alg, notBefore: new Date('1999-01-01T00:00:00Z'), years: 60 });
      return { privateKey: createPrivateKey(issuer.privateKeyPem), certificatePem: issuer.certificatePem, kid: issuer.kid };
    };
    const esSigner = issuing('ES256');
    const board = boardState(BOARD, pki.rootPath);
    const device = readDevice(agentEnvironment({ SEATLOCK_SYSROOT: board.sysroot, SEATLOCK_CONFIG: board.config }));
    const genuine = await pki.sign(device.fingerprint, { platform: 'hisilicon-dv300', issuedAt: new Date(T0), jti: 'lic-genuine', declared: ['hisi.chip-id'] });
    const install = async (license: string): Promise<State> => {
      const home = copyHome(board.home);
      expect((await agentAt(T0, ['install', fileWith(license)], { ...board, home })).code).toBe(0);
      return { ...board, home };
    };
    const list = { v: 1 as const, serial: 7, iat: Math.floor(T0 / 1000), devices: ['dev-9'], issuers: [] };
    const bundleFile = join(tempDir(), 'line.bundle');
    const writer = new BundleWriter(bundleFile);
    for (let i = 0; i < 8; i++) {
      const other = buildFingerprint([{ name: 'soc.serial', value: `5e41a7${String(i).padStart(10, '0')}` }, { name: 'emmc.cid', value: `9001004a${String(i).padStart(24, '0')}` }]);
      writer.add(other, await pki.sign(other, { platform: 'hisilicon-dv300', jti: `lic-other-${i}`, issuedAt: new Date(T0) }));
      if (i === 4) writer.add(device.fingerprint, genuine);
    }
    writer.close();
    Object.assign(fixture, {
      pki,
      rsaSigner: issuing('PS256'),
      esSigner,
      device,
      board,
      genuine,
      genuineES256: await signLicense(parseLicense(genuine).claims, esSigner),
      genuineJws: parseLicense(genuine).jws,
      licensed: await install(genuine),
      onTrial: await install(await pki.sign(device.fingerprint, { platform: 'hisilicon-dv300', issuedAt: new Date(T0), jti: 'lic-trial', kind: 'trial' })),
      revocations: Buffer.from(signRevocationList(list, { privateKey: createPrivateKey(pki.root.privateKeyPem), certificatePem: pki.root.certificatePem })),
      bundle: readFileSync(bundleFile),
    });
  });

  afterAll(() => {
    if (!native) return;
    vi.useRealTimers();
    console.log(`native generated, ${name}: ${count} cases through the agent and the native check, the same exit code and store from both`);
  });
  return fixture;
}
