import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { parseLicense } from '@seatlock/shared';
import { describe, expect } from 'vitest';
import { mutate, mutation } from '../../agent/src/spec-support';
import { copyHome } from '../support/native';
import { DAY_MS, runs, T0, useGeneratedFixture, within } from '../support/native-generated';

/**
 * The native check and the agent under generated damage to what the device keeps: its stored
 * license, its sealed clock records and its revocation list, each checked at boot. Each case runs
 * through both from copies of one state at one time; their exit codes and what they leave in the
 * store must be the same, and the genuine license unchanged may not be refused. What the device
 * is given (files to install, its tree, genuine licenses) is in generated-inputs.test.ts.
 */
const f = useGeneratedFixture('the store');

describe.skipIf(!f.native)('native check and agent under a generated store', () => {
  test.prop([mutation], runs(600))('a stored license changed on disk', async (change) => {
    const home = copyHome(f.licensed.home);
    const file = join(home, 'licenses', 'lic-genuine.lic');
    const changed = mutate(readFileSync(file), change);
    writeFileSync(file, changed);
    const code = await f.compare(T0 + DAY_MS, ['verify'], { ...f.licensed, home }, `stored license ${JSON.stringify(change).slice(0, 200)}`);
    let same = false;
    try {
      same = parseLicense(changed.toString('utf8')).jws === f.genuineJws;
    } catch {
      // not a license any more
    }
    if (same) expect(code).toBe(0);
  }, within(600, 45));

  test.prop([fc.array(fc.tuple(fc.constantFrom(0, 1), mutation), { minLength: 1, maxLength: 2 }), fc.integer({ min: -30, max: 70 })], runs(500))(
    'damaged clock records, at any time of a trial',
    async (changes, day) => {
      const home = copyHome(f.onTrial.home);
      const copies = [join(home, 'clock.json'), join(home, 'licenses', 'clock.json')];
      for (const [which, change] of changes) writeFileSync(copies[which], mutate(readFileSync(copies[which]), change));
      await f.compare(T0 + day * DAY_MS, ['verify'], { ...f.onTrial, home }, `clock ${JSON.stringify(changes).slice(0, 200)} day ${day}`);
    },
    within(500, 60),
  );

  test.prop([mutation], runs(400))('a revocation list changed in place', async (change) => {
    const home = copyHome(f.licensed.home);
    writeFileSync(join(home, 'revocations.txt'), mutate(f.revocations, change));
    await f.compare(T0 + DAY_MS, ['verify'], { ...f.licensed, home }, `revocation list ${JSON.stringify(change).slice(0, 200)}`);
  }, within(400, 50));
});
