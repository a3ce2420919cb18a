import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { type Fingerprint, strongHashes } from '@seatlock/shared';

/** First line of a license bundle: many devices' licenses in one file, for a factory line. */
export const BUNDLE_HEADER = 'SEATLOCK LICENSE BUNDLE 1';
const INDEX_LINE = 'index\n';
/** The last line: where the index starts, as a fixed-width byte offset. */
const TRAILER = 'index-at ';
const TRAILER_BYTES = TRAILER.length + 16 + 1;

/**
 * Writes a license bundle as licenses arrive: the license files one after another, then an
 * index with one line per license (its byte offset, its length, and the strong component hashes
 * of its device's request), then a fixed-size last line saying where the index starts. A board
 * reads the last line and the index, and then only its own license: never the other 19,999.
 * The file appears under its name only when complete.
 *
 * @example const bundle = new BundleWriter('line-3.bundle'); bundle.add(fingerprint, license); bundle.close();
 */
export class BundleWriter {
  private readonly partial: string;
  private readonly fd: number;
  private readonly index: string[] = [];
  private offset = 0;

  constructor(readonly file: string) {
    this.partial = `${file}.partial`;
    this.fd = openSync(this.partial, 'w', 0o644);
    this.write(`${BUNDLE_HEADER}\n`);
  }

  get count(): number {
    return this.index.length;
  }

  add(fingerprint: Fingerprint, license: string): void {
    const text = license.endsWith('\n') ? license : `${license}\n`;
    const hashes = strongHashes(fingerprint).map(({ hash }) => hash);
    this.index.push(`${this.offset} ${Buffer.byteLength(text)} ${hashes.join(' ')}\n`);
    this.write(text);
  }

  close(): void {
    const indexAt = this.offset;
    this.write(INDEX_LINE);
    for (const line of this.index) this.write(line);
    this.write(`${TRAILER}${String(indexAt).padStart(16, '0')}\n`);
    closeSync(this.fd);
    renameSync(this.partial, this.file);
  }

  /** Removes the unfinished file. */
  abandon(): void {
    closeSync(this.fd);
    rmSync(this.partial, { force: true });
  }

  private write(text: string): void {
    this.offset += writeSync(this.fd, text);
  }
}

/** Whether the file open as `fd` is a license bundle (by its first line). */
export function isBundle(fd: number): boolean {
  const head = Buffer.alloc(BUNDLE_HEADER.length);
  return readSync(fd, head, 0, head.length, 0) === head.length && head.toString('latin1') === BUNDLE_HEADER;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const read = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, read);
}

/**
 * The licenses of the bundle open as `fd` filed under any of `fingerprint`'s strong hashes,
 * unverified: the caller verifies each. Reads the index and those licenses only.
 */
export function bundleCandidates(fd: number, fingerprint: Fingerprint): string[] {
  const size = fstatSync(fd).size;
  const trailer = readAt(fd, Math.max(0, size - TRAILER_BYTES), TRAILER_BYTES).toString('latin1');
  const indexAt = trailer.startsWith(TRAILER) ? Number(trailer.slice(TRAILER.length)) : NaN;
  if (!Number.isSafeInteger(indexAt) || indexAt < 0 || indexAt > size - TRAILER_BYTES) return [];
  const index = readAt(fd, indexAt, size - TRAILER_BYTES - indexAt);
  const entries = new Set<number>();
  for (const { hash } of strongHashes(fingerprint)) {
    for (let at = index.indexOf(` ${hash}`); at >= 0; at = index.indexOf(` ${hash}`, at + 1)) entries.add(index.lastIndexOf('\n', at) + 1);
  }
  return [...entries]
    .sort((a, b) => a - b)
    .map((lineStart) => {
      const [offset, length] = index.toString('latin1', lineStart, index.indexOf('\n', lineStart)).split(' ').map(Number);
      return readAt(fd, offset, length).toString('utf8');
    });
}
