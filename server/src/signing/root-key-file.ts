import { closeSync, fsyncSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

/**
 * Writes an offline root's encrypted key to a new file, readable by its owner only, flushed to
 * disk. Never overwrites: an existing file may be the only copy of another root's key.
 */
export function writeRootKeyFile(path: string, encryptedPem: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    throw new Error(`Cannot create the root key file ${path}: ${(error as Error).message}`);
  }
  try {
    writeSync(fd, encryptedPem);
    fsyncSync(fd);
  } catch (error) {
    rmSync(path, { force: true });
    throw new Error(`Cannot write the root key file ${path}: ${(error as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

/** The PEM text of a root key file. */
export function readRootKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the root key file ${path}: ${(error as Error).message}`);
  }
}

/** Removes a root key file written by a `keys init` that then failed. */
export function removeRootKeyFile(path: string): void {
  rmSync(path, { force: true });
}
