// Boot-check speed: `seatlock-agent verify` as a whole process against `node -e 0`, same run.
//   npm run build && node test/bench/agent-verify.mjs [runs]
// Uses the Android fixture with a perpetual license and a trial (the trial also writes the clock record).
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { cpSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const shared = require(join(repo, 'shared/dist'));
const agent = require(join(repo, 'agent/dist'));
const runs = Number(process.argv[2] ?? 20);

const dir = mkdtempSync(join(tmpdir(), 'seatlock-bench-agent-'));
const root = shared.createRootCa();
const issuer = shared.createIssuingCertificate(root);
const rootPath = join(dir, 'root.pem');
writeFileSync(rootPath, root.certificatePem);
const bundle = join(dir, 'seatlock-agent.js');
execFileSync(process.execPath, [join(repo, 'agent/scripts/bundle.mjs'), '--root', rootPath, '--out', bundle]);

function device(kind) {
  const sysroot = join(dir, kind, 'sysroot');
  cpSync(join(repo, 'test/fixtures/devices/android-rk3568'), sysroot, { recursive: true });
  const env = { SEATLOCK_SYSROOT: sysroot, SEATLOCK_HOME: join(dir, kind, 'home'), PATH: process.env.PATH };
  const { fingerprint } = agent.readDevice(agent.agentEnvironment(env));
  return { env, fingerprint };
}

async function install(kind) {
  const d = device(kind);
  const iat = Math.floor(Date.now() / 1000);
  const product = shared.getProduct('face-recognition');
  const claims = { v: 1, jti: `bench-${kind}`, sub: 'd', cus: 'c', pool: 'p', kind, product: product.id, features: [...product.features], modality: 'ir', platform: 'android', fp: shared.toLicensedFingerprint(d.fingerprint), iat, nbf: iat, ...(kind === 'trial' ? { exp: iat + 60 * 86400 } : {}) };
  const text = await shared.signLicense(claims, { privateKey: createPrivateKey(issuer.privateKeyPem), certificatePem: issuer.certificatePem, kid: issuer.kid });
  const file = join(dir, `${kind}.lic`);
  writeFileSync(file, text);
  execFileSync(process.execPath, [bundle, 'install', file], { env: d.env });
  return d.env;
}

function time(args, env) {
  const start = process.hrtime.bigint();
  const { status } = spawnSync(process.execPath, args, { env, stdio: 'ignore' });
  if (status !== 0) throw new Error(`${args.join(' ')} exited ${status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perpetual = await install('perpetual');
const trial = await install('trial');
const samples = { node: [], perpetual: [], trial: [] };
time(['-e', '0'], { PATH: process.env.PATH }); // warm the file cache
for (let i = 0; i < runs; i++) {
  samples.node.push(time(['-e', '0'], { PATH: process.env.PATH }));
  samples.perpetual.push(time([bundle, 'verify'], perpetual));
  samples.trial.push(time([bundle, 'verify'], trial));
}
const base = median(samples.node);
console.log(`bundle: ${(statSync(bundle).size / 1024).toFixed(1)} KiB; ${runs} runs each, medians`);
console.log(`node -e 0:                 ${base.toFixed(1)} ms`);
for (const kind of ['perpetual', 'trial']) console.log(`verify (${kind.padEnd(9)}):      ${median(samples[kind]).toFixed(1)} ms = ${(median(samples[kind]) / base).toFixed(2)}x`);
