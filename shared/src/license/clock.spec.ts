import { describe, expect, it } from 'vitest';
import { advanceClock, CLOCK_TOLERANCE_MS, isClockRolledBack } from './clock';

const HOUR = 3_600_000;

describe('clock state', () => {
  it('accumulates uptime within a boot and across boots', () => {
    let state = advanceClock(null, { nowMs: 1000 * HOUR, bootId: 'a', uptimeMs: 1 * HOUR });
    state = advanceClock(state, { nowMs: 1002 * HOUR, bootId: 'a', uptimeMs: 3 * HOUR });
    expect(state.uptimeMs).toBe(3 * HOUR);
    state = advanceClock(state, { nowMs: 1010 * HOUR, bootId: 'b', uptimeMs: 2 * HOUR });
    expect(state.uptimeMs).toBe(5 * HOUR);
    expect(state.highWaterMs).toBe(1010 * HOUR);
  });

  it('keeps counting when the wall clock is held still on every boot', () => {
    let state = advanceClock(null, { nowMs: 0, bootId: 'boot-0', uptimeMs: 0 });
    for (let boot = 1; boot <= 30; boot++) state = advanceClock(state, { nowMs: 0, bootId: `boot-${boot}`, uptimeMs: 48 * HOUR });
    expect(state.uptimeMs).toBe(30 * 48 * HOUR);
    expect(state.highWaterMs).toBe(0);
  });

  it('never lowers the high-water mark and flags a clock behind it', () => {
    let state = advanceClock(null, { nowMs: 5000 * HOUR, bootId: 'a', uptimeMs: 0 });
    state = advanceClock(state, { nowMs: 10 * HOUR, bootId: 'a', uptimeMs: HOUR });
    expect(state.highWaterMs).toBe(5000 * HOUR);
    expect(isClockRolledBack(state, 10 * HOUR)).toBe(true);
    expect(isClockRolledBack(state, 5000 * HOUR - CLOCK_TOLERANCE_MS + 1)).toBe(false);
  });

  it('does not lose uptime when a reading of the same boot goes backwards', () => {
    let state = advanceClock(null, { nowMs: 0, bootId: 'a', uptimeMs: 5 * HOUR });
    state = advanceClock(state, { nowMs: 0, bootId: 'a', uptimeMs: 2 * HOUR });
    state = advanceClock(state, { nowMs: 0, bootId: 'a', uptimeMs: 6 * HOUR });
    expect(state.uptimeMs).toBe(6 * HOUR);
  });
});
