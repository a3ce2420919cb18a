import { type Fingerprint, type LicensedFingerprint, match, strongHashes } from '@seatlock/shared';
import type { EntityManager } from 'typeorm';
import type { Database } from '../database/database.service';
import type { DeviceStatus } from './device.entity';

/** What activation needs to know of a device already bound. */
export interface BoundDevice {
  id: string;
  license: string;
  status: DeviceStatus;
}

/**
 * The device of a pool that `fingerprint` is: one sharing a strong component hash whose licensed
 * fingerprint matches by the fuzzy rule (so a NIC swap or a factory reset is the same device).
 * The one definition of "same device" for every activation path.
 */
export async function findSameDevice(db: Database, manager: EntityManager, poolId: string, fingerprint: Fingerprint): Promise<BoundDevice | null> {
  const strong = strongHashes(fingerprint);
  if (strong.length === 0) return null;
  const { rows } = await db.execute(
    manager,
    // IN rather than DISTINCT over the join, which would compare (and sort) the license texts.
    // One branch per component, each a lookup of the whole primary key (pool, component, hash):
    // written as ORs under one pool, both databases read every component the pool has.
    'SELECT d.id, d.fingerprint, d.license, d.status FROM devices d WHERE d.id IN (' +
      strong.map(() => 'SELECT c.device_id FROM device_components c WHERE c.pool_id = ? AND c.component = ? AND c.hash = ?').join(' UNION ALL ') +
      ')',
    strong.flatMap(({ name, hash }) => [poolId, name, hash]),
  );
  let best: { device: BoundDevice; score: number } | null = null;
  for (const row of rows) {
    const result = match(JSON.parse(row.fingerprint) as LicensedFingerprint, fingerprint);
    if (result.matches && (!best || result.score > best.score)) best = { device: { id: row.id, license: row.license, status: row.status }, score: result.score };
  }
  return best?.device ?? null;
}
