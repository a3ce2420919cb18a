import { describe, expect, it } from 'vitest';
import { buildFingerprint } from './fingerprint';
import { hardwareLabel } from './label';

describe('hardwareLabel', () => {
  const board = [
    { name: 'android.serial', value: 'R58M42ABCDE' },
    { name: 'soc.serial', value: '0x6a1b2c3d' },
    { name: 'emmc.cid', value: '150100524d4d4d0a1b2c3d4e5f60718200' },
    { name: 'android.id', value: '9774d56d682e549c' },
  ];

  it('names the weightiest strong component by the start of its hash, never by its raw value', () => {
    const fingerprint = buildFingerprint(board);
    const label = hardwareLabel(fingerprint);
    expect(label).toBe(`emmc.cid ${fingerprint.components['emmc.cid'].h.slice(0, 8)}`);
    for (const { value } of board) expect(label.toLowerCase()).not.toContain(value.toLowerCase().slice(0, 6));
  });

  it('falls back to a weak component, and to a dash for an empty fingerprint', () => {
    const weakOnly = buildFingerprint([{ name: 'android.id', value: '9774d56d682e549c' }]);
    expect(hardwareLabel(weakOnly)).toBe(`android.id ${weakOnly.components['android.id'].h.slice(0, 8)}`);
    expect(hardwareLabel({ v: 1, components: {} })).toBe('—');
  });
});
