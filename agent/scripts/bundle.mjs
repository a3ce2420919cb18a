// Bundles the agent into one JavaScript file that runs with plain `node`.
//   node scripts/bundle.mjs --root root.pem [--config maker.json] [--out file]
//       release build: root certificate and device maker config embedded; reads the real / only
//   node scripts/bundle.mjs --dev [--root root.pem] [--config maker.json] [--out file]
//       development build: also reads SEATLOCK_SYSROOT, SEATLOCK_CONFIG and (with no embedded root) SEATLOCK_TRUST_ROOT
import { X509Certificate } from 'node:crypto';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const agentDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// npm runs workspace scripts in the workspace folder; paths on the command line mean the caller's folder.
const callerDir = process.env.INIT_CWD ?? process.cwd();

const { values } = parseArgs({ options: { root: { type: 'string' }, config: { type: 'string' }, out: { type: 'string' }, dev: { type: 'boolean' } } });
if (!values.root && !values.dev) {
  console.error('usage: bundle --root root.pem [--config maker.json] [--out file]   (or --dev for a development build)');
  process.exit(2);
}
const release = !values.dev;
const alias = { '@seatlock/shared': resolve(agentDir, '../shared/src/index.ts') };

let rootPem;
if (values.root) {
  rootPem = readFileSync(resolve(callerDir, values.root), 'utf8');
  const certs = rootPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (certs.length === 0 || !certs.every((pem) => new X509Certificate(pem).ca)) {
    console.error(`${values.root}: expected one or more PEM CA certificates`);
    process.exit(2);
  }
}

// The device maker's config is checked now with the agent's own parser, so a bad one fails the
// build rather than every device it ships on.
let makerConfig;
if (values.config) {
  try {
    makerConfig = readFileSync(resolve(callerDir, values.config), 'utf8');
  } catch (error) {
    console.error(`${values.config}: ${error.message}`);
    process.exit(2);
  }
  const checker = await build({ entryPoints: [resolve(agentDir, 'src/config.ts')], bundle: true, platform: 'node', format: 'cjs', write: false, alias, logLevel: 'warning' });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', checker.outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
  try {
    module.exports.parseConfig(makerConfig, values.config);
  } catch (error) {
    console.error(error.message);
    process.exit(2);
  }
}

const outfile = values.out ? resolve(callerDir, values.out) : resolve(agentDir, 'dist', release ? 'seatlock-agent.js' : 'seatlock-agent.dev.js');
// The support report's system section (systeminformation, which spawns shell commands) is a
// second file beside the agent, required by `diagnose` only: the boot check neither loads it
// nor carries its bytes.
const systemOutfile = outfile.replace(/(\.js)?$/, '.system.js');
// The bundles' floor is Node 18 (what Debian 12 and many board vendors' images ship), below the
// project's own. `alias` points at the sources, not shared's CommonJS build, so that unused parts
// (certificate creation and node-forge) are shaken out.
const common = { bundle: true, platform: 'node', target: 'node18', format: 'cjs', minify: true, legalComments: 'none', alias, logLevel: 'warning' };
const result = await build({
  ...common,
  entryPoints: [resolve(agentDir, 'src/cli.ts')],
  outfile,
  write: false,
  metafile: true,
  define: {
    ...(release ? { SEATLOCK_RELEASE_BUILD: 'true' } : {}),
    ...(rootPem ? { SEATLOCK_EMBEDDED_ROOT: JSON.stringify(rootPem) } : {}),
    ...(makerConfig ? { SEATLOCK_MAKER_CONFIG: JSON.stringify(makerConfig) } : {}),
    SEATLOCK_SYSTEM_BUNDLE: JSON.stringify(basename(systemOutfile)),
  },
});
// The file that runs: a launcher carrying the command line as a string, which it compiles with
// V8's code cache kept in the agent's home (src/launch.ts). Still one file to ship.
await build({
  ...common,
  entryPoints: [resolve(agentDir, 'src/launch.ts')],
  outfile,
  define: { SEATLOCK_AGENT_CODE: JSON.stringify(result.outputFiles[0].text) },
});
await build({ ...common, entryPoints: [resolve(agentDir, 'src/system-info.ts')], outfile: systemOutfile });

// Inputs esbuild parsed but shook out entirely are listed with 0 bytes in the output.
const [output] = Object.values(result.metafile.outputs);
const kept = [
  ['node-forge', 'slow to load on the boot path'],
  ['systeminformation', 'diagnose loads it from the second file'],
  // jose verifies through Web Crypto: loading it took more of a boot check than the check itself, and Node 18 has no global one.
  ['jose', 'signatures are checked with node:crypto (shared/src/jws.ts)'],
];
for (const [name, why] of kept) {
  const found = Object.entries(output.inputs).find(([input, { bytesInOutput }]) => input.includes(name) && bytesInOutput > 0);
  if (found) {
    console.error(`the bundle must not contain ${name} (${why}): ${found[0]}`);
    process.exit(1);
  }
}
chmodSync(outfile, 0o755);
const kib = (statSync(outfile).size / 1024).toFixed(1);
const kind = release ? 'release build (reads the real / only)' : 'development build (reads SEATLOCK_SYSROOT and SEATLOCK_CONFIG)';
const root = rootPem ? 'root certificate embedded' : 'no embedded root (reads SEATLOCK_TRUST_ROOT)';
console.log(`${relative(callerDir, outfile)}: ${kib} KiB, ${kind}, ${root}, ${makerConfig ? 'device maker config embedded' : 'no device maker config'}`);
console.log(`${relative(callerDir, systemOutfile)}: ${(statSync(systemOutfile).size / 1024).toFixed(1)} KiB, the system section of \`diagnose\` (systeminformation)`);
