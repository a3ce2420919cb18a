import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentError } from './errors';
import { LicenseStore, writeFileAtomic } from './store';
import { tempDir } from './spec-support';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('writeFileAtomic', () => {
  it('replaces the content whole and leaves no temporary file', () => {
    const dir = tempDir();
    const file = join(dir, 'clock.json');
    writeFileAtomic(file, 'first');
    writeFileAtomic(file, 'second');
    expect(readFileSync(file, 'utf8')).toBe('second');
    expect(readdirSync(dir)).toEqual(['clock.json']);
    expect(mode(file)).toBe(0o600);
  });

  it('keeps the old content when the write fails, and cleans up', () => {
    const dir = tempDir();
    const file = join(dir, 'target');
    writeFileAtomic(file, 'old');
    // Renaming a file over a non-empty directory fails after the temporary file was written.
    expect(() => writeFileAtomic(dir, 'new')).toThrow(AgentError);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['target']);
  });
});

describe('LicenseStore', () => {
  it('creates its folders private to the agent', () => {
    const home = join(tempDir(), 'home');
    const store = new LicenseStore(home);
    const file = store.saveLicense('lic/1', 'text');
    expect(file).toBe(join(home, 'licenses', 'lic_1.lic'));
    expect(mode(home)).toBe(0o700);
    expect(mode(store.licenseDir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
  });

  it('holds several licenses and ignores what an interrupted write left behind', () => {
    const store = new LicenseStore(join(tempDir(), 'home'));
    store.saveLicense('trial-1', 'trial');
    store.saveLicense('perpetual-1', 'perpetual');
    writeFileSync(join(store.licenseDir, '.perpetual-2.lic.0a1b2c.tmp'), 'half a lic');
    expect(store.licenses().map((l) => l.text)).toEqual(['perpetual', 'trial']);
  });

  it('keeps a copy of the clock record in the home, beside the licenses and in each state directory', () => {
    const home = join(tempDir(), 'home');
    const persist = join(tempDir(), 'persist', 'seatlock');
    const store = new LicenseStore(home);
    store.writeClock('record', [persist]);
    expect(store.clockFiles([persist])).toEqual([join(home, 'clock.json'), join(home, 'licenses', 'clock.json'), join(persist, 'clock.json')]);
    expect(store.readClocks([persist])).toEqual(['record', 'record', 'record']);
    expect(mode(persist)).toBe(0o700);
    expect(store.licenses()).toEqual([]);
  });

  it('reads no licenses and no clock from a home that does not exist', () => {
    const store = new LicenseStore(join(tempDir(), 'nowhere'));
    expect(store.licenses()).toEqual([]);
    expect(store.readClocks()).toEqual([undefined, undefined]);
  });
});
