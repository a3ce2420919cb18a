// Bundles the compiled server (dist/, from tsc) into the files that run: dist/bin/server.bundle.js
// and dist/bin/admin.bundle.js (run by server.js and admin.js beside them), and the two worker
// threads' scripts. Loading Nest, Fastify and the swagger decorators as hundreds of small ES
// modules took most of a start (about 2.5 s of CPU for `seatlock-admin --help`); one file each
// loads in about half of that.
//
// The bundles sit one folder below dist/, as every compiled module does, so paths they take from
// `__dirname` (the console's files, a worker's script beside its starter) stay right.
import { build } from 'esbuild';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../dist');

// @nestjs/typeorm looks up `Connection` and `AbstractRepository`, which TypeORM 1 no longer has,
// through a require() of its own that a bundle cannot follow: it would load the whole unbundled
// TypeORM a second time (about a fifth of a start's CPU) to find both missing. On TypeORM 1 its
// compat module is what it would find: two undefined exports.
const typeormPackage = join(dirname(createRequire(import.meta.url).resolve('typeorm')), 'package.json');
const typeormMajor = Number(JSON.parse(readFileSync(typeormPackage, 'utf8')).version.split('.')[0]);
if (typeormMajor < 1) throw new Error('The bundle assumes TypeORM 1 or later (see typeormOneCompat in server/scripts/bundle.mjs).');
const typeormOneCompat = {
  name: 'typeorm-1-compat',
  setup(builder) {
    builder.onLoad({ filter: /@nestjs[\\/]typeorm[\\/]dist[\\/]common[\\/]typeorm-compat\.js$/ }, () => ({
      contents: 'export const Connection = undefined;\nexport const AbstractRepository = undefined;\n',
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: {
    'server.bundle': join(dist, 'main.js'),
    'admin.bundle': join(dist, 'cli/admin.js'),
    'sign-worker': join(dist, 'signing/sign-worker.js'),
    'checkpoint-worker': join(dist, 'database/checkpoint-worker.js'),
  },
  outdir: join(dist, 'bin'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  // Nest names loggers and providers after their classes; the logger sorts lines by those names.
  keepNames: true,
  // Packages some bundled ES modules load through `createRequire(import.meta.url)`: bundled as
  // well, they would be two copies with two metadata stores (class-validator's rules,
  // class-transformer's types).
  external: [
    'class-validator',
    'class-transformer',
    // Native addons, and the optional packages Nest, Fastify and pg look for and do without.
    'better-sqlite3',
    'better-sqlite3-13',
    '@node-rs/argon2',
    'pg-native',
    'swagger-ui-dist',
    '@nestjs/microservices',
    '@nestjs/websockets',
    '@nestjs/platform-express',
    '@fastify/multipart',
    '@fastify/view',
  ],
  plugins: [typeormOneCompat],
  // ES modules turned into CommonJS have no import.meta: give them the bundle's own URL, so
  // createRequire resolves from the repository's node_modules as before.
  banner: { js: "const __bundle_url = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__bundle_url' },
});

// esbuild writes code ASCII-only (escaping the rest), but keeps some comments as written: the
// few non-ASCII characters left are in those comments. They would make V8 hold the whole
// 8 MB source as a two-byte string, which a start decodes and scans at several times the cost
// of an ASCII one (src/code-cache.ts reads an ASCII bundle as Latin-1).
for (const name of ['server.bundle', 'admin.bundle', 'sign-worker', 'checkpoint-worker']) {
  const file = join(dist, 'bin', `${name}.js`);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/[^\x00-\x7f]/g, '?'));
}

// What `node dist/bin/server.js` and `seatlock-admin` run: the bundle, with V8's compiled code kept
// between runs (src/code-cache.ts), which takes about a sixth off a start's CPU. The launchers are
// built from the sources, so that they carry the code cache and nothing else of shared.
for (const name of ['server', 'admin']) {
  const outfile = join(dist, 'bin', `${name}.js`);
  await build({
    stdin: { contents: `import { runBundle } from './code-cache';\nrunBundle(require('node:path').join(__dirname, '${name}.bundle.js'));\n`, resolveDir: join(dist, '../src'), loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    alias: { '@seatlock/shared': join(dist, '../../shared/src/index.ts') },
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
  chmodSync(outfile, 0o755);
}
