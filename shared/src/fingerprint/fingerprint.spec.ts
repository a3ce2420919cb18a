import { describe, expect, it } from 'vitest';
import { SeatlockError } from '../errors';
import { declaredComponent } from './components';
import { assertStrongFingerprint, buildFingerprint, hasStrongComponent, parseFingerprint } from './fingerprint';
import { match, toLicensedFingerprint } from './match';
import { normalizeComponent } from './normalize';
import { isPlaceholder } from './placeholders';

const android = [
  { name: 'android.serial', value: 'R58M42ABCDE' },
  { name: 'soc.serial', value: '0x6a1b2c3d' },
  { name: 'emmc.cid', value: '150100524d4d4d0a1b2c3d4e5f60718200' },
  { name: 'android.id', value: '9774d56d682e549c' },
  { name: 'net.mac.eth0', value: '0C:EF:AF:D1:22:5E' },
];

function replaced(readings: typeof android, name: string, value: string | null) {
  return readings.flatMap((r) => (r.name !== name ? [r] : value === null ? [] : [{ name, value }]));
}

describe('normalization and placeholders', () => {
  it('normalizes MACs, hex prefixes, case and whitespace', () => {
    expect(normalizeComponent('net.mac.eth0', '00-1A-2B-3C-4D-5E\n')).toBe('001a2b3c4d5e');
    expect(normalizeComponent('net.mac.eth0', 'not a mac')).toBe('');
    expect(normalizeComponent('soc.serial', ' 0xABCDEF12\0 ')).toBe('abcdef12');
  });

  it.each([
    ['soc.serial', '0000000000000000'],
    ['soc.serial', 'ffffffff'],
    ['board.serial', 'To Be Filled By O.E.M.'],
    ['android.serial', '0123456789ABCDEF'],
    ['system.uuid', '03000200-0400-0500-0006-000700080009'],
    ['system.uuid', '00000000-0000-0000-0000-000000000000'],
    ['net.mac.wlan0', '02:00:00:00:00:00'],
    ['net.mac.eth0', '00:00:23:34:45:66'],
    ['net.mac.eth0', '01:00:5e:00:00:01'],
    ['net.mac.wlan0', 'da:a1:19:00:11:22'],
    ['emmc.cid', ''],
    ['emmc.cid', 'abc'],
    ['net.mac.eth0', '00:1a:2b:3c:4d:5e'], // typed by hand: the octets step by 0x11
  ])('treats %s = %j as absent', (name, raw) => {
    expect(isPlaceholder(name, normalizeComponent(name, raw))).toBe(true);
  });

  it.each([
    ['soc.serial', '6a1b2c3d4e5f6071'],
    ['net.mac.eth0', '0c:ef:af:d1:22:5e'],
    ['net.mac.eth0', '02:ef:af:d1:22:5e'],
  ])('keeps %s = %j', (name, raw) => {
    expect(isPlaceholder(name, normalizeComponent(name, raw))).toBe(false);
  });
});

describe('buildFingerprint', () => {
  it('hashes values so no raw serial leaves the device', () => {
    const fp = buildFingerprint(android);
    const text = JSON.stringify(fp);
    for (const { value } of android) expect(text).not.toContain(value);
    expect(Object.keys(fp.components)).toEqual(android.map((r) => r.name));
    expect(fp.components['emmc.cid']).toMatchObject({ s: true, w: 4 });
    expect(fp.components['net.mac.eth0']).toMatchObject({ s: false, w: 1 });
  });

  it('binds each hash to its component name and key', () => {
    const a = buildFingerprint([{ name: 'soc.serial', value: '8a31c0d2e4f51607' }, { name: 'board.serial', value: '8a31c0d2e4f51607' }]);
    expect(a.components['soc.serial'].h).not.toBe(a.components['board.serial'].h);
    const b = buildFingerprint([{ name: 'soc.serial', value: '8a31c0d2e4f51607' }], 'vendor-key');
    expect(b.components['soc.serial'].h).not.toBe(a.components['soc.serial'].h);
  });

  it('gives a board whose only strong values are placeholders no strong component', () => {
    const fp = buildFingerprint([
      { name: 'soc.serial', value: '0000000000000000' },
      { name: 'android.serial', value: '0123456789ABCDEF' },
      { name: 'net.mac.eth0', value: '0c:ef:af:d1:22:5e' },
      { name: 'machine.id', value: '4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e' },
    ]);
    expect(hasStrongComponent(fp)).toBe(false);
    expect(() => assertStrongFingerprint(fp)).toThrow(SeatlockError);
    try {
      assertStrongFingerprint(fp);
    } catch (error) {
      expect((error as SeatlockError).code).toBe('WEAK_FINGERPRINT');
      expect((error as SeatlockError).message).toMatch(/emmc\.cid/);
    }
  });

  it('accepts a device-maker declared strong component', () => {
    const fp = buildFingerprint([{ name: 'hisilicon.chip-id', value: '3516dv300-a1b2c3d4', spec: declaredComponent(4, true) }]);
    expect(hasStrongComponent(fp)).toBe(true);
  });

  it('refuses an unknown component without a declared weight', () => {
    expect(() => buildFingerprint([{ name: 'mystery.value', value: 'abcdef' }])).toThrow(/no declared weight/);
  });
});

describe('match', () => {
  const licensed = toLicensedFingerprint(buildFingerprint(android));

  it('matches the same device fully', () => {
    expect(match(licensed, buildFingerprint(android))).toMatchObject({ score: 1, missing: [], matches: true });
  });

  it.each([
    ['a new NIC', replaced(android, 'net.mac.eth0', '0c:ef:af:d1:22:99')],
    ['a factory reset (new ANDROID_ID)', replaced(android, 'android.id', '1234abcd5678ef90')],
    ['a hidden Wi-Fi MAC', [...replaced(android, 'net.mac.eth0', null), { name: 'net.mac.wlan0', value: '02:00:00:00:00:00' }]],
  ])('keeps the license after %s', (_, readings) => {
    const result = match(licensed, buildFingerprint(readings));
    expect(result.matches).toBe(true);
    expect(result.missing.length).toBeLessThanOrEqual(1);
  });

  it('keeps the license when one strong component becomes unreadable', () => {
    expect(match(licensed, buildFingerprint(replaced(android, 'emmc.cid', null))).matches).toBe(true);
  });

  it('refuses a device whose every strong component differs, even with all weak ones equal', () => {
    const other = android.map((r) => (['android.serial', 'soc.serial', 'emmc.cid'].includes(r.name) ? { ...r, value: r.value + 'ff' } : r));
    const result = match(licensed, buildFingerprint(other));
    expect(result.matches).toBe(false);
    expect(result.strongMatched).toBe(false);
    expect(result.matched).toEqual(['android.id', 'net.mac.eth0']);
  });

  it('refuses a device matching one strong component but too little weight', () => {
    const mostlyOther = [
      { name: 'android.serial', value: 'R58M42ABCDE' },
      { name: 'soc.serial', value: 'ffee0011' },
      { name: 'emmc.cid', value: '99999999' },
      { name: 'android.id', value: 'aaaa' },
      { name: 'net.mac.eth0', value: '0c:ef:af:d1:22:00' },
    ];
    const result = match(licensed, buildFingerprint(mostlyOther));
    expect(result.strongMatched).toBe(true);
    expect(result.score).toBeLessThan(licensed.threshold);
    expect(result.matches).toBe(false);
  });
});

describe('parseFingerprint', () => {
  it('accepts a built fingerprint and lets the registry, not the device, set known weights', () => {
    const fp = buildFingerprint(android);
    const inflated = { v: 1, components: { ...fp.components, 'net.mac.eth0': { ...fp.components['net.mac.eth0'], w: 10, s: true } } };
    expect(parseFingerprint(inflated).components['net.mac.eth0']).toMatchObject({ w: 1, s: false });
  });

  it.each([
    [null],
    [{ v: 2, components: {} }],
    [{ v: 1, components: {} }],
    [{ v: 1, components: { 'emmc.cid': { h: 'short', w: 4, s: true } } }],
    [{ v: 1, components: { 'Bad Name': { h: 'a'.repeat(22), w: 4, s: true } } }],
    [{ v: 1, components: { 'x.chip': { h: 'a'.repeat(22), w: 0, s: true } } }],
    [{ v: 1, components: [] }],
  ])('refuses %j', (value) => {
    expect(() => parseFingerprint(value)).toThrow(/Invalid fingerprint/);
  });
});
