import { type Fingerprint, type LicensedFingerprint, match, strongHashes } from '@seatlock/shared';
import { Brackets, type EntityManager, In } from 'typeorm';
import { DeviceComponent } from './device-component.entity';
import { Device } from './device.entity';

/**
 * The device of a pool that `fingerprint` is: one sharing a strong component hash whose licensed
 * fingerprint matches by the fuzzy rule (so a NIC swap or a factory reset is the same device).
 * The one definition of "same device" for every activation path.
 */
export async function findSameDevice(manager: EntityManager, poolId: string, fingerprint: Fingerprint): Promise<Device | null> {
  const strong = strongHashes(fingerprint);
  if (strong.length === 0) return null;
  const rows: { deviceId: string }[] = await manager
    .createQueryBuilder(DeviceComponent, 'c')
    .select('DISTINCT c.device_id', 'deviceId')
    .where('c.pool_id = :poolId', { poolId })
    .andWhere(
      new Brackets((qb) => {
        strong.forEach(({ name, hash }, i) => qb.orWhere(`(c.component = :name${i} AND c.hash = :hash${i})`, { [`name${i}`]: name, [`hash${i}`]: hash }));
      }),
    )
    .getRawMany();
  if (rows.length === 0) return null;
  const candidates = await manager.findBy(Device, { id: In(rows.map((r) => r.deviceId)) });
  let best: { device: Device; score: number } | null = null;
  for (const device of candidates) {
    const result = match(JSON.parse(device.fingerprint) as LicensedFingerprint, fingerprint);
    if (result.matches && (!best || result.score > best.score)) best = { device, score: result.score };
  }
  return best?.device ?? null;
}
