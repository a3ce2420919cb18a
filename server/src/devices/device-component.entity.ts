import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One strong component hash of a bound device: how the server finds "the same device" in a pool. */
@Entity('device_components')
export class DeviceComponent {
  @PrimaryColumn({ name: 'pool_id', type: 'varchar', length: 36 })
  poolId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  component!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  hash!: string;

  @Column({ name: 'device_id', type: 'varchar', length: 36 })
  deviceId!: string;
}
