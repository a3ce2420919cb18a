import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import * as vm from 'node:vm';

/** A CommonJS module's code to run with V8's compiled code kept between runs: see {@link runWithCodeCache}. */
export interface CachedModule {
  /** The file the code is from: its name in stack traces, and where its `require()` resolves from. */
  filename: string;
  /** The module's code (a first `#!` line is stripped, as Node's loader does). */
  source: string;
  /** The folder of caches; one another user may write is not used. Undefined: compile every time. */
  cacheDir: string | undefined;
  /** What the cache file's name starts with: one cache per name, code, Node version and architecture. */
  name: string;
  /** Create `cacheDir` and its missing parents (mode 0700); otherwise only `cacheDir` itself, in a parent that exists. */
  createParents: boolean;
}

/**
 * Runs a CommonJS module as Node runs a file, with V8's compiled code kept between runs: a start
 * then reads bytecode instead of parsing and compiling the code again, including the functions
 * the last run compiled lazily. Node 20 has no compile cache of its own, and the device bundle
 * runs on Node 18.
 *
 * Bytecode is code: a folder another user may write is not used. A run that finds no cache, a
 * damaged one or one V8 refuses writes one when it exits, with what it compiled by then, and
 * removes the name's others.
 */
export function runWithCodeCache({ filename, source, cacheDir, name, createParents }: CachedModule): void {
  const cacheFile = cacheDir && cacheFileFor(cacheDir, createParents, name, source);
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  const script = new vm.Script(Module.wrap(source.replace(/^#!.*/, '')), {
    filename,
    cachedData,
    // Node 18 has no vm.constants, and the device bundle imports nothing dynamically.
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) process.once('exit', () => writeCache(cacheFile, name, script.createCachedData()));
  const cachedModule = new Module(filename, module);
  cachedModule.filename = filename;
  cachedModule.paths = (Module as unknown as { _nodeModulePaths(from: string): string[] })._nodeModulePaths(dirname(filename));
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(cachedModule.exports, cachedModule.exports, createRequire(filename), cachedModule, filename, dirname(filename));
}

/** Where the cache for this code lives, or undefined where no safe folder can be had. */
function cacheFileFor(dir: string, createParents: boolean, name: string, source: string): string | undefined {
  try {
    // Made only when missing: at most boots it exists, and a failed mkdir costs an exception.
    let stat = lstatSync(dir, { throwIfNoEntry: false });
    if (!stat) {
      mkdirSync(dir, { recursive: createParents, mode: 0o700 });
      stat = lstatSync(dir);
    }
    if (!stat.isDirectory() || (process.getuid && stat.uid !== process.getuid()) || (stat.mode & 0o022) !== 0) return undefined;
  } catch {
    return undefined;
  }
  const key = createHash('sha1').update(process.version).update(process.arch).update(source).digest('hex').slice(0, 20);
  return join(dir, `${name}-${key}.v8`);
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

/**
 * Written beside and renamed into place: a start never reads half a file. The caches of this
 * name's earlier code or Node version go, so that updates do not pile them up on a board's flash.
 */
function writeCache(file: string, name: string, data: Buffer): void {
  const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
  try {
    writeFileSync(partial, Buffer.concat([digestOf(data), data]), { mode: 0o600 });
    renameSync(partial, file);
    const dir = dirname(file);
    for (const entry of readdirSync(dir)) {
      if (entry !== basename(file) && entry.startsWith(`${name}-`) && /^[0-9a-f]{20}\.v8$/.test(entry.slice(name.length + 1))) rmSync(join(dir, entry), { force: true });
    }
  } catch {
    // A full disk, a read-only store or a removed folder: the next start compiles again.
    rmSync(partial, { force: true });
  }
}
