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

  /** PKCS#8 PEM, encrypted with SEATLOCK_KEY_PASSPHRASE (plaintext only in development). */
  @Column({ name: 'private_key', type: 'text' })
  privateKey!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 30 })
  createdAt!: string;
}
