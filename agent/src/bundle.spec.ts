import { closeSync, existsSync, openSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFingerprint } from '@seatlock/shared';
import { describe, expect, it } from 'vitest';
import { BUNDLE_HEADER, BundleWriter, bundleCandidates, isBundle } from './bundle';
import { tempDir } from './spec-support';

const board = (cid: string, soc = `${cid.slice(0, 8)}a1b2c3d4`) =>
  buildFingerprint([
    { name: 'emmc.cid', value: `15010043${cid}` },
    { name: 'soc.serial', value: soc },
  ]);
const license = (n: number) => `-----BEGIN SEATLOCK LICENSE-----\nlicense-${n}-ünïcode\n-----END SEATLOCK LICENSE-----\n`;

function withFile<T>(file: string, read: (fd: number) => T): T {
  const fd = openSync(file, 'r');
  try {
    return read(fd);
  } finally {
    closeSync(fd);
  }
}

describe('license bundle', () => {
  const boards = Array.from({ length: 50 }, (_, i) => board(`${String(i).padStart(4, '0')}9f3e7a1c52d4b8e6f0a3`));

  it('gives a board its own license only, found through its strong hashes', () => {
    const file = join(tempDir(), 'line.bundle');
    const writer = new BundleWriter(file);
    boards.forEach((fp, i) => writer.add(fp, license(i)));
    writer.close();
    expect(writer.count).toBe(50);
    expect(existsSync(`${file}.partial`)).toBe(false);
    expect(readFileSync(file, 'utf8').startsWith(`${BUNDLE_HEADER}\n`)).toBe(true);
    withFile(file, (fd) => {
      expect(isBundle(fd)).toBe(true);
      expect(bundleCandidates(fd, boards[0])).toEqual([license(0)]);
      expect(bundleCandidates(fd, boards[49])).toEqual([license(49)]);
      expect(bundleCandidates(fd, board('77779f3e7a1c52d4b8e6f0a3', '0123abcd9f8e7d6c'))).toEqual([]);
    });
  });

  it('offers every license that shares a strong hash with the board (a moved eMMC), for the caller to verify', () => {
    const file = join(tempDir(), 'line.bundle');
    const writer = new BundleWriter(file);
    writer.add(boards[0], license(0));
    writer.add(board('00009f3e7a1c52d4b8e6f0a3', 'ffffeeee12345678'), license(1));
    writer.close();
    expect(withFile(file, (fd) => bundleCandidates(fd, boards[0]))).toEqual([license(0), license(1)]);
  });

  it('finds nothing in a bundle cut short or in a single license file', () => {
    const dir = tempDir();
    const file = join(dir, 'line.bundle');
    const writer = new BundleWriter(file);
    writer.add(boards[0], license(0));
    writer.close();
    truncateSync(file, readFileSync(file).length - 5);
    expect(withFile(file, (fd) => bundleCandidates(fd, boards[0]))).toEqual([]);
    const single = join(dir, 'device.lic');
    writeFileSync(single, license(0));
    expect(withFile(single, isBundle)).toBe(false);
  });

  it('leaves no file when abandoned', () => {
    const file = join(tempDir(), 'line.bundle');
    const writer = new BundleWriter(file);
    writer.add(boards[0], license(0));
    writer.abandon();
    expect(existsSync(file) || existsSync(`${file}.partial`)).toBe(false);
  });
});
