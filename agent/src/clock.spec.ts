import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentClock, observeClock, openClock, openClocks, sealClock, seenRevocationSerial, trialClockOption } from './clock';
import { Sysroot } from './collect';
import { deviceCopy } from './spec-support';

const key = Buffer.alloc(32, 7);
const state = { v: 1 as const, highWaterMs: 1_800_000_000_000, uptimeMs: 5_000, bootId: 'b1', bootUptimeMs: 5_000 };

describe('clock record', () => {
  it('opens what it sealed', () => {
    const text = sealClock({ seq: 3, state, installs: { l1: 1_000 }, revocationSerial: 12 }, key);
    expect(openClock(text, key)).toEqual({ status: 'ok', record: { seq: 3, state, installs: { l1: 1_000 }, revocationSerial: 12 } });
  });

  it('detects an edit, another device, damage and absence', () => {
    const text = sealClock({ seq: 1, state, installs: {}, revocationSerial: 0 }, key);
    expect(openClock(text.replace('1800000000000', '1700000000000'), key).status).toBe('tampered');
    expect(openClock(text, Buffer.alloc(32, 8)).status).toBe('tampered');
    expect(openClock('{"body":', key).status).toBe('tampered');
    expect(openClock(undefined, key).status).toBe('missing');
  });

  it('reads uptime and boot id from the sysroot', () => {
    const sys = new Sysroot(deviceCopy('hi3516dv300-emmc'));
    expect(observeClock(sys, 42)).toEqual({ nowMs: 42, bootId: 'c2a7d5e1-0f3b-4a9c-8e21-5d6f7a8b9c01', uptimeMs: 812_070 });
  });

  it('accumulates uptime across boots and keeps the high-water mark', () => {
    const root = deviceCopy('hi3516dv300-emmc');
    const device = { clockKey: key, sysroot: new Sysroot(root) };
    const first = currentClock([], device, 2_000_000, true);
    writeFileSync(join(root, 'proc/uptime'), '100.00 1.00\n');
    writeFileSync(join(root, 'proc/sys/kernel/random/boot_id'), 'next-boot\n');
    const second = currentClock([sealClock(first.record, key)], device, 1_000_000, false);
    expect(second.status).toBe('ok');
    expect(second.record.state).toMatchObject({ highWaterMs: 2_000_000, uptimeMs: 812_070 + 100_000 });
    expect(second.record.seq).toBe(first.record.seq + 1);
  });

  it('makes every trial read as rolled back when the record is unusable, unless starting fresh', () => {
    const device = { clockKey: key, sysroot: new Sysroot(deviceCopy('hi3516dv300-emmc')) };
    expect(trialClockOption(currentClock([undefined, undefined], device, 0, false), 'l1').highWaterMs).toBe(Number.MAX_SAFE_INTEGER);
    expect(trialClockOption(currentClock(['junk', undefined], device, 5, true), 'l1')).toEqual({ highWaterMs: 5, uptimeSinceInstallMs: undefined });
  });

  describe('copies', () => {
    const older = sealClock({ seq: 4, state: { ...state, highWaterMs: 1_000, uptimeMs: 1_000 }, installs: { l1: 500 }, revocationSerial: 30 }, key);
    const newer = sealClock({ seq: 9, state: { ...state, bootId: 'b2', bootUptimeMs: 7 }, installs: { l1: 500, l2: 4_000 }, revocationSerial: 20 }, key);

    it('merge into the most time seen, the earliest install of each trial, the newest revocation list and the newest boot', () => {
      expect(openClocks([older, newer], key)).toEqual({ status: 'ok', record: { seq: 9, state: { ...state, bootId: 'b2', bootUptimeMs: 7 }, installs: { l1: 500, l2: 4_000 }, revocationSerial: 30 } });
      expect(openClocks([newer, older], key).record).toEqual(openClocks([older, newer], key).record);
    });

    it('an older copy restored, a deleted one or an edited one takes nothing back', () => {
      for (const copies of [[older, newer], [undefined, newer], [newer.replace('5000', '1'), newer]]) {
        expect(openClocks(copies, key).record?.state).toMatchObject({ highWaterMs: state.highWaterMs, uptimeMs: state.uptimeMs });
      }
    });

    it('a forged copy can only add time', () => {
      const forged = sealClock({ seq: 99, state: { ...state, highWaterMs: 0, uptimeMs: 0 }, installs: { l2: 9_000 }, revocationSerial: 1 }, key);
      expect(openClocks([forged, newer], key).record).toMatchObject({ seq: 99, state: { highWaterMs: state.highWaterMs, uptimeMs: state.uptimeMs }, installs: { l2: 4_000 }, revocationSerial: 20 });
    });

    it('keep the newest revocation list serial through a restored, deleted or unopenable copy', () => {
      expect(seenRevocationSerial([older, newer], key)).toBe(30);
      expect(seenRevocationSerial([older, undefined, 'junk'], key)).toBe(30);
      expect(seenRevocationSerial([undefined, 'junk'], key)).toBe(0);
    });

    it('are missing when none exists and tampered when none opens', () => {
      expect(openClocks([undefined, undefined], key).status).toBe('missing');
      expect(openClocks([undefined, 'junk'], key).status).toBe('tampered');
    });

    it('read a record of an earlier agent (no write counter) as the oldest', () => {
      const earlier = JSON.stringify({ body: JSON.stringify({ state, installs: {} }), mac: '' });
      const body = JSON.stringify({ state, installs: { l0: 1 } });
      const sealed = JSON.stringify({ body, mac: createHmac('sha256', key).update(body).digest('base64url') });
      expect(openClocks([sealed, earlier], key)).toMatchObject({ status: 'ok', record: { seq: 0, installs: { l0: 1 }, revocationSerial: 0 } });
    });
  });
});
