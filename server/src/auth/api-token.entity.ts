import { Column, Entity, PrimaryColumn } from 'typeorm';

export type Role = 'admin' | 'issuer' | 'auditor' | 'customer';
export const ROLES: readonly Role[] = ['admin', 'issuer', 'auditor', 'customer'];

@Entity('api_tokens')
export class ApiToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** The one customer a `customer` token acts for; null for staff roles. */
  @Column({ name: 'customer_id', type: 'varchar', length: 36, nullable: true })
  customerId!: string | null;

  /** SHA-256 (hex) of the bearer token, which is shown once. */
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;
}
