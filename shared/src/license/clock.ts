/**
 * What the device has seen of time, kept by the agent between boots: the highest wall-clock time
 * observed, and the uptime accumulated across boots (which runs even when the clock is held still).
 */
export interface ClockState {
  v: 1;
  highWaterMs: number;
  uptimeMs: number;
  /** The boot the last observation came from, and its uptime then. */
  bootId: string;
  bootUptimeMs: number;
}

/** One reading of the device's clocks. */
export interface ClockObservation {
  nowMs: number;
  bootId: string;
  /** Time since this boot (from /proc/uptime), which the wall clock cannot move. */
  uptimeMs: number;
}

/**
 * How long after its issue a trial license can be installed on a device that holds no record of
 * it: long enough for an offline answer to travel back to the device (USB stick, e-mail), short
 * enough that reinstalling an expired trial on a wiped device needs the clock set back near its
 * issue date.
 */
export const TRIAL_INSTALL_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** How far behind the high-water mark the clock may be before it counts as rolled back (NTP steps, skew). */
export const CLOCK_TOLERANCE_MS = 10 * 60 * 1000;

/**
 * Folds an observation into the clock state: the high-water mark only rises, and uptime
 * accumulates across boots.
 *
 * @example state = advanceClock(state, { nowMs: Date.now(), bootId, uptimeMs });
 */
export function advanceClock(state: ClockState | null, observation: ClockObservation): ClockState {
  if (!state) {
    return { v: 1, highWaterMs: observation.nowMs, uptimeMs: observation.uptimeMs, bootId: observation.bootId, bootUptimeMs: observation.uptimeMs };
  }
  const sameBoot = state.bootId === observation.bootId;
  const gained = sameBoot ? Math.max(0, observation.uptimeMs - state.bootUptimeMs) : observation.uptimeMs;
  return {
    v: 1,
    highWaterMs: Math.max(state.highWaterMs, observation.nowMs),
    uptimeMs: state.uptimeMs + gained,
    bootId: observation.bootId,
    bootUptimeMs: sameBoot ? Math.max(state.bootUptimeMs, observation.uptimeMs) : observation.uptimeMs,
  };
}

/** Whether `nowMs` is behind the high-water mark by more than the tolerance. */
export function isClockRolledBack(state: Pick<ClockState, 'highWaterMs'>, nowMs: number): boolean {
  return nowMs < state.highWaterMs - CLOCK_TOLERANCE_MS;
}
