import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('audit_events')
export class AuditEvent {
  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', length: 30 })
  at!: string;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 100 })
  actor!: string;

  @Column({ type: 'varchar', length: 100 })
  subject!: string;

  /** Canonical JSON of the event's details. */
  @Column({ type: 'text' })
  data!: string;

  /** The customer the event concerns, so a customer reads its own part of the log; in the hash from version 2. */
  @Column({ name: 'customer_id', type: 'varchar', length: 36, nullable: true })
  customerId!: string | null;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash!: string;

  /** Which rule `hash` was made under (see AUDIT_HASH_VERSION): older events keep verifying under theirs. */
  @Column({ name: 'hash_version', type: 'integer' })
  hashVersion!: number;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}

/** The chain's last link, one row: updating it first in a transaction serializes appends, even across processes. */
@Entity('audit_head')
export class AuditHead {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}
