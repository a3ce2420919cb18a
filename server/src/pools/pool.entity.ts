import { Column, Entity, PrimaryColumn } from 'typeorm';

export type PoolKind = 'perpetual' | 'trial';

/** What an approved order or trial grants: seats of one product, drawn by devices with the activation code. */
@Entity('pools')
export class Pool {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: PoolKind;

  @Column({ name: 'customer_id', type: 'varchar', length: 36 })
  customerId!: string;

  @Column({ type: 'varchar', length: 64 })
  product!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  modality!: string | null;

  @Column({ type: 'integer' })
  seats!: number;

  @Column({ name: 'seats_used', type: 'integer' })
  seatsUsed!: number;

  /** SHA-256 (hex) of the activation code; the code itself is shown once and never stored. */
  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ name: 'expires_at', type: 'varchar', length: 30, nullable: true })
  expiresAt!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;
}
