import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One exported revocation list: its serial (only goes up) and what it held. */
@Entity('revocation_lists')
export class RevocationListRecord {
  @PrimaryColumn({ type: 'integer' })
  serial!: number;

  @Column({ name: 'issued_at', type: 'varchar', length: 30 })
  issuedAt!: string;

  @Column({ type: 'integer' })
  devices!: number;

  @Column({ type: 'integer' })
  issuers!: number;
}
