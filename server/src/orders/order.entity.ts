import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ReviewStatus = 'submitted' | 'approved' | 'rejected';

@Entity('orders')
export class Order {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 36 })
  customerId!: string;

  @Column({ type: 'varchar', length: 64 })
  product!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  modality!: string | null;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ type: 'integer' })
  tier!: number;

  @Column({ name: 'unit_price', type: 'integer' })
  unitPrice!: number;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  total!: number;

  @Column({ type: 'integer', transformer: { to: (v: boolean) => (v ? 1 : 0), from: (v: number) => v === 1 } })
  negotiated!: boolean;

  @Column({ type: 'varchar', length: 16 })
  status!: ReviewStatus;

  @Column({ name: 'submitted_at', type: 'varchar', length: 30 })
  submittedAt!: string;

  @Column({ name: 'review_due_at', type: 'varchar', length: 30 })
  reviewDueAt!: string;

  @Column({ name: 'decided_at', type: 'varchar', length: 30, nullable: true })
  decidedAt!: string | null;

  @Column({ name: 'pool_id', type: 'varchar', length: 36, nullable: true })
  poolId!: string | null;
}
