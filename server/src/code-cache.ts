import { isAscii } from 'node:buffer';
import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { constants, Script } from 'node:vm';

/**
 * Runs one of the server's bundles (`dist/bin/*.bundle.js`) as Node runs a CommonJS file, with
 * V8's compiled code kept between runs: a start then reads the bundle's bytecode instead of
 * parsing and compiling its 7 to 8 MB again. Node 20 has no compile cache of its own.
 *
 * The cache is one file per bundle content and Node version, in a folder only this user may
 * write (`seatlock-code-cache-<uid>` in the temporary directory, or SEATLOCK_CODE_CACHE_DIR;
 * `off` runs without). Bytecode is code: a folder anyone else could write is not used. A run
 * that finds no cache, a damaged one or one V8 refuses writes one when it exits, with what it
 * compiled by then.
 */
export function runWithCodeCache(bundle: string): void {
  const bytes = readFileSync(bundle);
  // The build leaves the bundles ASCII (server/scripts/bundle.mjs): read as Latin-1, the source is
  // a one-byte string made in a tenth of UTF-8 decoding's time, the same string for ASCII.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const cacheFile = cacheFileFor(bundle, bytes);
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  // The file's first line may be a shebang, which Node's own loader strips the same way.
  const script = new Script(Module.wrap(source.replace(/^#!.*/, '')), {
    filename: bundle,
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) process.once('exit', () => writeCache(cacheFile, script.createCachedData()));
  const bundleModule = new Module(bundle, module);
  bundleModule.filename = bundle;
  bundleModule.paths = (Module as unknown as { _nodeModulePaths(from: string): string[] })._nodeModulePaths(dirname(bundle));
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(bundleModule.exports, bundleModule.exports, createRequire(bundle), bundleModule, bundle, dirname(bundle));
}

/** Where the cache for this bundle's content lives, or undefined where no safe folder can be had. */
function cacheFileFor(bundle: string, source: Buffer): string | undefined {
  const setting = process.env.SEATLOCK_CODE_CACHE_DIR;
  if (setting === 'off') return undefined;
  const dir = setting || join(tmpdir(), `seatlock-code-cache-${process.getuid?.() ?? 'user'}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory() || (process.getuid && stat.uid !== process.getuid()) || (stat.mode & 0o022) !== 0) return undefined;
  } catch {
    return undefined;
  }
  const key = createHash('sha1').update(process.version).update(process.arch).update(source).digest('hex').slice(0, 20);
  return join(dir, `${basename(bundle, '.js')}-${key}.v8`);
}

const digestOf = (data: Buffer) => createHash('sha1').update(data).digest();
const DIGEST_BYTES = 20;

/**
 * The cached code, if the file holds it whole. V8 checks that a cache was made for this source
 * and this V8, not that its bytes are intact, and damaged bytecode crashes the process: the file
 * carries the digest of what follows.
 */
function readCache(file: string): Buffer | undefined {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch {
    return undefined;
  }
  const data = content.subarray(DIGEST_BYTES);
  return content.length > DIGEST_BYTES && digestOf(data).equals(content.subarray(0, DIGEST_BYTES)) ? data : undefined;
}

/** Written beside and renamed into place: a start never reads half a file. */
function writeCache(file: string, data: Buffer): void {
  const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
  try {
    writeFileSync(partial, Buffer.concat([digestOf(data), data]), { mode: 0o600 });
    renameSync(partial, file);
  } catch {
    // A full disk or a removed folder: the next start compiles again.
    rmSync(partial, { force: true });
  }
}
