import { buildFingerprint, type Fingerprint, isSeatlockError, strongHashes, toLicensedFingerprint } from '@seatlock/shared';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditService } from '../audit/audit.service';
import type { Database } from '../database/database.service';
import { ManualClock, openSpecDatabase, SPEC_DATABASES } from '../spec-support';
import { ActivationWriter, type PendingBinding } from './activation-writer';

const AT = '2026-11-25T00:00:00.000Z';

describe.each(SPEC_DATABASES)('ActivationWriter on %s', (kind) => {
  let db: Database;
  let close: () => Promise<void>;
  let writer: ActivationWriter;
  let audit: AuditService;

  beforeEach(async () => {
    const opened = await openSpecDatabase({}, kind);
    ({ db, close } = opened);
    audit = new AuditService(db, new ManualClock(new Date(AT)));
    writer = new ActivationWriter(db, audit, opened.config);
    await db.write(async (m) => {
      await m.query(`INSERT INTO customers (id, name, created_at) VALUES ('c1', 'Spec', '${AT}')`);
      await m.query(`INSERT INTO pools (id, kind, customer_id, product, seats, seats_used, code_hash, created_at) VALUES ('p1', 'perpetual', 'c1', 'face-detection', 3, 0, 'h1', '${AT}')`);
      await m.query(`INSERT INTO pools (id, kind, customer_id, product, seats, seats_used, code_hash, created_at) VALUES ('p2', 'perpetual', 'c1', 'face-detection', 100, 0, 'h2', '${AT}')`);
    });
  });
  afterEach(() => close());

  const pending = (fingerprint: Fingerprint, poolId = 'p1'): PendingBinding => {
    const deviceId = randomUUID();
    return {
      poolId,
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
  const seatsUsed = async (poolId = 'p1') => Number((await db.read((m) => db.execute(m, 'SELECT seats_used FROM pools WHERE id = ?', [poolId]))).rows[0].seats_used);
  const devicesOf = async (poolId: string) => Number((await db.read((m) => db.execute(m, 'SELECT COUNT(*) AS n FROM devices WHERE pool_id = ?', [poolId]))).rows[0].n);

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

  it('takes the seats of a batch in arrival order: the first bindings of a pool short of seats get them', async () => {
    const pendings = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6'].map((cid) => pending(board(cid)));
    const results = await Promise.allSettled(pendings.map((p) => writer.bind(p)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected', 'rejected']);
    expect(await devicesOf('p1')).toBe(3);
  });

  it('binds the new devices of a batch beside one already bound since the caller looked (as by another instance)', async () => {
    const bound = pending(board('bound-elsewhere'));
    await writer.bind(bound);
    const again = pending(board('bound-elsewhere'));
    const others = ['n1', 'n2', 'n3'].map((cid) => pending(board(cid), 'p2'));
    const sameAgain = { ...pending(board('bound-elsewhere-2')), poolId: 'p2' };
    const [first, ...rest] = await Promise.all([writer.bind(again), ...others.map((p) => writer.bind(p)), writer.bind(sameAgain), writer.bind({ ...sameAgain, deviceId: randomUUID(), licenseId: randomUUID() })]);
    expect(first).toMatchObject({ outcome: 'existing', device: { id: bound.deviceId }, seats: 3, seatsUsed: 1 });
    expect(rest.map((r) => r.outcome)).toEqual(['created', 'created', 'created', 'created', 'existing']);
    expect(rest[4].device.id).toBe(sameAgain.deviceId);
    // Every answer of a pool gives its seat count after the whole batch.
    expect(rest.map((r) => r.seatsUsed)).toEqual([4, 4, 4, 4, 4]);
    expect(await seatsUsed('p1')).toBe(1);
    expect(await seatsUsed('p2')).toBe(4);
    expect(await devicesOf('p2')).toBe(4);
    expect((await audit.verifyLinks()).verdict).toEqual({ ok: true, events: 5 });
  });

  // Only PostgreSQL has a second writer: another instance on the same database.
  it.runIf(kind === 'postgres')('answers the device another instance bound while this batch waited for the pool row, and takes no seat for it', async () => {
    const elsewhere = pending(board('raced-elsewhere'));
    const other = db.dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    await other.query("UPDATE pools SET seats_used = seats_used + 1 WHERE id = 'p1'");
    await other.query(
      "INSERT INTO devices (id, pool_id, customer_id, platform, fingerprint, license_id, license, status, activated_at) VALUES ($1, 'p1', 'c1', 'android', $2, $3, $4, 'active', $5)",
      [elsewhere.deviceId, JSON.stringify(elsewhere.licensed), elsewhere.licenseId, elsewhere.license, AT],
    );
    for (const { name, hash } of strongHashes(elsewhere.fingerprint)) {
      await other.query("INSERT INTO device_components (pool_id, component, hash, device_id) VALUES ('p1', $1, $2, $3)", [name, hash, elsewhere.deviceId]);
    }
    const here = pending(board('raced-elsewhere'));
    const binding = writer.bind(here);
    const beside = writer.bind(pending(board('raced-beside')));
    // The batch is waiting for the pool's row when the other instance commits.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await other.commitTransaction();
    await other.release();
    expect(await binding).toMatchObject({ outcome: 'existing', device: { id: elsewhere.deviceId, license: elsewhere.license } });
    expect(await beside).toMatchObject({ outcome: 'created', seatsUsed: 2 });
    expect(await seatsUsed()).toBe(2);
    expect(await devicesOf('p1')).toBe(2);
  });
});
