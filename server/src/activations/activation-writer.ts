import { Inject, Injectable } from '@nestjs/common';
import { type Fingerprint, type LicensedFingerprint, SeatlockError, strongHashes } from '@seatlock/shared';
import type { EntityManager } from 'typeorm';
import { type AuditEntry, AuditService } from '../audit/audit.service';
import { CONFIG, type ServerConfig } from '../config/config';
import { Database, isStorageFull, isUniqueViolation } from '../database/database.service';
import { type BoundDevice, findSameDevice } from '../devices/device-identity';
import { activationBatchSize, activationCommitSeconds, activationFlushSeconds } from '../metrics/metrics';

/** A signed license waiting to be bound: its device row does not exist yet. */
export interface PendingBinding {
  poolId: string;
  customerId: string;
  deviceId: string;
  licenseId: string;
  platform: string;
  fingerprint: Fingerprint;
  licensed: LicensedFingerprint;
  license: string;
  at: string;
}

export interface Binding {
  /** `created`: this license was bound to a new seat; `existing`: the device was already bound (its stored license). */
  outcome: 'created' | 'existing';
  device: BoundDevice;
  seats: number;
  seatsUsed: number;
}

interface Waiting {
  pending: PendingBinding;
  resolve: (binding: Binding) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for activations: bindings that arrive while a transaction is being written wait
 * and go together in the next one, so a batch costs one durable commit (one fsync) rather than
 * one per device. Each binding runs under its own savepoint, so an exhausted pool or a lost race
 * fails only that binding. Answers are released only after the commit.
 */
@Injectable()
export class ActivationWriter {
  private queue: Waiting[] = [];
  private writing = false;
  private readonly commit: ReturnType<Database['committer']>;

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    @Inject(CONFIG) private readonly config: ServerConfig,
  ) {
    this.commit = db.committer();
  }

  bind(pending: PendingBinding): Promise<Binding> {
    return new Promise<Binding>((resolve, reject) => {
      this.queue.push({ pending, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        // Let the requests of this turn of the event loop join the first batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      // Pool rows are locked in one order by every batch, so two server processes cannot deadlock.
      const batch = this.queue.splice(0, this.config.activationBatchSize).sort((a, b) => (a.pending.poolId < b.pending.poolId ? -1 : a.pending.poolId > b.pending.poolId ? 1 : 0));
      const rejectAll = (error: unknown) => batch.forEach((waiting) => waiting.reject(error));
      activationBatchSize.observe(batch.length);
      try {
        const committing = activationCommitSeconds.startTimer();
        const results = await this.commit((manager) => this.writeBatch(manager, batch, true)).catch((error: unknown) => {
          // A device of this batch was bound by another instance while this one waited for the
          // pool's row: the batch again, each binding its own way (which finds that device).
          if (!isUniqueViolation(error)) throw error;
          return this.commit((manager) => this.writeBatch(manager, batch, false));
        });
        committing();
        const flushing = activationFlushSeconds.startTimer();
        // The next batch is written while this one is flushed to disk; its answers wait for the flush.
        this.db.flushed().finally(flushing).then(() => results.forEach((result, i) => (result instanceof Error ? batch[i].reject(result) : batch[i].resolve(result))), rejectAll);
      } catch (error) {
        rejectAll(error);
      }
    }
    this.writing = false;
  }

  private async writeBatch(manager: EntityManager, batch: Waiting[], inRuns: boolean): Promise<(Binding | Error)[]> {
    const results: (Omit<Binding, 'seats' | 'seatsUsed'> | Error)[] = [];
    const seats = new Map<string, { seats: number; seatsUsed: number }>();
    // The batch is sorted by pool: each pool's bindings are a run, in arrival order.
    for (let start = 0; start < batch.length; ) {
      let end = start + 1;
      while (end < batch.length && batch[end].pending.poolId === batch[start].pending.poolId) end++;
      const run = batch.slice(start, end).map((waiting) => waiting.pending);
      const taken = inRuns && !this.db.sqlite ? await this.bindRun(manager, run) : null;
      if (taken) {
        seats.set(run[0].poolId, taken);
        for (const pending of run) results.push({ outcome: 'created', device: { id: pending.deviceId, license: pending.license, status: 'active' } });
      } else {
        for (const pending of run) results.push(await this.bindEach(manager, pending));
      }
      start = end;
    }
    const events: AuditEntry[] = [];
    const created: PendingBinding[] = [];
    batch.forEach(({ pending }, i) => {
      const result = results[i];
      if (result instanceof Error || result.outcome !== 'created') return;
      created.push(pending);
      events.push({
        action: 'device.activated',
        actor: 'device',
        subject: `device:${pending.deviceId}`,
        customerId: pending.customerId,
        data: { poolId: pending.poolId, licenseId: pending.licenseId, platform: pending.platform },
      });
    });
    await this.audit.append(manager, events);
    await this.countActivations(manager, created);
    for (const id of new Set(batch.map((w) => w.pending.poolId))) {
      if (seats.has(id)) continue;
      const { rows } = await this.db.execute(manager, 'SELECT seats, seats_used FROM pools WHERE id = ?', [id]);
      seats.set(id, { seats: Number(rows[0].seats), seatsUsed: Number(rows[0].seats_used) });
    }
    return results.map((result, i) => (result instanceof Error ? result : { ...result, ...(seats.get(batch[i].pending.poolId) as { seats: number; seatsUsed: number }) }));
  }

  /**
   * New devices per UTC day across customers, for the overview: one row a day, updated in the
   * transaction that binds them. Every batch already updates the audit chain's one head row, so
   * this row makes no batch wait that did not wait already.
   */
  private async countActivations(manager: EntityManager, created: PendingBinding[]): Promise<void> {
    const perDay = new Map<string, number>();
    for (const pending of created) perDay.set(pending.at.slice(0, 10), (perDay.get(pending.at.slice(0, 10)) ?? 0) + 1);
    for (const [day, count] of perDay) {
      await this.db.execute(manager, 'INSERT INTO activations_per_day (day, activations) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET activations = activations_per_day.activations + excluded.activations', [day, count]);
    }
  }

  /**
   * PostgreSQL: a pool's run of new devices in one statement, one round trip: the seat row is
   * updated once for all of them, only if the pool has a seat for each and none of their hardware
   * hashes is bound, and their rows go in with it. Returns the pool's seats after, or null, having
   * changed nothing, when that does not hold (too few seats; a device bound since the caller
   * looked; one device twice in the run): then each binding goes its own way, in order, as on
   * SQLite. A device bound by another instance while this statement waited for the pool's row
   * still fails it on the UNIQUE constraint, and with it the transaction (see drain).
   * Round trips to the database server are most of what a binding cost there, and the seat and
   * audit rows stay locked from their update to the commit: fewer statements, less waiting.
   */
  private async bindRun(manager: EntityManager, run: PendingBinding[]): Promise<{ seats: number; seatsUsed: number } | null> {
    const { poolId, customerId } = run[0];
    const components = run.flatMap((pending) => strongHashes(pending.fingerprint).map(({ name, hash }) => [name, hash, pending.deviceId]));
    if (new Set(components.map(([name, hash]) => `${name}\n${hash}`)).size !== components.length) return null;
    const names = components.map((c) => c[0]);
    const hashes = components.map((c) => c[1]);
    const { rows } = await this.db.execute(
      manager,
      'WITH seat AS (UPDATE pools SET seats_used = seats_used + ? WHERE id = ? AND seats_used + ? <= seats ' +
        'AND NOT EXISTS (SELECT 1 FROM device_components c WHERE c.pool_id = ? AND (c.component, c.hash) IN (SELECT * FROM unnest(?::varchar[], ?::varchar[]))) ' +
        'RETURNING seats, seats_used), ' +
        'bound AS (INSERT INTO devices (id, pool_id, customer_id, platform, fingerprint, license_id, license, status, activated_at, revoked_at) ' +
        "SELECT d.id, ?, ?, d.platform, d.fingerprint, d.license_id, d.license, 'active', d.activated_at, NULL " +
        'FROM unnest(?::varchar[], ?::varchar[], ?::text[], ?::varchar[], ?::text[], ?::varchar[]) AS d(id, platform, fingerprint, license_id, license, activated_at) ' +
        'WHERE EXISTS (SELECT 1 FROM seat)), ' +
        'hashes AS (INSERT INTO device_components (pool_id, component, hash, device_id) ' +
        'SELECT ?, c.component, c.hash, c.device_id FROM unnest(?::varchar[], ?::varchar[], ?::varchar[]) AS c(component, hash, device_id) ' +
        'WHERE EXISTS (SELECT 1 FROM seat)) ' +
        'SELECT seats, seats_used FROM seat',
      [
        run.length,
        poolId,
        run.length,
        poolId,
        names,
        hashes,
        poolId,
        customerId,
        run.map((p) => p.deviceId),
        run.map((p) => p.platform),
        run.map((p) => JSON.stringify(p.licensed)),
        run.map((p) => p.licenseId),
        run.map((p) => p.license),
        run.map((p) => p.at),
        poolId,
        names,
        hashes,
        components.map((c) => c[2]),
      ],
    );
    return rows.length === 1 ? { seats: Number(rows[0].seats), seatsUsed: Number(rows[0].seats_used) } : null;
  }

  /** One binding under its own savepoint: an exhausted pool or a lost race fails only it. */
  private async bindEach(manager: EntityManager, pending: PendingBinding): Promise<Omit<Binding, 'seats' | 'seatsUsed'> | Error> {
    await this.db.execute(manager, 'SAVEPOINT binding');
    try {
      let result: Omit<Binding, 'seats' | 'seatsUsed'>;
      try {
        result = await this.bindOne(manager, pending, false);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // Another binding took one of these hardware hashes since we looked: the same device, or one sharing a part.
        await this.db.execute(manager, 'ROLLBACK TO SAVEPOINT binding');
        result = await this.bindOne(manager, pending, true);
      }
      await this.db.execute(manager, 'RELEASE SAVEPOINT binding');
      return result;
    } catch (error) {
      // A full disk ends the whole transaction (SQLite rolls it back): the batch fails as one.
      if (isStorageFull(error)) throw error;
      await this.db.execute(manager, 'ROLLBACK TO SAVEPOINT binding');
      await this.db.execute(manager, 'RELEASE SAVEPOINT binding');
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /**
   * The one place a seat is taken: the same device gets its stored license back; a new device
   * takes a seat with a conditional update (never more devices than seats, even across processes).
   */
  private async bindOne(manager: EntityManager, pending: PendingBinding, retry: boolean): Promise<Omit<Binding, 'seats' | 'seatsUsed'>> {
    // First attempt: the caller found no such device before signing. A device bound since then
    // shares a strong hash with this one, so the UNIQUE constraint on component hashes stops the
    // insert and the retry finds it here.
    if (retry) {
      const same = await findSameDevice(this.db, manager, pending.poolId, pending.fingerprint);
      if (same) {
        if (same.status === 'revoked') throw new SeatlockError('DEVICE_REVOKED', 'This device was revoked; its license cannot be issued again.');
        return { outcome: 'existing', device: same };
      }
    }
    const seated = await this.db.execute(manager, 'UPDATE pools SET seats_used = seats_used + 1 WHERE id = ? AND seats_used < seats', [pending.poolId]);
    if (seated.affected !== 1) {
      // The same device may have taken the last seat since the caller looked (twice in one batch):
      // it is bound, not refused.
      if (!retry) return this.bindOne(manager, pending, true);
      throw new SeatlockError('SEATS_EXHAUSTED', 'Every seat of this pool is bound to a device; a new device needs a seat from a purchase.');
    }
    await this.db.execute(
      manager,
      'INSERT INTO devices (id, pool_id, customer_id, platform, fingerprint, license_id, license, status, activated_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)',
      [pending.deviceId, pending.poolId, pending.customerId, pending.platform, JSON.stringify(pending.licensed), pending.licenseId, pending.license, 'active', pending.at],
    );
    const strong = strongHashes(pending.fingerprint);
    await this.db.execute(
      manager,
      `INSERT INTO device_components (pool_id, component, hash, device_id) VALUES ${strong.map(() => '(?, ?, ?, ?)').join(', ')}` +
        // A different device that shares a hardware hash with a bound one (a moved eMMC) still gets its seat,
        // found later by its other hashes.
        (retry ? ' ON CONFLICT DO NOTHING' : ''),
      strong.flatMap(({ name, hash }) => [pending.poolId, name, hash, pending.deviceId]),
    );
    const device: BoundDevice = { id: pending.deviceId, license: pending.license, status: 'active' };
    return { outcome: 'created', device };
  }
}
