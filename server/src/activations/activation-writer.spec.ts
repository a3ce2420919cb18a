import { buildFingerprint, type Fingerprint, isSeatlockError, toLicensedFingerprint } from '@seatlock/shared';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import type { Database } from '../database/database.service';
import { ManualClock, openSpecDatabase } from '../spec-support';
import { ActivationWriter, type PendingBinding } from './activation-writer';

const AT = '2026-11-25T00:00:00.000Z';

describe('ActivationWriter', () => {
  let db: Database;
  let close: () => Promise<void>;
  let writer: ActivationWriter;
  let audit: AuditService;

  beforeEach(async () => {
    const opened = await openSpecDatabase();
    ({ db, close } = opened);
    audit = new AuditService(db, new ManualClock(new Date(AT)));
    writer = new ActivationWriter(db, audit, opened.config);
    await db.write(async (m) => {
      await m.query(`INSERT INTO customers (id, name, created_at) VALUES ('c1', 'Spec', '${AT}')`);
      await m.query(`INSERT INTO pools (id, kind, customer_id, product, seats, seats_used, code_hash, created_at) VALUES ('p1', 'perpetual', 'c1', 'face-detection', 3, 0, 'h1', '${AT}')`);
    });
  });
  afterEach(() => close());

  const pending = (fingerprint: Fingerprint): PendingBinding => {
    const deviceId = randomUUID();
    return {
      poolId: 'p1',
      customerId: 'c1',
      deviceId,
      licenseId: randomUUID(),
      platform: 'android',
      fingerprint,
      licensed: toLicensedFingerprint(fingerprint),
      license: `license of ${deviceId}`,
      at: AT,
    };
  };
  const board = (cid: string, soc?: string, mac = '0c:ef:af:d1:22:5e') =>
    buildFingerprint([{ name: 'emmc.cid', value: `cid-${cid}-4a544134520e8f2b` }, ...(soc ? [{ name: 'soc.serial', value: soc }] : []), { name: 'net.mac.eth0', value: mac }]);
  const seatsUsed = async () => Number((await db.read((m) => db.execute(m, "SELECT seats_used FROM pools WHERE id = 'p1'"))).rows[0].seats_used);

  it('binds up to the seats in one batch and fails only the bindings past them', async () => {
    const results = await Promise.allSettled(['a1', 'a2', 'a3', 'a4', 'a5'].map((cid) => writer.bind(pending(board(cid)))));
    expect(results.filter((r) => r.status === 'fulfilled'), JSON.stringify(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok')))).toHaveLength(3);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.map((r) => isSeatlockError(r.reason, 'SEATS_EXHAUSTED'))).toEqual([true, true]);
    expect(await seatsUsed()).toBe(3);
    const last = results[2] as PromiseFulfilledResult<{ seats: number; seatsUsed: number }>;
    expect(last.value).toMatchObject({ seats: 3, seatsUsed: 3 });
    expect((await audit.verifyLinks()).verdict).toEqual({ ok: true, events: 3 });
  });

  it('answers a second binding of the same device with the first one, NIC changed or not', async () => {
    const first = pending(board('same-device'));
    const second = pending(board('same-device', undefined, '00:1b:44:11:3a:b7'));
    const [a, b] = await Promise.all([writer.bind(first), writer.bind(second)]);
    expect(a).toMatchObject({ outcome: 'created', device: { id: first.deviceId, license: first.license } });
    expect(b).toMatchObject({ outcome: 'existing', device: { id: first.deviceId, license: first.license } });
    expect(await seatsUsed()).toBe(1);
  });

  it('gives a seat to another device that shares one hardware part with a bound one', async () => {
    // The eMMC moved to a board with another SoC: it shares one strong hash but does not match.
    const original = await writer.bind(pending(board('moved-emmc', 'soc-one-0001')));
    const moved = await writer.bind(pending(board('moved-emmc', 'soc-two-0002', '00:1b:44:11:3a:b7')));
    expect(original.outcome).toBe('created');
    expect(moved.outcome).toBe('created');
    expect(moved.device.id).not.toBe(original.device.id);
    expect(await seatsUsed()).toBe(2);
  });

  it('refuses a revoked device that races back in', async () => {
    const first = await writer.bind(pending(board('revoked-one')));
    await db.write((m) => m.query(`UPDATE devices SET status = 'revoked' WHERE id = '${first.device.id}'`));
    await expect(writer.bind(pending(board('revoked-one')))).rejects.toMatchObject({ code: 'DEVICE_REVOKED' });
    expect(await seatsUsed()).toBe(1);
  });
});
