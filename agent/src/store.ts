import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseLicense } from '@seatlock/shared';
import { AgentError } from './errors';

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;
const CLOCK_FILE = 'clock.json';

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Whether a license text is a trial's (a text that does not parse is not). */
export function isTrial(text: string): boolean {
  try {
    return parseLicense(text).claims.kind === 'trial';
  } catch {
    return false;
  }
}

/**
 * Writes a file so that a crash leaves either the old content or the new, never half of it:
 * a temporary file beside it, fsync, rename over, fsync the directory (so the rename survives
 * a power cut too).
 *
 * @example writeFileAtomic('/var/lib/seatlock/clock.json', text);
 */
export function writeFileAtomic(path: string, data: string, mode = PRIVATE_FILE): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(temp, 'wx', mode);
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    fsyncPath(dirname(path));
  } catch (error) {
    rmSync(temp, { force: true });
    throw new AgentError('STORE_FAILED', `Cannot write ${path}: ${(error as Error).message}`);
  }
}

function privateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR });
  // mkdir applies the umask and leaves an existing directory as it was.
  chmodSync(path, PRIVATE_DIR);
}

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A license file in the store. */
export interface StoredLicense {
  file: string;
  text: string;
}

/**
 * The agent's state in `SEATLOCK_HOME`: `licenses/<license id>.lic` (a device may hold a trial
 * and a later perpetual license), copies of `clock.json` and `revocations.txt` (the installed
 * revocation list), in directories only the agent's user can read.
 *
 * @example new LicenseStore('/var/lib/seatlock').licenses().length
 */
export class LicenseStore {
  constructor(readonly home: string) {}

  get licenseDir(): string {
    return join(this.home, 'licenses');
  }

  /**
   * The copies of the clock record: in the home, beside the licenses, and in each of `dirs` (the
   * device maker's state directories). Deleting or restoring one copy does not reset a trial.
   */
  clockFiles(dirs: readonly string[] = []): string[] {
    return [this.home, this.licenseDir, ...dirs].map((dir) => join(dir, CLOCK_FILE));
  }

  /** Every stored license, oldest file name first; temporary files of an interrupted write are ignored. */
  licenses(): StoredLicense[] {
    let names: string[];
    try {
      names = readdirSync(this.licenseDir).filter((name) => name.endsWith('.lic')).sort();
    } catch {
      return [];
    }
    return names.map((name) => {
      const file = join(this.licenseDir, name);
      return { file, text: readFileSync(file, 'utf8') };
    });
  }

  /** Stores a license under its id, replacing an earlier copy of the same license. */
  saveLicense(licenseId: string, text: string): string {
    this.prepare(this.licenseDir);
    const file = join(this.licenseDir, `${licenseId.replace(/[^A-Za-z0-9_-]/g, '_')}.lic`);
    writeFileAtomic(file, text);
    return file;
  }

  get revocationsFile(): string {
    return join(this.home, 'revocations.txt');
  }

  /** The installed revocation list's text, if any. */
  readRevocations(): string | undefined {
    return readIfPresent(this.revocationsFile);
  }

  saveRevocations(text: string): string {
    this.prepare(this.home);
    writeFileAtomic(this.revocationsFile, text);
    return this.revocationsFile;
  }

  /** The text of each copy of the clock record (undefined where a copy is missing). */
  readClocks(dirs: readonly string[] = []): (string | undefined)[] {
    return this.clockFiles(dirs).map(readIfPresent);
  }

  /** Writes every copy of the clock record. */
  writeClock(text: string, dirs: readonly string[] = []): void {
    this.prepare(this.licenseDir);
    for (const dir of dirs) this.prepare(dir);
    for (const file of this.clockFiles(dirs)) writeFileAtomic(file, text);
  }

  private prepare(dir: string): void {
    try {
      privateDir(this.home);
      privateDir(dir);
    } catch (error) {
      throw new AgentError('STORE_FAILED', `Cannot create ${dir}: ${(error as Error).message}`);
    }
  }
}
