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

  /**
   * Hex. A generated token (256 random bits, shown once): its SHA-256. The token a person chose
   * (SEATLOCK_ADMIN_TOKEN): scrypt of it with `tokenSalt`.
   */
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  /** Set only for the chosen token: the scrypt salt (hex). */
  @Column({ name: 'token_salt', type: 'varchar', length: 64, nullable: true })
  tokenSalt!: string | null;

  /** The audit actor that created it: `user:<id>`, `token:<id>`, `cli` or `system` (null: made before this was recorded). */
  @Column({ name: 'created_by', type: 'varchar', length: 100, nullable: true })
  createdBy!: string | null;

  /** The person it acts for (see Principal.person); disabling that user revokes it. */
  @Column({ type: 'varchar', length: 100 })
  person!: string;

  @Column({ name: 'revoked_at', type: 'varchar', length: 30, nullable: true })
  revokedAt!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;
}
