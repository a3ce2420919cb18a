import { createPrivateKey } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fc } from '@fast-check/vitest';
import {
  createIssuingCertificate,
  createRootCa,
  getProduct,
  signLicense,
  toLicensedFingerprint,
  type Fingerprint,
  type LicenseAlg,
  type LicenseClaims,
  type LicenseKind,
  type PlatformId,
  type ProductId,
} from '@seatlock/shared';
import { agentEnvironment, type AgentEnvironment } from '../environment';

export const FIXTURES = resolve(__dirname, '../../../test/fixtures/devices');
const DAY_S = 86_400;

/** A fresh temporary folder. */
export function tempDir(prefix = 'seatlock-agent-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A copy of a device fixture that a test may change. */
export function deviceCopy(fixture: string): string {
  const dir = join(tempDir(), fixture);
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
}

/**
 * A root, an issuing key under it (of the default license algorithm unless `alg` names another),
 * and the root written out as SEATLOCK_TRUST_ROOT would name it.
 */
export function testPki(alg?: LicenseAlg) {
  const root = createRootCa({ commonName: 'Test Root', notBefore: new Date('1999-01-01T00:00:00Z') });
  const issuer = createIssuingCertificate(root, { alg, notBefore: new Date('1999-01-01T00:00:00Z'), years: 60 });
  const rootPath = join(tempDir(), 'root.pem');
  writeFileSync(rootPath, root.certificatePem);
  const signer = { privateKey: createPrivateKey(issuer.privateKeyPem), certificatePem: issuer.certificatePem, kid: issuer.kid };
  return {
    rootPath,
    signer,
    root,
    /** Signs a license for a fingerprint; a trial runs 60 days from `issuedAt`. */
    sign(
      fingerprint: Fingerprint,
      options: { kind?: LicenseKind; product?: ProductId; platform?: PlatformId; issuedAt?: Date; jti?: string; sub?: string; declared?: string[] } = {},
    ): Promise<string> {
      const kind = options.kind ?? 'perpetual';
      const product = getProduct(options.product ?? 'face-recognition');
      const iat = Math.floor((options.issuedAt ?? new Date()).getTime() / 1000);
      const claims: LicenseClaims = {
        v: 1,
        jti: options.jti ?? `lic-${kind}-${iat}`,
        sub: options.sub ?? 'dev-1',
        cus: 'cus-1',
        pool: 'pool-1',
        kind,
        product: product.id,
        features: [...product.features],
        modality: product.modalityRequired ? 'ir' : null,
        platform: options.platform ?? 'android',
        fp: toLicensedFingerprint(fingerprint),
        iat,
        nbf: iat,
        ...(kind === 'trial' ? { exp: iat + 60 * DAY_S } : {}),
        ...(options.declared ? { declared: options.declared } : {}),
      };
      return signLicense(claims, signer);
    },
  };
}

/** The agent's environment for a device copy, a fresh home and a trust root. */
export function deviceEnv(sysroot: string, rootPath?: string, config?: string): AgentEnvironment {
  return agentEnvironment({ SEATLOCK_SYSROOT: sysroot, SEATLOCK_HOME: join(tempDir(), 'home'), SEATLOCK_TRUST_ROOT: rootPath, SEATLOCK_CONFIG: config });
}

/** One change to a file's bytes: a flipped byte, a cut, inserted bytes, a repeated slice, or all garbage. */
/**
 * How much slower than in a whole-suite run on an idle two-core machine a generated case may be
 * before its property times out. The suite's own files running side by side are in that figure; a
 * core kept busy by another program halves what is left, and six suites at once (load average 9)
 * made cases three to four times slower (2026-12-03). A property's timeout is its runs times a
 * case's in-suite cost times this: it stops a hang, it does not time the code.
 */
export const LOAD_ALLOWANCE = 10;

export const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ maxLength: 4_096 }) }),
);
export type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

export function mutate(input: Buffer, change: Mutation): Buffer {
  const bytes = Buffer.from(input);
  if (change.kind === 'garbage') return Buffer.from(change.bytes);
  const at = bytes.length === 0 ? 0 : change.at % bytes.length;
  switch (change.kind) {
    case 'flip':
      bytes[at] ^= change.mask;
      return bytes;
    case 'cut':
      return bytes.subarray(0, at);
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), change.bytes, bytes.subarray(at)]);
    case 'repeat':
      return Buffer.concat([bytes.subarray(0, at + change.length), bytes.subarray(at)]);
  }
}

/** Every file under a folder, recursively. */
export function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Damage to one file of a device tree: deleted, garbage or short text, a directory, a symlink loop, or 1 MiB. */
export const treeDamage = fc.oneof(
  fc.constant({ kind: 'delete' as const }),
  fc.record({ kind: fc.constant('garbage' as const), bytes: fc.uint8Array({ maxLength: 2_048 }) }),
  fc.record({ kind: fc.constant('text' as const), text: fc.string({ maxLength: 40 }) }),
  fc.constant({ kind: 'directory' as const }),
  fc.constant({ kind: 'loop' as const }),
  fc.constant({ kind: 'large' as const }),
);
export type TreeDamage = typeof treeDamage extends fc.Arbitrary<infer D> ? D : never;

/** Applies each damage to the file its number picks among the tree's files. */
export function damageTree(root: string, damages: readonly (readonly [number, TreeDamage])[]): void {
  const files = walk(root).map((file) => relative(root, file));
  for (const [pick, what] of damages) {
    const file = join(root, files[pick % files.length]);
    rmSync(file, { recursive: true, force: true });
    if (what.kind === 'garbage') writeFileSync(file, what.bytes);
    if (what.kind === 'text') writeFileSync(file, what.text);
    if (what.kind === 'directory') mkdirSync(file, { recursive: true });
    if (what.kind === 'loop') symlinkSync(file, file);
    if (what.kind === 'large') writeFileSync(file, Buffer.alloc(1024 * 1024, 0x41));
  }
}
