// Bundles the agent into one JavaScript file that runs with plain `node`.
//   node scripts/bundle.mjs --root root.pem [--out file]   release build, root certificate embedded
//   node scripts/bundle.mjs --dev [--out file]             development build, reads SEATLOCK_TRUST_ROOT
import { X509Certificate } from 'node:crypto';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const agentDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// npm runs workspace scripts in the workspace folder; paths on the command line mean the caller's folder.
const callerDir = process.env.INIT_CWD ?? process.cwd();

const { values } = parseArgs({ options: { root: { type: 'string' }, out: { type: 'string' }, dev: { type: 'boolean' } } });
if (!values.root && !values.dev) {
  console.error('usage: bundle --root root.pem [--out file]   (or --dev for a build that trusts SEATLOCK_TRUST_ROOT)');
  process.exit(2);
}

let rootPem;
if (values.root) {
  rootPem = readFileSync(resolve(callerDir, values.root), 'utf8');
  const certs = rootPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (certs.length === 0 || !certs.every((pem) => new X509Certificate(pem).ca)) {
    console.error(`${values.root}: expected one or more PEM CA certificates`);
    process.exit(2);
  }
}

const outfile = values.out ? resolve(callerDir, values.out) : resolve(agentDir, 'dist', rootPem ? 'seatlock-agent.js' : 'seatlock-agent.dev.js');
const result = await build({
  entryPoints: [resolve(agentDir, 'src/cli.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  // The bundle's floor is Node 18 (what Debian 12 and many board vendors' images ship), below
  // the project's own; web-crypto.mjs stands in for the Web Crypto globals Node 18 lacks.
  target: 'node18',
  inject: [resolve(agentDir, 'scripts/web-crypto.mjs')],
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  metafile: true,
  // The sources, not shared's CommonJS build, so that unused parts (certificate creation and
  // node-forge) are shaken out.
  alias: { '@seatlock/shared': resolve(agentDir, '../shared/src/index.ts') },
  define: rootPem ? { SEATLOCK_EMBEDDED_ROOT: JSON.stringify(rootPem) } : {},
  logLevel: 'warning',
});

// Inputs esbuild parsed but shook out entirely are listed with 0 bytes in the output.
const [output] = Object.values(result.metafile.outputs);
const forge = Object.entries(output.inputs).filter(([input, { bytesInOutput }]) => input.includes('node-forge') && bytesInOutput > 0);
if (forge.length > 0) {
  console.error(`the bundle must not contain node-forge (slow to load on the boot path): ${forge[0][0]}`);
  process.exit(1);
}
chmodSync(outfile, 0o755);
const kib = (statSync(outfile).size / 1024).toFixed(1);
console.log(`${relative(callerDir, outfile)}: ${kib} KiB, ${rootPem ? 'root certificate embedded' : 'no embedded root (reads SEATLOCK_TRUST_ROOT)'}`);
