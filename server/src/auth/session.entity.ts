import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A signed-in user's session: the cookie carries a random token, stored here as SHA-256. */
@Entity('sessions')
export class Session {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;

  /** Moved forward as the session is used; idle longer than the idle limit ends it. */
  @Column({ name: 'last_seen_at', type: 'varchar', length: 30 })
  lastSeenAt!: string;

  /** The absolute end, however active the session is. */
  @Column({ name: 'expires_at', type: 'varchar', length: 30 })
  expiresAt!: string;
}
