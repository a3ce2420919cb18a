import { createHash } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { buildFingerprint, type RawComponent } from './fingerprint';
import { match, toLicensedFingerprint } from './match';
import { normalizeComponent } from './normalize';

const RUNS = { seed: 20261128, numRuns: 100 };

/** A real-looking value for a component: hex from a digest, so it is never a placeholder by accident. */
function value(name: string, seed: number): string {
  const hex = createHash('sha256').update(`${name}/${seed}`).digest('hex');
  return name.startsWith('net.mac.') ? `0c:ef:af:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}` : hex.slice(0, 32);
}

const STRONG = ['soc.serial', 'emmc.cid', 'android.serial', 'board.serial', 'system.uuid'];
const WEAK = ['android.id', 'machine.id', 'net.mac.eth0', 'net.mac.eth1', 'net.mac.wlan0'];

/** A device: some strong and some weak components, each with its own value. */
const device = fc
  .record({
    strong: fc.subarray(STRONG, { minLength: 1 }),
    weak: fc.subarray(WEAK),
    seed: fc.integer({ min: 0, max: 2 ** 31 }),
  })
  .map(({ strong, weak, seed }): RawComponent[] => [...strong, ...weak].map((name) => ({ name, value: value(name, seed) })));

/** The same device seen later: each component kept, changed (a new NIC, a factory reset) or gone. */
const later = (readings: RawComponent[]) =>
  fc
    .array(fc.constantFrom('kept', 'changed', 'gone'), { minLength: readings.length, maxLength: readings.length })
    .map((fates) =>
      readings.flatMap((reading, i) =>
        fates[i] === 'gone' ? [] : [{ ...reading, value: fates[i] === 'kept' ? reading.value : value(reading.name, i + 7919) }],
      ),
    );

const isWeak = (r: RawComponent) => WEAK.includes(r.name);

describe('normalization properties', () => {
  const raw = fc
    .tuple(fc.constantFrom('', ' ', '\t', '0x', '0X', ' 0x ', '0x0x', '\0'), fc.string(), fc.constantFrom('', '\n', '\0', ' \r\n'))
    .map(([prefix, body, suffix]) => prefix + body + suffix);

  test.prop([fc.constantFrom('soc.serial', 'emmc.cid', 'board.serial', 'net.mac.eth0'), raw], RUNS)('normalizing twice changes nothing', (name, value) => {
    const once = normalizeComponent(name, value);
    expect(normalizeComponent(name, once)).toBe(once);
  });

  test.prop([fc.constantFrom('soc.serial', 'emmc.cid', 'net.mac.eth0'), fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom('upper', 'padded', 'nul')], RUNS)(
    'case, surrounding whitespace and NULs never change the hash',
    (name, seed, disguise) => {
      const plain = value(name, seed);
      const disguised = disguise === 'upper' ? plain.toUpperCase() : disguise === 'padded' ? ` \t${plain}\n` : `${plain}\0`;
      expect(buildFingerprint([{ name, value: disguised }])).toEqual(buildFingerprint([{ name, value: plain }]));
    },
  );
});

describe('match properties', () => {
  test.prop([device.chain((readings) => fc.tuple(fc.constant(readings), later(readings)))], RUNS)(
    'the verdict never changes when weak components are reordered, on either side',
    ([licensedReadings, observedReadings]) => {
      const licensed = toLicensedFingerprint(buildFingerprint(licensedReadings));
      const verdict = match(licensed, buildFingerprint(observedReadings));
      const reordered = (readings: RawComponent[]) => [...readings.filter((r) => !isWeak(r)), ...readings.filter(isWeak).reverse()];
      const again = match(toLicensedFingerprint(buildFingerprint(reordered(licensedReadings))), buildFingerprint(reordered(observedReadings)));
      expect({ ...again, matched: again.matched.sort(), missing: again.missing.sort() }).toEqual({
        ...verdict,
        matched: verdict.matched.sort(),
        missing: verdict.missing.sort(),
      });
    },
  );

  test.prop([device.chain((readings) => fc.tuple(fc.constant(readings), later(readings)))], RUNS)(
    'a device matches only with a strong component matched and the threshold reached',
    ([licensedReadings, observedReadings]) => {
      const licensed = toLicensedFingerprint(buildFingerprint(licensedReadings));
      const result = match(licensed, buildFingerprint(observedReadings));
      const strongKept = observedReadings.some((r) => !isWeak(r) && licensedReadings.some((l) => l.name === r.name && l.value === r.value));
      expect(result.strongMatched).toBe(strongKept);
      expect(result.score).toBeGreaterThanOrEqual(0);
      expect(result.score).toBeLessThanOrEqual(1);
      expect(result.matches).toBe(strongKept && result.score >= licensed.threshold);
      expect([...result.matched, ...result.missing].sort()).toEqual(Object.keys(licensed.components).sort());
    },
  );

  test.prop([device, fc.array(fc.constantFrom(...WEAK), { minLength: 1 })], RUNS)(
    'another device never matches, however many weak components it copies',
    (licensedReadings, copied) => {
      const licensed = toLicensedFingerprint(buildFingerprint(licensedReadings));
      const other = licensedReadings.map((r) => (copied.includes(r.name) ? r : { ...r, value: value(r.name, 104_729) }));
      fc.pre(other.some((r, i) => r.value !== licensedReadings[i].value));
      fc.pre(licensedReadings.every((r) => isWeak(r) || other.find((o) => o.name === r.name)!.value !== r.value));
      expect(match(licensed, buildFingerprint(other)).matches).toBe(false);
    },
  );

  test.prop([device], RUNS)('a device always matches its own license', (readings) => {
    expect(match(toLicensedFingerprint(buildFingerprint(readings)), buildFingerprint(readings))).toMatchObject({ score: 1, missing: [], matches: true });
  });
});
