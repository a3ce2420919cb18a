import type { Language } from '../mail/language';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from './api-token.entity';

/** `invited` until the invite is accepted and a password set; `disabled` can no longer sign in. */
export type UserStatus = 'invited' | 'active' | 'disabled';

/** A person who signs in with email and password, with one role (and, as a customer, one customer). */
@Entity('users')
export class User {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Lower-cased: sign-in does not depend on how the address was typed. */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  /** How the console shows the person; optional (shared's humanText rule). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  name!: string | null;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  @Column({ name: 'customer_id', type: 'varchar', length: 36, nullable: true })
  customerId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: UserStatus;

  /** argon2id (see passwords.ts); null until the invite is accepted. */
  @Column({ name: 'password_hash', type: 'varchar', length: 200, nullable: true })
  passwordHash!: string | null;

  /** SHA-256 (hex) of the one-time invite token; null once used. */
  @Column({ name: 'invite_hash', type: 'varchar', length: 64, nullable: true })
  inviteHash!: string | null;

  @Column({ name: 'invite_expires_at', type: 'varchar', length: 30, nullable: true })
  inviteExpiresAt!: string | null;

  /** Wrong passwords in a row; reaching the limit locks the account until `lockedUntil`. */
  @Column({ name: 'failed_sign_ins', type: 'integer' })
  failedSignIns!: number;

  /** Sign-ins counted against the account whose password is still being checked. */
  @Column({ name: 'sign_ins_in_flight', type: 'integer' })
  signInsInFlight!: number;

  /** When the last sign-in was counted: attempts in flight a minute after it were lost with their instance. */
  @Column({ name: 'sign_ins_counted_at', type: 'varchar', length: 30, nullable: true })
  signInsCountedAt!: string | null;

  @Column({ name: 'locked_until', type: 'varchar', length: 30, nullable: true })
  lockedUntil!: string | null;

  /** The language of this person's e-mails. */
  @Column({ type: 'varchar', length: 8, default: 'en' })
  language!: Language;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;
}
