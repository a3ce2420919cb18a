import { Column, Entity, PrimaryColumn } from 'typeorm';

export type DeviceStatus = 'active' | 'revoked';

/** A device bound to a pool: it holds one seat forever, revoked or not. */
@Entity('devices')
export class Device {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'pool_id', type: 'varchar', length: 36 })
  poolId!: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 36 })
  customerId!: string;

  @Column({ type: 'varchar', length: 32 })
  platform!: string;

  /** The licensed fingerprint (JSON), compared with `match()` when the device comes back. */
  @Column({ type: 'text' })
  fingerprint!: string;

  @Column({ name: 'license_id', type: 'varchar', length: 36 })
  licenseId!: string;

  /** The signed license text, so a re-activation is answered without signing again. */
  @Column({ type: 'text' })
  license!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: DeviceStatus;

  @Column({ name: 'activated_at', type: 'varchar', length: 30 })
  activatedAt!: string;

  @Column({ name: 'revoked_at', type: 'varchar', length: 30, nullable: true })
  revokedAt!: string | null;
}
