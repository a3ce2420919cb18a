import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentClock, observeClock, openClock, sealClock, trialClockOption } from './clock';
import { Sysroot } from './collect';
import { deviceCopy } from './spec-support';

const key = Buffer.alloc(32, 7);
const state = { v: 1 as const, highWaterMs: 1_800_000_000_000, uptimeMs: 5_000, bootId: 'b1', bootUptimeMs: 5_000 };

describe('clock record', () => {
  it('opens what it sealed', () => {
    const text = sealClock({ state, installs: { l1: 1_000 } }, key);
    expect(openClock(text, key)).toEqual({ status: 'ok', record: { state, installs: { l1: 1_000 } } });
  });

  it('detects an edit, another device, damage and absence', () => {
    const text = sealClock({ state, installs: {} }, key);
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
    const first = currentClock(undefined, device, 2_000_000, true);
    writeFileSync(join(root, 'proc/uptime'), '100.00 1.00\n');
    writeFileSync(join(root, 'proc/sys/kernel/random/boot_id'), 'next-boot\n');
    const second = currentClock(sealClock(first.record, key), device, 1_000_000, false);
    expect(second.status).toBe('ok');
    expect(second.record.state).toMatchObject({ highWaterMs: 2_000_000, uptimeMs: 812_070 + 100_000 });
  });

  it('makes every trial read as rolled back when the record is unusable, unless starting fresh', () => {
    const device = { clockKey: key, sysroot: new Sysroot(deviceCopy('hi3516dv300-emmc')) };
    expect(trialClockOption(currentClock(undefined, device, 0, false), 'l1').highWaterMs).toBe(Number.MAX_SAFE_INTEGER);
    expect(trialClockOption(currentClock('junk', device, 5, true), 'l1')).toEqual({ highWaterMs: 5, uptimeSinceInstallMs: undefined });
  });
});
