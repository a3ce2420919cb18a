// Writes the fuzzer's seed corpus and the root it verifies against: a root and two issuing keys
// made now, PS256, ES256 and EdDSA (the private keys are not kept), a license and a trial of each, a
// revocation list, a clock record sealed with the fuzz target's all-zero key, a factory bundle's
// index, a maker's config and the certificates, each behind the byte that picks its parser (see parse.c). The roots
// of earlier runs stay in root.c beside the new one, so the committed inputs that chain to them
// keep reaching signature verification. Run from the repository: node native/fuzz/seed-corpus.mjs
import { createHmac, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import shared from '../../shared/dist/index.js';

const { createIssuingCertificate, createRootCa, getProduct, signLicense, signRevocationList, toLicensedFingerprint } = shared;
const here = dirname(fileURLToPath(import.meta.url));
const corpus = join(here, 'corpus');
mkdirSync(corpus, { recursive: true });
const root = createRootCa({ notBefore: new Date('2020-01-01T00:00:00Z') });
const issuing = (alg) => {
  const issuer = createIssuingCertificate(root, { alg, notBefore: new Date('2020-01-01T00:00:00Z'), years: 40 });
  return { privateKey: createPrivateKey(issuer.privateKeyPem), certificatePem: issuer.certificatePem, kid: issuer.kid };
};
const signer = issuing('PS256');
const ecSigner = issuing('ES256');
const edSigner = issuing('EdDSA');
const fingerprint = { v: 1, components: { 'emmc.cid': { h: 'AAAAAAAAAAAAAAAAAAAAAA', w: 4, s: true }, 'net.mac.eth0': { h: 'BBBBBBBBBBBBBBBBBBBBBB', w: 1, s: false } } };
const product = getProduct('face-recognition');
const iat = Date.parse('2026-11-02T08:00:00Z') / 1000;
const claims = (kind, jti) => ({
  v: 1, jti, sub: 'dev-1', cus: 'cus-1', pool: 'pool-1', kind, product: product.id, features: [...product.features], modality: 'ir',
  platform: 'android', fp: toLicensedFingerprint(fingerprint), iat, nbf: iat, ...(kind === 'trial' ? { exp: iat + 60 * 86400 } : {}),
});
const seed = (name, selector, text) => writeFileSync(join(corpus, name), Buffer.concat([Buffer.from([selector]), Buffer.from(text)]));
seed('license', 0, await signLicense(claims('perpetual', 'lic-1'), signer));
seed('trial', 0, await signLicense(claims('trial', 'lic-2'), signer));
seed('license-es256', 0, await signLicense(claims('perpetual', 'lic-4'), ecSigner));
seed('trial-es256', 0, await signLicense(claims('trial', 'lic-5'), ecSigner));
seed('license-eddsa', 0, await signLicense(claims('perpetual', 'lic-6'), edSigner));
seed('trial-eddsa', 0, await signLicense(claims('trial', 'lic-7'), edSigner));
const der = (pem) => Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
seed('certificate-ps256', 5, der(signer.certificatePem));
seed('certificate-es256', 5, der(ecSigner.certificatePem));
seed('certificate-eddsa', 5, der(edSigner.certificatePem));
seed('certificate-root', 5, der(root.certificatePem));
seed('root-pem', 5, root.certificatePem);
seed('revocations', 1, signRevocationList({ v: 1, serial: 7, iat, devices: ['dev-9'], issuers: [{ kid: signer.kid, after: iat }, { kid: ecSigner.kid, after: iat }, { kid: edSigner.kid, after: iat }] }, { privateKey: createPrivateKey(root.privateKeyPem), certificatePem: root.certificatePem }));
const body = JSON.stringify({ seq: 3, state: { v: 1, highWaterMs: iat * 1000, uptimeMs: 5000, bootId: 'boot-a', bootUptimeMs: 5000 }, installs: { 'lic-2': 0, 12: 4 }, revocationSerial: 7 });
seed('clock', 2, JSON.stringify({ body, mac: createHmac('sha256', Buffer.alloc(32)).update(body).digest('base64url') }) + '\n');
const license = await signLicense(claims('perpetual', 'lic-3'), signer);
const head = 'SEATLOCK LICENSE BUNDLE 1\n';
const indexAt = Buffer.byteLength(head + license);
seed('bundle', 3, `${head}${license}index\n${head.length} ${Buffer.byteLength(license)} AAAAAAAAAAAAAAAAAAAAAA\nindex-at ${String(indexAt).padStart(16, '0')}\n`);
seed('config', 4, JSON.stringify({ components: [{ name: 'hisi.chip-id', file: '/var/run/hisi/chip-id', weight: 4, strong: true }], stateDirs: ['/persist/seatlock'] }));
const rootFile = join(here, 'root.c');
const earlier = existsSync(rootFile) ? JSON.parse(/FUZZ_ROOT\[\] = (".*");/.exec(readFileSync(rootFile, 'utf8'))[1]) : '';
const pem = earlier + root.certificatePem;
writeFileSync(rootFile, `/* The roots the fuzz corpus's licenses chain to, newest last (written by seed-corpus.mjs; their keys were not kept). */\nconst char FUZZ_ROOT[] = ${JSON.stringify(pem)};\n`);
