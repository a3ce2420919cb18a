import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { type Fingerprint, strongHashes } from '@seatlock/shared';

/** First line of a license bundle: many devices' licenses in one file, for a factory line. */
export const BUNDLE_HEADER = 'SEATLOCK LICENSE BUNDLE 1';
const DEVICE_LINE = 'device ';

/**
 * Writes a license bundle as licenses arrive: each license follows a `device` line naming the
 * strong component hashes of its device's request, so that a board finds its own by those
 * hashes without reading or checking any other. The file appears under its name only when
 * complete.
 *
 * @example const bundle = new BundleWriter('line-3.bundle'); bundle.add(fingerprint, license); bundle.close();
 */
export class BundleWriter {
  private readonly partial: string;
  private fd: number;
  count = 0;

  constructor(readonly file: string) {
    this.partial = `${file}.partial`;
    this.fd = openSync(this.partial, 'w', 0o644);
    writeSync(this.fd, `${BUNDLE_HEADER}\n`);
  }

  add(fingerprint: Fingerprint, license: string): void {
    const hashes = strongHashes(fingerprint).map(({ hash }) => hash);
    writeSync(this.fd, `${DEVICE_LINE}${hashes.join(' ')}\n${license.endsWith('\n') ? license : `${license}\n`}`);
    this.count++;
  }

  close(): void {
    closeSync(this.fd);
    renameSync(this.partial, this.file);
  }

  /** Removes the unfinished file. */
  abandon(): void {
    closeSync(this.fd);
    rmSync(this.partial, { force: true });
  }
}

/** Whether `data` (a file's first bytes are enough) is a license bundle. */
export function isBundle(data: Buffer): boolean {
  return data.subarray(0, BUNDLE_HEADER.length).toString('latin1') === BUNDLE_HEADER;
}

/**
 * The licenses of a bundle filed under any of `fingerprint`'s strong hashes, unverified: the
 * caller verifies each. Found by searching the bytes for each hash, so a bundle of 20,000
 * licenses is never parsed whole.
 */
export function bundleCandidates(data: Buffer, fingerprint: Fingerprint): string[] {
  const starts = new Set<number>();
  for (const { hash } of strongHashes(fingerprint)) {
    for (let at = data.indexOf(` ${hash}`); at >= 0; at = data.indexOf(` ${hash}`, at + 1)) {
      const lineStart = data.lastIndexOf('\n', at) + 1;
      if (data.toString('latin1', lineStart, lineStart + DEVICE_LINE.length) === DEVICE_LINE) starts.add(lineStart);
    }
  }
  return [...starts].sort((a, b) => a - b).map((lineStart) => {
    const licenseStart = data.indexOf('\n', lineStart) + 1;
    const next = data.indexOf(`\n${DEVICE_LINE}`, licenseStart);
    return data.toString('utf8', licenseStart, next < 0 ? data.length : next + 1);
  });
}

