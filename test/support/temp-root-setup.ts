import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Global setup: the run's temporary files (databases, device copies, agent homes, tens of
 * thousands of generated inputs) go under one fresh folder, in memory when /dev/shm exists, so
 * they cost no disk writes and leave nothing behind. Workers inherit TMPDIR, and so do the
 * servers and agents they start. The first project to set it up owns it.
 */
export default function setup(): (() => void) | undefined {
  if (process.env.SEATLOCK_TEST_TMPDIR) return undefined;
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'seatlock-test-'));
  process.env.SEATLOCK_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
