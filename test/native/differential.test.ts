import { createPrivateKey, generateKeyPairSync, sign as signBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { armor, certificateKid, dearmor, LICENSE_SIGNING_EKU, parseLicense, signLicense, signRevocationList, type PlatformId, type RevocationList } from '@seatlock/shared';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readDevice } from '../../agent/src/device';
import { agentEnvironment } from '../../agent/src/environment';
import { FIXTURES, testPki } from '../../agent/src/spec-support';
import { extendedKeyUsage } from '../../shared/src/spec-support/forge-extensions';
import { agentAt, both, boardState, copiedIn, copyHome, fileWith, nativeBuild, type State } from '../support/native';

/**
 * The native check against the agent, verdict for verdict: every captured board, each in the
 * situations a device meets (a genuine license, one copied to another board, edited, under a
 * foreign root, an expired or clock-wound-back trial, a restored clock record, revocations, the
 * wrong platform, feature or declared components). Both run from copies of one state at one
 * wall-clock time; their exit codes, the licenses they store and the clock records they seal
 * must be the same, byte for byte.
 */
const native = nativeBuild();
const DAY_MS = 86_400_000;
const T0 = Date.parse('2026-11-02T08:00:00Z');
const BOARDS = readdirSync(FIXTURES).filter((name) => statSync(join(FIXTURES, name)).isDirectory());

type Pki = ReturnType<typeof testPki>;
let pki: Pki;
let foreign: Pki;
/** A PS256 issuing key (license format v1) under its own root, beside the default ES256 one. */
let rsaPki: Pki;
/** An ES256 issuing key (license format v2's earlier default) under its own root. */
let esPki: Pki;

const LICENSE_LABEL = 'SEATLOCK LICENSE';

/** The `alg` a license's header names. */
function algOf(license: string): string {
  return JSON.parse(Buffer.from((dearmor(LICENSE_LABEL, license) as string).split('.')[0], 'base64url').toString()).alg;
}

/** The license with its header's `alg` set to `alg`, its payload and signature as they were. */
function withAlg(license: string, alg: string): string {
  const [header, ...rest] = (dearmor(LICENSE_LABEL, license) as string).split('.');
  const changed = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(header, 'base64url').toString()), alg })).toString('base64url');
  return armor(LICENSE_LABEL, [changed, ...rest].join('.'));
}

/** The license with one bit of its signature's first byte flipped. */
function withSignatureByteFlipped(license: string): string {
  const [header, payload, signature] = (dearmor(LICENSE_LABEL, license) as string).split('.');
  const bytes = Buffer.from(signature, 'base64url');
  bytes[0] ^= 0x01;
  return armor(LICENSE_LABEL, `${header}.${payload}.${bytes.toString('base64url')}`);
}

/** The ES256 license signed again by `by`'s key, its signature in DER form (RFC 7518 wants r||s). */
function derSigned(license: string, by: Pki): string {
  const [header, payload] = (dearmor(LICENSE_LABEL, license) as string).split('.');
  const signature = signBytes('sha256', Buffer.from(`${header}.${payload}`), { key: by.signer.privateKey, dsaEncoding: 'der' });
  return armor(LICENSE_LABEL, `${header}.${payload}.${signature.toString('base64url')}`);
}

/** The same model, another unit: every hex digit of its identity files moved on by 7. */
function anotherBoard(state: State): State {
  const copy = boardState(relative(join(state.sysroot, '..'), state.sysroot), state.trustRoot);
  const shift = (text: string) => text.replace(/[0-9a-f]/g, (d) => ((parseInt(d, 16) + 7) % 16).toString(16));
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (['cid', 'serial_number', 'serial-number', 'chip-id', 'address'].includes(name)) writeFileSync(path, shift(readFileSync(path, 'utf8')));
      else if (name === 'cmdline') writeFileSync(path, readFileSync(path, 'utf8').replace(/serialno=(\S+)/, (_, s: string) => `serialno=Z${s.slice(1)}`));
    }
  };
  walk(copy.sysroot);
  return { ...copy, home: state.home };
}

function revocationList(list: Partial<RevocationList>): string {
  const full: RevocationList = { v: 1, serial: 7, iat: Math.floor(T0 / 1000), devices: [], issuers: [], ...list };
  return signRevocationList(full, { privateKey: createPrivateKey(pki.root.privateKeyPem), certificatePem: pki.root.certificatePem });
}

beforeAll(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  pki = testPki();
  foreign = testPki();
  rsaPki = testPki('PS256');
  esPki = testPki('ES256');
});

afterAll(() => {
  vi.useRealTimers();
});

describe.skipIf(!native)('native check against the agent, on every captured board', () => {
  const cases: string[] = [];
  afterAll(() => console.log(`native differential: ${cases.length} situations on ${BOARDS.length} boards, the same exit code and state from both`));

  it.for(BOARDS)('%s', { timeout: 120_000 }, async (board) => {
    const state = boardState(board, pki.rootPath);
    const device = readDevice(agentEnvironment({ SEATLOCK_SYSROOT: state.sysroot, SEATLOCK_CONFIG: state.config }));
    const platform = device.platform as PlatformId;
    const otherPlatform: PlatformId = platform === 'android' ? 'hisilicon-dv300' : 'android';
    const sign = (options: Parameters<Pki['sign']>[1] = {}, by: Pki = pki) => by.sign(device.fingerprint, { platform, issuedAt: new Date(T0), ...options });
    const check = async (label: string, nowMs: number, args: string[], at: State, expected?: number) => {
      cases.push(`${board}: ${label}`);
      const code = await both(nowMs, args, at, `${board}: ${label}`);
      if (expected !== undefined && device.fingerprint.components && Object.keys(device.fingerprint.components).length > 0) expect(code, `${board}: ${label}`).toBe(expected);
      return code;
    };
    /** Installs with the agent, as the state a situation starts from; a license it refuses is put in place by hand. */
    const installed = async (license: string, at: State = state, nowMs = T0): Promise<State> => {
      const home = copyHome(at.home);
      const { code } = await agentAt(nowMs, ['install', fileWith(license)], { ...at, home });
      if (code !== 0) copiedIn(home, license);
      return { ...at, home };
    };

    await check('nothing installed', T0, ['verify'], state, 10);
    const genuine = await sign({ jti: 'lic-genuine' });
    expect(algOf(genuine), 'the default issuing key').toBe('EdDSA');
    await check('install of the genuine license', T0, ['install', fileWith(genuine)], state, 0);
    const licensed = await installed(genuine);
    await check('genuine', T0 + DAY_MS, ['verify'], licensed, 0);
    await check('genuine, a feature it has', T0 + DAY_MS, ['verify', '--feature', 'face.liveness'], licensed, 0);
    await check('copied to another board', T0 + DAY_MS, ['verify'], anotherBoard(licensed), 12);
    await check('install on another board', T0, ['install', fileWith(genuine)], anotherBoard(state), 12);

    const edited = copyHome(licensed.home);
    const file = join(edited, 'licenses', readdirSync(join(edited, 'licenses')).find((name) => name.endsWith('.lic')) as string);
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    writeFileSync(file, bytes);
    await check('one byte changed', T0 + DAY_MS, ['verify'], { ...licensed, home: edited }, 11);

    await check('foreign root', T0, ['install', fileWith(await sign({ jti: 'lic-foreign' }, foreign))], state, 11);
    const foreignHome = copyHome(licensed.home);
    writeFileSync(join(foreignHome, 'licenses', 'lic-foreign.lic'), await sign({ jti: 'lic-foreign' }, foreign));
    await check('foreign root beside the genuine license', T0, ['verify'], { ...licensed, home: foreignHome }, 0);

    const rsaState = boardState(board, rsaPki.rootPath);
    const rsaLicense = await sign({ jti: 'lic-ps256' }, rsaPki);
    await check('PS256 (v1) license: install', T0, ['install', fileWith(rsaLicense)], rsaState, 0);
    await check('PS256 (v1) license: boot check', T0 + DAY_MS, ['verify'], await installed(rsaLicense, rsaState), 0);
    await check('PS256 license under an ES256 header', T0, ['install', fileWith(withAlg(rsaLicense, 'ES256'))], rsaState, 11);
    await check('EdDSA license under a PS256 header', T0, ['install', fileWith(withAlg(genuine, 'PS256'))], state, 11);
    await check('EdDSA license under an ES256 header', T0, ['install', fileWith(withAlg(genuine, 'ES256'))], state, 11);
    await check('EdDSA license, its signature changed', T0, ['install', fileWith(withSignatureByteFlipped(genuine))], state, 11);
    const esState = boardState(board, esPki.rootPath);
    const esLicense = await sign({ jti: 'lic-es256' }, esPki);
    expect(algOf(esLicense)).toBe('ES256');
    await check('ES256 license: install', T0, ['install', fileWith(esLicense)], esState, 0);
    await check('ES256 license: boot check', T0 + DAY_MS, ['verify'], await installed(esLicense, esState), 0);
    await check('ES256 license under an EdDSA header', T0, ['install', fileWith(withAlg(esLicense, 'EdDSA'))], esState, 11);
    await check('ES256 license under another root', T0, ['install', fileWith(esLicense)], state, 11);
    await check('ES256 signature in DER form', T0, ['install', fileWith(derSigned(esLicense, esPki))], esState, 11);

    const trial = await sign({ kind: 'trial', jti: 'lic-trial' });
    await check('install of a trial', T0, ['install', fileWith(trial)], state, 0);
    const onTrial = await installed(trial);
    await check('trial running', T0 + 10 * DAY_MS, ['verify'], onTrial, 0);
    await check('trial expired', T0 + 61 * DAY_MS, ['verify'], onTrial, 13);
    await check('trial installed too late', T0 + 8 * DAY_MS, ['install', fileWith(trial)], state, 13);
    const wound = { ...onTrial, home: copyHome(onTrial.home) };
    await agentAt(T0 + 20 * DAY_MS, ['verify'], wound);
    await check('clock rolled back', T0 + 2 * DAY_MS, ['verify'], wound, 14);
    const restored = { ...onTrial, home: copyHome(onTrial.home) };
    const clockFile = join(restored.home, 'clock.json');
    const early = existsSync(clockFile) ? readFileSync(clockFile) : undefined;
    await agentAt(T0 + 20 * DAY_MS, ['verify'], restored);
    if (early) writeFileSync(clockFile, early);
    await check('a copy of the clock record restored', T0 + 3 * DAY_MS, ['verify'], restored, 14);
    await check('a copy of the clock record restored, clock as it is', T0 + 21 * DAY_MS, ['verify'], restored, 0);
    const erased = { ...onTrial, home: copyHome(onTrial.home) };
    rmSync(join(erased.home, 'clock.json'), { force: true });
    rmSync(join(erased.home, 'licenses', 'clock.json'), { force: true });
    await check('every copy of the clock record deleted', T0 + 3 * DAY_MS, ['verify'], erased, 14);
    await check('trial beside a perpetual license', T0 + 3 * DAY_MS, ['verify'], await installed(genuine, onTrial), 0);

    const revoked = { ...licensed, home: copyHome(licensed.home) };
    await agentAt(T0, ['install-revocations', fileWith(revocationList({ devices: ['dev-1'] }))], revoked);
    await check('revoked', T0 + DAY_MS, ['verify'], revoked, 17);
    const retired = { ...licensed, home: copyHome(licensed.home) };
    await agentAt(T0, ['install-revocations', fileWith(revocationList({ issuers: [{ kid: pki.root.kid, after: 0 }] }))], retired);
    await check('a list naming another key', T0 + DAY_MS, ['verify'], retired, 0);
    const older = { ...licensed, home: copyHome(licensed.home) };
    await agentAt(T0, ['install-revocations', fileWith(revocationList({ serial: 7 }))], older);
    await check('current revocation list', T0 + DAY_MS, ['verify'], older, 0);
    writeFileSync(join(older.home, 'revocations.txt'), revocationList({ serial: 5 }));
    await check('older revocation list', T0 + DAY_MS, ['verify'], older, 11);
    rmSync(join(older.home, 'revocations.txt'));
    await check('revocation list deleted', T0 + DAY_MS, ['verify'], older, 11);
    const placed = { ...licensed, home: copyHome(licensed.home) };
    writeFileSync(join(placed.home, 'revocations.txt'), revocationList({ serial: 9 }));
    await check('a list put in place by hand', T0 + DAY_MS, ['verify'], placed, 0);

    await check('platform mismatch', T0, ['install', fileWith(await sign({ jti: 'lic-platform', platform: otherPlatform }))], state, 16);
    const wrongPlatform = { ...state, home: copyHome(state.home) };
    copiedIn(wrongPlatform.home, await sign({ jti: 'lic-platform', platform: otherPlatform }));
    await check('platform mismatch at boot', T0, ['verify'], wrongPlatform, 16);

    const detection = await installed(await sign({ jti: 'lic-detection', product: 'face-detection' }));
    await check('feature not licensed', T0 + DAY_MS, ['verify', '--feature', 'face.liveness'], detection, 15);
    await check('feature licensed', T0 + DAY_MS, ['verify', '--feature', 'face.detection'], detection, 0);

    const declaredNames = device.declared.filter((name) => name in device.fingerprint.components);
    const declaring = await sign({ jti: 'lic-declared', declared: declaredNames.length > 0 ? declaredNames : [] });
    const declaredHome = await installed(declaring);
    await check('declared components as licensed', T0 + DAY_MS, ['verify'], declaredHome, 0);
    await check('declared components: a build that declares none', T0 + DAY_MS, ['verify'], { ...declaredHome, config: fileWith('{"components":[]}') });
    await check('declared components: a build that declares others', T0 + DAY_MS, ['verify'], {
      ...declaredHome,
      config: fileWith(JSON.stringify({ components: [{ name: 'vendor.other-id', file: '/proc/cpuinfo', weight: 4, strong: true }] })),
    });
    await check('a config that is not JSON', T0, ['verify'], { ...licensed, config: fileWith('{') }, 2);
  });
});

/**
 * Issuing certificates the root signed with another policy, as someone holding such a
 * certificate's key would use them: node-forge writes them (not the code under test), and both
 * checks must refuse each one the same way, and accept the one written as Seatlock writes its own.
 */
describe.skipIf(!native)('native check against the agent, on issuing certificates of another policy', () => {
  const YEAR_MS = 365 * DAY_MS;
  const licenseSigning = () => [{ name: 'keyUsage', digitalSignature: true }, extendedKeyUsage([LICENSE_SIGNING_EKU])];
  const notCa = { name: 'basicConstraints', cA: false };
  const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
  const cases: Record<string, { extensions: object[]; validFrom?: number; code: number }> = {
    'the same policy as an issuing certificate': { extensions: [notCa, ...licenseSigning()], code: 0 },
    'a TLS server certificate': { extensions: [notCa, { name: 'keyUsage', digitalSignature: true, keyEncipherment: true }, { name: 'extKeyUsage', serverAuth: true }], code: 11 },
    'no digitalSignature': { extensions: [notCa, { name: 'keyUsage', keyEncipherment: true }, extendedKeyUsage([LICENSE_SIGNING_EKU])], code: 11 },
    'a CA with the license usage': { extensions: [{ name: 'basicConstraints', cA: true }, ...licenseSigning()], code: 11 },
    'keyCertSign beside digitalSignature': { extensions: [notCa, { name: 'keyUsage', digitalSignature: true, keyCertSign: true }, extendedKeyUsage([LICENSE_SIGNING_EKU])], code: 11 },
    'no extended key usage': { extensions: [notCa, { name: 'keyUsage', digitalSignature: true }], code: 11 },
    'the license usage and another': { extensions: [notCa, { name: 'keyUsage', digitalSignature: true }, extendedKeyUsage([LICENSE_SIGNING_EKU, SERVER_AUTH])], code: 11 },
    'two extended key usage extensions': { extensions: [notCa, { name: 'keyUsage', digitalSignature: true }, extendedKeyUsage([SERVER_AUTH]), extendedKeyUsage([LICENSE_SIGNING_EKU])], code: 11 },
    'not yet valid when the license was issued': { extensions: [notCa, ...licenseSigning()], validFrom: T0 + DAY_MS, code: 11 },
  };

  it.for(Object.keys(cases))('%s', async (label) => {
    const { extensions, validFrom = T0 - YEAR_MS, code } = cases[label];
    const [board] = BOARDS;
    const state = boardState(board, pki.rootPath);
    const device = readDevice(agentEnvironment({ SEATLOCK_SYSROOT: state.sysroot, SEATLOCK_CONFIG: state.config }));
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
    cert.serialNumber = '0badc0de';
    cert.validity.notBefore = new Date(validFrom);
    cert.validity.notAfter = new Date(validFrom + 2 * YEAR_MS);
    cert.setSubject([{ name: 'commonName', value: 'licenses.example.com' }]);
    cert.setIssuer(forge.pki.certificateFromPem(pki.root.certificatePem).subject.attributes);
    cert.setExtensions(extensions);
    cert.sign(forge.pki.privateKeyFromPem(pki.root.privateKeyPem), forge.md.sha256.create());
    const certificatePem = forge.pki.certificateToPem(cert);
    const license = await rsaPki.sign(device.fingerprint, { platform: device.platform as PlatformId, issuedAt: new Date(T0), jti: 'lic-forged' });
    const forged = await signLicense(parseLicense(license).claims, { privateKey, certificatePem, kid: certificateKid(certificatePem) });
    expect(await both(T0, ['install', fileWith(forged)], { ...state, home: copyHome(state.home) }, label)).toBe(code);
  });
});
