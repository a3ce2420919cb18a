import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VerifyResult } from '@seatlock/shared';
import { readDevice } from './device';
import type { AgentError } from './errors';
import { install } from './install';
import { deviceCopy, deviceEnv, testPki } from './spec-support';
import { watch } from './watch';

const DAY_S = 86_400;
let pki: ReturnType<typeof testPki>;

beforeAll(() => {
  pki = testPki();
});

/** A board with a trial installed, checked every 5 ms. */
async function trialBoard() {
  const root = deviceCopy('hi3516dv300-emmc');
  const env = { ...deviceEnv(root, pki.rootPath), watchIntervalMs: 5 };
  await install(await pki.sign(readDevice(env).fingerprint, { kind: 'trial', platform: 'hisilicon-dv300' }), env);
  return { root, env };
}

/** Resolves once `test` holds, checking every few milliseconds. */
async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe('watch (verify --watch)', () => {
  it('reports the first verdict and then only changes, counting uptime at each interval', async () => {
    const { root, env } = await trialBoard();
    const verdicts: VerifyResult[] = [];
    const stop = new AbortController();
    const watching = watch({ env, signal: stop.signal, onVerdict: (r) => verdicts.push(r), onError: (e) => expect.fail(e.message) });
    await until(() => verdicts.length === 1);
    // Several intervals pass with nothing new to say.
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(verdicts.map((r) => r.code)).toEqual([0]);
    writeFileSync(join(root, 'proc/uptime'), `${61 * DAY_S}.00 1.00\n`);
    await until(() => verdicts.length === 2);
    stop.abort();
    expect((await watching).code).toBe(13);
    expect(verdicts.map((r) => r.code)).toEqual([0, 13]);
  });

  it('reports a check that fails and goes on with the next', async () => {
    const { env } = await trialBoard();
    // A directory where a copy of the clock record goes: writing it fails.
    const blocked = join(env.home, 'clock.json');
    rmSync(blocked);
    mkdirSync(join(blocked, 'in-the-way'), { recursive: true });
    const errors: AgentError[] = [];
    const verdicts: VerifyResult[] = [];
    const stop = new AbortController();
    const watching = watch({ env, signal: stop.signal, onVerdict: (r) => verdicts.push(r), onError: (e) => errors.push(e) });
    await until(() => errors.length >= 2);
    expect(errors[0]).toMatchObject({ code: 'STORE_FAILED' });
    expect(verdicts).toEqual([]);
    rmSync(blocked, { recursive: true });
    await until(() => verdicts.length === 1);
    stop.abort();
    expect(await watching).toMatchObject({ code: 0 });
  });
});
