import { Column, Entity } from 'typeorm';
import { ReviewedApplication } from '../common/application.entity';

@Entity('orders')
export class Order extends ReviewedApplication {
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
}
