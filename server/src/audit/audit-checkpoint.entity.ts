import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A signed head of the audit chain; `token` is what verification trusts, the other columns are for reading. */
@Entity('audit_checkpoints')
export class AuditCheckpoint {
  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;

  @Column({ name: 'signed_at', type: 'varchar', length: 30 })
  signedAt!: string;

  /** The checkpoint JWS (`seatlock-audit-checkpoint+jws`). */
  @Column({ type: 'text' })
  token!: string;
}
