import { Column, Entity, PrimaryColumn } from 'typeorm';

export type SigningKeyKind = 'root' | 'issuer';

@Entity('signing_keys')
export class SigningKey {
  /** The certificate's kid (base64url SHA-256 of its DER). */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: SigningKeyKind;

  @Column({ type: 'text' })
  certificate!: string;

  /**
   * PKCS#8 PEM, encrypted with SEATLOCK_KEY_PASSPHRASE (plaintext only in development); null for
   * an offline root, whose key lives only in the file `keys init --offline-root` wrote.
   */
  @Column({ name: 'private_key', type: 'text', nullable: true })
  privateKey!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;

  /** When an operator declared the key's private key leaked: every license under it is refused from the next revocation list. */
  @Column({ name: 'compromised_at', type: 'varchar', length: 30, nullable: true })
  compromisedAt!: string | null;
}
