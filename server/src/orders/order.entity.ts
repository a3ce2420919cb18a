import { Column, Entity } from 'typeorm';
import { ReviewedApplication } from '../common/application.entity';

@Entity('orders')
export class Order extends ReviewedApplication {
  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ type: 'integer' })
  tier!: number;

  /** In fen; null until an admin enters the negotiated price of an order above the list-price limit. */
  @Column({ name: 'unit_price_fen', type: 'integer', nullable: true })
  unitPriceFen!: number | null;

  @Column({ name: 'total_fen', type: 'bigint', nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | number | null) => (v === null ? null : Number(v)) } })
  totalFen!: number | null;

  @Column({ type: 'integer', transformer: { to: (v: boolean) => (v ? 1 : 0), from: (v: number) => v === 1 } })
  negotiated!: boolean;

  /** The person who entered the negotiated unit price, who may not also approve the order; null for a list price or none yet. */
  @Column({ name: 'priced_by', type: 'varchar', length: 100, nullable: true })
  pricedBy!: string | null;
}
