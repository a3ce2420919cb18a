import { Inject, Injectable } from '@nestjs/common';
import { type Fingerprint, type LicensedFingerprint, SeatlockError, strongHashes } from '@seatlock/shared';
import { type EntityManager, In } from 'typeorm';
import { type AuditEntry, AuditService } from '../audit/audit.service';
import { CONFIG, type ServerConfig } from '../config/config';
import { Database, isUniqueViolation } from '../database/database.service';
import { findSameDevice } from '../devices/device-identity';
import { DeviceComponent } from '../devices/device-component.entity';
import { Device } from '../devices/device.entity';
import { Pool } from '../pools/pool.entity';

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
  device: Device;
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

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    @Inject(CONFIG) private readonly config: ServerConfig,
  ) {}

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
      const batch = this.queue.splice(0, this.config.activationBatchSize);
      try {
        const results = await this.db.write((manager) => this.writeBatch(manager, batch));
        results.forEach((result, i) => (result instanceof Error ? batch[i].reject(result) : batch[i].resolve(result)));
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    this.writing = false;
  }

  private async writeBatch(manager: EntityManager, batch: Waiting[]): Promise<(Binding | Error)[]> {
    const results: (Omit<Binding, 'seats' | 'seatsUsed'> | Error)[] = [];
    const events: AuditEntry[] = [];
    for (const { pending } of batch) {
      await manager.query('SAVEPOINT binding');
      try {
        let result: Omit<Binding, 'seats' | 'seatsUsed'>;
        try {
          result = await this.bindOne(manager, pending, false);
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
          // Another binding took one of these hardware hashes since we looked: the same device, or one sharing a part.
          await manager.query('ROLLBACK TO SAVEPOINT binding');
          result = await this.bindOne(manager, pending, true);
        }
        await manager.query('RELEASE SAVEPOINT binding');
        results.push(result);
        if (result.outcome === 'created') {
          events.push({
            action: 'device.activated',
            actor: 'device',
            subject: `device:${pending.deviceId}`,
            data: { poolId: pending.poolId, licenseId: pending.licenseId, platform: pending.platform },
          });
        }
      } catch (error) {
        await manager.query('ROLLBACK TO SAVEPOINT binding');
        await manager.query('RELEASE SAVEPOINT binding');
        results.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
    await this.audit.append(manager, events);
    const poolIds = [...new Set(batch.map((w) => w.pending.poolId))];
    const pools = new Map((await manager.findBy(Pool, { id: In(poolIds) })).map((p) => [p.id, p]));
    return results.map((result, i) => {
      if (result instanceof Error) return result;
      const pool = pools.get(batch[i].pending.poolId) as Pool;
      return { ...result, seats: pool.seats, seatsUsed: pool.seatsUsed };
    });
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
      const same = await findSameDevice(manager, pending.poolId, pending.fingerprint);
      if (same) {
        if (same.status === 'revoked') throw new SeatlockError('DEVICE_REVOKED', 'This device was revoked; its license cannot be issued again.');
        return { outcome: 'existing', device: same };
      }
    }
    const seated = await manager
      .createQueryBuilder()
      .update(Pool)
      .set({ seatsUsed: () => 'seats_used + 1' })
      .where('id = :id AND seats_used < seats', { id: pending.poolId })
      .execute();
    if (!seated.affected) throw new SeatlockError('SEATS_EXHAUSTED', 'Every seat of this pool is bound to a device; a new device needs a seat from a purchase.');
    const device = manager.create(Device, {
      id: pending.deviceId,
      poolId: pending.poolId,
      customerId: pending.customerId,
      platform: pending.platform,
      fingerprint: JSON.stringify(pending.licensed),
      licenseId: pending.licenseId,
      license: pending.license,
      status: 'active',
      activatedAt: pending.at,
      revokedAt: null,
    });
    await manager.insert(Device, device);
    const components = strongHashes(pending.fingerprint).map(({ name, hash }) => ({ poolId: pending.poolId, component: name, hash, deviceId: pending.deviceId }));
    const insert = manager.createQueryBuilder().insert().into(DeviceComponent).values(components);
    // A different device that shares a hardware hash with a bound one (a moved eMMC) still gets its seat,
    // found later by its other hashes.
    if (retry) insert.orIgnore();
    await insert.execute();
    return { outcome: 'created', device };
  }
}
