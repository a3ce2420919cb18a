import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  certificateKid,
  createIssuingCertificate,
  createRootCa,
  encryptPrivateKey,
  isEncryptedPrivateKey,
  jwsAlgorithmOf,
  loadPrivateKey,
  type KeyAndCertificate,
  type LicenseAlg,
} from '@seatlock/shared';
import { createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../clock/clock';
import { CONFIG, type ServerConfig } from '../config/config';
import { Database } from '../database/database.service';
import { readRootKeyFile, removeRootKeyFile, writeRootKeyFile } from './root-key-file';
import { SigningKey, type SigningKeyKind } from './signing-key.entity';

export interface KeySummary {
  kid: string;
  kind: SigningKeyKind;
  /** What the key signs with: PS256 for the root (revocation lists) and RSA issuing keys, ES256 or EdDSA otherwise. */
  alg: LicenseAlg;
  subject: string;
  validFrom: string;
  validTo: string;
  encrypted: boolean;
  /** The root's key is kept in a file outside the database (`keys init --offline-root`). */
  offline: boolean;
  createdAt: string;
  /** When the key was declared compromised (`keys compromised`); null while it is not. */
  compromisedAt: string | null;
}

/** The root CA's private key and certificate, for signing what only the root may sign. */
export interface RootSigner {
  privateKey: KeyObject;
  certificatePem: string;
}

export interface TrustResponse {
  root: string;
  issuers: { kid: string; certificate: string; createdAt: string }[];
}

/** The key that signs new licenses: the newest issuing key, decrypted. */
export interface ActiveIssuer {
  kid: string;
  certificatePem: string;
  privateKeyPem: string;
}

const ISSUER_RECHECK_MS = 5_000;
const KEYS_EXIST = 'Signing keys already exist; use `keys rotate` for a new issuing key.';

@Injectable()
export class KeysService {
  private readonly logger = new Logger('Keys');
  private active?: { issuer: ActiveIssuer; checkedAt: number };
  private rereading?: Promise<ActiveIssuer>;

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    @Inject(CONFIG) private readonly config: ServerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Creates the root CA and the first issuing key. Refuses when keys exist, or without a
   * passphrase unless `allowPlaintext`. With `offlineRoot` (a path), the root's key is written
   * there, encrypted, and never stored in the database. The issuing key is of `alg`'s kind
   * (default EdDSA).
   */
  async initKeys(actor: string, options: { allowPlaintext?: boolean; offlineRoot?: string; alg?: LicenseAlg } = {}): Promise<KeySummary[]> {
    const passphrase = this.passphraseFor(!options.offlineRoot && (options.allowPlaintext ?? false));
    const root = createRootCa({ notBefore: this.notBefore() });
    const issuer = createIssuingCertificate(root, { alg: options.alg, notBefore: this.notBefore() });
    const rootRow = this.row('root', root, passphrase);
    if (options.offlineRoot) {
      writeRootKeyFile(options.offlineRoot, rootRow.privateKey as string);
      rootRow.privateKey = null;
    }
    try {
      return await this.db.write(async (manager) => {
        // Appending first takes the audit chain's lock, so two instances starting at once cannot both make a root.
        await this.audit.append(manager, [{ action: 'keys.initialized', actor, subject: `key:${issuer.kid}`, data: { root: root.kid, issuer: issuer.kid, alg: jwsAlgorithmOf(createPublicKey(issuer.privateKeyPem)), offlineRoot: !!options.offlineRoot } }]);
        if ((await manager.count(SigningKey)) > 0) throw new Error(KEYS_EXIST);
        const rows = [rootRow, this.row('issuer', issuer, passphrase)];
        await manager.insert(SigningKey, rows);
        return rows.map((row) => this.summarize(row));
      });
    } catch (error) {
      // The file would hold the key of a root no database knows.
      if (options.offlineRoot) removeRootKeyFile(options.offlineRoot);
      throw error;
    }
  }

  /**
   * A new issuing key under the same root; it signs from now on, and licenses of older keys keep
   * verifying. An offline root's key comes from `rootKeyFile`; the new key is of `alg`'s kind
   * (default EdDSA).
   */
  async rotateIssuer(actor: string, options: { rootKeyFile?: string; alg?: LicenseAlg } = {}): Promise<KeySummary> {
    const root = await this.rootSigner(options.rootKeyFile);
    const passphrase = this.passphraseFor(true);
    const rootKeyPem = root.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const issuer = createIssuingCertificate({ privateKeyPem: rootKeyPem, certificatePem: root.certificatePem }, { alg: options.alg, notBefore: this.notBefore() });
    const row = this.row('issuer', issuer, passphrase);
    await this.db.write(async (manager) => {
      await manager.insert(SigningKey, row);
      await this.audit.append(manager, [{ action: 'keys.rotated', actor, subject: `key:${issuer.kid}`, data: { root: certificateKid(root.certificatePem), alg: jwsAlgorithmOf(createPublicKey(issuer.privateKeyPem)) } }]);
    });
    this.active = undefined;
    return this.summarize(row);
  }

  /**
   * Declares a retired issuing key's private key leaked: from the next exported revocation list,
   * every license under it is refused, whatever its date, and a device that activates again gets
   * its license signed under the active key. Declaring it again changes nothing.
   *
   * @throws Error for an unknown kid, the root, or the key that signs now (rotate first).
   */
  async markCompromised(kid: string, actor: string): Promise<KeySummary> {
    const row = await this.db.write(async (manager) => {
      const key = await manager.findOneBy(SigningKey, { kid });
      if (!key || key.kind !== 'issuer') throw new Error(`No issuing key ${kid}; \`keys show\` lists them.`);
      const newest = await manager.findOne(SigningKey, { where: { kind: 'issuer' }, order: { createdAt: 'DESC', kid: 'DESC' } });
      if (newest?.kid === kid) throw new Error(`Key ${kid} signs new licenses: run \`keys rotate\` first, then declare it compromised.`);
      if (key.compromisedAt) return key;
      key.compromisedAt = this.clock.now().toISOString();
      await manager.update(SigningKey, { kid }, { compromisedAt: key.compromisedAt });
      await this.audit.append(manager, [{ action: 'keys.compromised', actor, subject: `key:${kid}`, data: { compromisedAt: key.compromisedAt } }]);
      return key;
    });
    return this.summarize(row);
  }

  /**
   * The kids of the issuing keys declared compromised, read in `manager`'s transaction: every
   * re-activation asks, so it is plain SQL inside the read that found the device.
   */
  async compromisedKids(manager: EntityManager): Promise<Set<string>> {
    const { rows } = await this.db.execute(manager, 'SELECT kid FROM signing_keys WHERE compromised_at IS NOT NULL');
    return new Set(rows.map((row) => row.kid as string));
  }

  /**
   * The root's private key: from the database, or for an offline root from `rootKeyFile` (which
   * must hold the key of this root).
   *
   * @throws Error when the root is offline and no file is given, or the file holds another key.
   */
  async rootSigner(rootKeyFile?: string): Promise<RootSigner> {
    const root = await this.db.read((manager) => this.rootRow(manager));
    const pem = rootKeyFile ? readRootKeyFile(rootKeyFile) : root.privateKey;
    if (pem === null) {
      throw new Error('The root key is offline on this install: give the file `keys init --offline-root` wrote (`--root FILE`).');
    }
    const privateKey = loadPrivateKey(pem, isEncryptedPrivateKey(pem) ? this.passphraseFor(false) : undefined);
    const certificate = new X509Certificate(root.certificate);
    if (!createPublicKey(privateKey).equals(certificate.publicKey)) throw new Error(`${rootKeyFile ?? 'The stored root key'} does not hold the key of this install's root CA.`);
    return { privateKey, certificatePem: root.certificate };
  }

  async listKeys(): Promise<KeySummary[]> {
    const rows = await this.db.read((m) => m.find(SigningKey, { order: { createdAt: 'ASC' } }));
    return rows.map((row) => this.summarize(row));
  }

  async trust(): Promise<TrustResponse> {
    return this.db.read(async (manager) => {
      const root = await this.rootRow(manager);
      const issuers = await manager.find(SigningKey, { where: { kind: 'issuer' }, order: { createdAt: 'ASC' } });
      return { root: root.certificate, issuers: issuers.map((i) => ({ kid: i.kid, certificate: i.certificate, createdAt: i.createdAt })) };
    });
  }

  /**
   * Checks the keys before the server serves: production needs encrypted keys made by
   * `seatlock-admin keys init`; development creates keys on first start.
   */
  async prepareForServing(): Promise<void> {
    const keys = await this.listKeys();
    if (keys.length === 0) {
      if (this.config.production) {
        throw new Error('No signing keys. Create them with `seatlock-admin keys init` (with SEATLOCK_KEY_PASSPHRASE set) before starting in production.');
      }
      this.logger.warn(
        'No signing keys: creating a development root CA and issuing key' +
          (this.config.keyPassphrase ? '' : ' (UNENCRYPTED, no SEATLOCK_KEY_PASSPHRASE)') +
          '. Production keys belong to `seatlock-admin keys init`.',
      );
      await this.initKeys('system', { allowPlaintext: true }).catch(async (error: Error) => {
        // Another instance on the same database made them first: use those.
        if (error.message !== KEYS_EXIST || (await this.listKeys()).length === 0) throw error;
      });
    } else if (this.config.production && keys.some((k) => !k.encrypted)) {
      throw new Error('A signing key is stored unencrypted; refusing to start in production. Re-create keys with `seatlock-admin keys init`.');
    }
    await this.activeIssuer();
  }

  /** The newest issuing key, re-read every few seconds so a rotation by another process takes over. */
  async activeIssuer(): Promise<ActiveIssuer> {
    if (this.active && Date.now() - this.active.checkedAt < ISSUER_RECHECK_MS) return this.active.issuer;
    // One read serves every request that arrives while it runs.
    if (!this.rereading) {
      const reading = this.readActiveIssuer().finally(() => {
        if (this.rereading === reading) this.rereading = undefined;
      });
      this.rereading = reading;
    }
    return this.rereading;
  }

  /**
   * The active issuing key, read again at once when this instance holds one of `compromised`: a
   * key can be declared compromised only after a rotation, so holding one means this instance
   * has not read that rotation yet, and the next few seconds' licenses would all be refused.
   */
  async issuerOutside(compromised: Set<string>): Promise<ActiveIssuer> {
    const issuer = await this.activeIssuer();
    return compromised.has(issuer.kid) ? this.readActiveIssuer() : issuer;
  }

  private async readActiveIssuer(): Promise<ActiveIssuer> {
    const now = Date.now();
    const newest = await this.db.read((m) => m.findOne(SigningKey, { where: { kind: 'issuer' }, order: { createdAt: 'DESC', kid: 'DESC' } }));
    if (!newest) throw new Error('No issuing key: run `seatlock-admin keys init`.');
    let issuer = this.active?.issuer;
    if (issuer?.kid !== newest.kid) {
      const privateKeyPem = loadPrivateKey(newest.privateKey as string, this.config.keyPassphrase).export({ type: 'pkcs8', format: 'pem' }).toString();
      issuer = { kid: newest.kid, certificatePem: newest.certificate, privateKeyPem };
    }
    this.active = { issuer, checkedAt: now };
    return issuer;
  }

  private passphraseFor(allowPlaintext: boolean): string | undefined {
    if (this.config.keyPassphrase) return this.config.keyPassphrase;
    if (allowPlaintext && !this.config.production) return undefined;
    throw new Error('SEATLOCK_KEY_PASSPHRASE must be set: private keys are stored encrypted with it.');
  }

  /** Backdated a little so a device whose clock runs slightly behind still sees a valid certificate. */
  private notBefore(): Date {
    return new Date(this.clock.now().getTime() - 60 * 60 * 1000);
  }

  private row(kind: SigningKeyKind, key: KeyAndCertificate, passphrase: string | undefined): SigningKey {
    return Object.assign(new SigningKey(), {
      kid: key.kid,
      kind,
      certificate: key.certificatePem,
      privateKey: passphrase ? encryptPrivateKey(key.privateKeyPem, passphrase) : key.privateKeyPem,
      createdAt: this.clock.now().toISOString(),
    });
  }

  private async rootRow(manager: EntityManager): Promise<SigningKey> {
    const root = await manager.findOneBy(SigningKey, { kind: 'root' });
    if (!root) throw new Error('No root CA: run `seatlock-admin keys init`.');
    return root;
  }

  private summarize(row: SigningKey): KeySummary {
    const cert = new X509Certificate(row.certificate);
    return {
      kid: certificateKid(row.certificate),
      kind: row.kind,
      alg: jwsAlgorithmOf(cert.publicKey),
      subject: cert.subject.replace(/\n/g, ', '),
      validFrom: new Date(cert.validFrom).toISOString(),
      validTo: new Date(cert.validTo).toISOString(),
      // An offline root's key exists only in its file, encrypted.
      encrypted: row.privateKey === null || isEncryptedPrivateKey(row.privateKey),
      offline: row.privateKey === null,
      createdAt: row.createdAt,
      compromisedAt: row.compromisedAt,
    };
  }
}
