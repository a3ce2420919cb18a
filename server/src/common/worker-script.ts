import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';

/**
 * Path of a worker thread's compiled script, given the `__dirname` of the module that starts it:
 * beside it in a build, or the build's copy when specs run from source.
 */
export function workerScript(dirname: string, file: string): string {
  const beside = resolve(dirname, file);
  if (existsSync(beside)) return beside;
  const serverRoot = resolve(__dirname, '../..');
  return resolve(serverRoot, 'dist', relative(resolve(serverRoot, 'src'), dirname), file);
}
