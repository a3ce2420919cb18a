import { createHmac, timingSafeEqual } from 'node:crypto';
import { advanceClock, type ClockObservation, type ClockState } from '@seatlock/shared';
import type { Sysroot } from './collect';

/** What the agent keeps of time between boots, sealed so an edit is detected. */
export interface ClockRecord {
  /** Write counter: every save raises it, so of two copies the older is known. Absent (0) in records of earlier agents. */
  seq: number;
  state: ClockState;
  /** Per trial license id: the accumulated uptime when it was installed. */
  installs: Record<string, number>;
  /**
   * The highest revocation list serial this device has installed or seen installed, so that an
   * older list is refused even when the newer list's file is damaged or deleted. Absent (0) in
   * records of earlier agents.
   */
  revocationSerial: number;
}

/** `ok`: the record opened; `missing`: none was ever written (or every copy was deleted); `tampered`: it was edited, damaged or belongs to another device. */
export type ClockRecordStatus = 'ok' | 'missing' | 'tampered';

/**
 * Reads the clocks the owner cannot set: the uptime of this boot and the boot id (both from the
 * sysroot's /proc), with the wall clock's `nowMs`.
 *
 * @example observeClock(new Sysroot('/'), Date.now()) // { nowMs, bootId: '6f1c…', uptimeMs: 73210 }
 */
export function observeClock(sys: Sysroot, nowMs: number): ClockObservation {
  const seconds = Number.parseFloat(sys.value('proc/uptime')?.split(' ')[0] ?? '');
  return { nowMs, bootId: sys.value('proc/sys/kernel/random/boot_id') ?? '', uptimeMs: Number.isFinite(seconds) ? Math.round(seconds * 1000) : 0 };
}

function seal(body: string, key: Buffer): Buffer {
  return createHmac('sha256', key).update(body).digest();
}

/**
 * Serializes a clock record with an HMAC keyed from the device's strong components.
 *
 * @example store.writeClock(sealClock(clock.record, device.clockKey), device.clockDirs);
 */
export function sealClock(record: ClockRecord, key: Buffer): string {
  const body = JSON.stringify(record);
  return JSON.stringify({ body, mac: seal(body, key).toString('base64url') }) + '\n';
}

function isState(value: unknown): value is ClockState {
  const s = value as ClockState;
  return typeof s === 'object' && s !== null && s.v === 1 && [s.highWaterMs, s.uptimeMs, s.bootUptimeMs].every(Number.isFinite) && typeof s.bootId === 'string';
}

/**
 * Opens one sealed copy of the clock record; anything that does not carry this device's seal is `tampered`.
 *
 * @example const { status, record } = openClock(readFileSync(file, 'utf8'), device.clockKey);
 */
export function openClock(text: string | undefined, key: Buffer): { status: ClockRecordStatus; record?: ClockRecord } {
  if (text === undefined) return { status: 'missing' };
  try {
    const { body, mac } = JSON.parse(text) as { body: string; mac: string };
    const expected = seal(body, key);
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 'tampered' };
    const record = JSON.parse(body) as ClockRecord;
    if (!isState(record.state) || typeof record.installs !== 'object' || record.installs === null) return { status: 'tampered' };
    const seq = record.seq ?? 0;
    const revocationSerial = record.revocationSerial ?? 0;
    if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(revocationSerial)) return { status: 'tampered' };
    return { status: 'ok', record: { ...record, seq, revocationSerial } };
  } catch {
    return { status: 'tampered' };
  }
}

/**
 * One record from the copies that opened: the newest copy's boot, and of every copy the most
 * time seen, the earliest install of each trial and the newest revocation list. A copy restored
 * from earlier, or forged to say less, cannot take back what another copy has counted.
 */
function mergeRecords(records: readonly ClockRecord[]): ClockRecord {
  const newest = records.reduce((a, b) => (b.seq > a.seq ? b : a));
  const installs: Record<string, number> = {};
  for (const record of records) {
    for (const [id, at] of Object.entries(record.installs)) installs[id] = Math.min(installs[id] ?? at, at);
  }
  const most = (pick: (s: ClockState) => number) => Math.max(...records.map((r) => pick(r.state)));
  return {
    seq: newest.seq,
    state: { ...newest.state, highWaterMs: most((s) => s.highWaterMs), uptimeMs: most((s) => s.uptimeMs) },
    installs,
    revocationSerial: Math.max(...records.map((r) => r.revocationSerial)),
  };
}

/**
 * Opens every copy of the clock record and merges those that carry this device's seal. The
 * status is `missing` when no copy exists and `tampered` when copies exist but none opens.
 *
 * @example const { status, record } = openClocks(store.readClocks(device.clockDirs), device.clockKey);
 */
export function openClocks(texts: readonly (string | undefined)[], key: Buffer): { status: ClockRecordStatus; record?: ClockRecord } {
  const opened = texts.map((text) => openClock(text, key));
  const records = opened.flatMap((o) => (o.record ? [o.record] : []));
  if (records.length > 0) return { status: 'ok', record: mergeRecords(records) };
  return { status: opened.some((o) => o.status === 'tampered') ? 'tampered' : 'missing' };
}

/** The clock as a check sees it: the record advanced by this observation. */
export interface DeviceClock {
  status: ClockRecordStatus;
  record: ClockRecord;
}

/**
 * Opens the record's copies and folds in what the clocks say now. A record none of whose copies
 * opens starts over when `fresh` is allowed (an explicit install), and is otherwise kept as it
 * is, so that deleting or editing every copy does not restart a trial.
 *
 * @example const clock = currentClock(store.readClocks(device.clockDirs), device, Date.now(), false);
 */
export function currentClock(texts: readonly (string | undefined)[], device: { clockKey: Buffer; sysroot: Sysroot }, nowMs: number, fresh: boolean): DeviceClock {
  const opened = openClocks(texts, device.clockKey);
  const kept = opened.record;
  const state = advanceClock(kept?.state ?? null, observeClock(device.sysroot, nowMs));
  return {
    status: kept || fresh ? 'ok' : opened.status,
    record: { seq: (kept?.seq ?? 0) + 1, state, installs: { ...kept?.installs }, revocationSerial: kept?.revocationSerial ?? 0 },
  };
}

/**
 * The newest revocation list serial any copy of the clock record holds; 0 when none opens.
 *
 * @example const seen = seenRevocationSerial(store.readClocks(device.clockDirs), device.clockKey);
 */
export function seenRevocationSerial(texts: readonly (string | undefined)[], key: Buffer): number {
  return openClocks(texts, key).record?.revocationSerial ?? 0;
}

/**
 * What a trial's verification is told about time. The state is already advanced by this boot's
 * observation; its high-water mark is the highest time seen before or now, so a clock behind it
 * is still caught. An unusable record makes every trial read as rolled back.
 */
export function trialClockOption(clock: DeviceClock, licenseId: string): { highWaterMs: number; uptimeSinceInstallMs?: number } {
  if (clock.status !== 'ok') return { highWaterMs: Number.MAX_SAFE_INTEGER };
  const installedAt = clock.record.installs[licenseId];
  return { highWaterMs: clock.record.state.highWaterMs, uptimeSinceInstallMs: installedAt === undefined ? undefined : clock.record.state.uptimeMs - installedAt };
}
