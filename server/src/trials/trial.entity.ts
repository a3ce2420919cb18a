import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ReviewStatus } from '../orders/order.entity';

@Entity('trials')
export class Trial {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 36 })
  customerId!: string;

  @Column({ type: 'varchar', length: 64 })
  product!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  modality!: string | null;

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
