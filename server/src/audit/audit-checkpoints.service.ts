import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { type AuditCheckpointClaims, parseCertificates, signAuditCheckpoint, verifyAuditCheckpoint } from '@seatlock/shared';
import { CLOCK, type Clock } from '../clock/clock';
import { CONFIG, type ServerConfig } from '../config/config';
import { Database } from '../database/database.service';
import { OutboxService } from '../outbox/outbox.service';
import { KeysService } from '../signing/keys.service';
import { AuditCheckpoint } from './audit-checkpoint.entity';
import { type AuditEntry, AuditService, type ChainVerdict, type VerifyLinksOptions } from './audit.service';

/** Key operations: the head is signed right after each one commits. */
const KEY_ACTIONS = new Set(['keys.initialized', 'keys.rotated', 'keys.compromised']);

export interface AuditVerdict extends ChainVerdict {
  /** Checkpoints whose signature and place in the chain were checked. */
  checkpoints: number;
  /** The last event a valid checkpoint covers; later events are protected only by their hash links. */
  signedThrough: number;
  /** The event the given anchor covers, when one was given and holds. */
  anchoredAt?: number;
  /** When resumed: the signed event the walk started from; the links up to it were not re-read. */
  resumedFrom?: number;
}

export interface VerifyOptions {
  /** An anchor kept outside the database (`audit anchor`): the chain must still hold the head it signed. */
  anchor?: string;
  /** Start from the newest signed checkpoint (or the anchor, when older) instead of the first event. */
  resume?: boolean;
  onProgress?: VerifyLinksOptions['onProgress'];
}

/** A signed head, to be kept outside the database and given back to `verify`. */
export interface AuditAnchor {
  seq: number;
  hash: string;
  signedAt: string;
  anchor: string;
}

/** `due`: sign once the configured number of events is unsigned; `any`: sign whatever is unsigned. */
type Urgency = 'due' | 'any';

/**
 * Signs the audit chain's head with the issuing key, off the appending transactions: an append
 * only notes the new head; the signature is made after that transaction commits, once per
 * `auditCheckpointEvents` events, after every key operation, every `auditCheckpointSeconds` on a
 * serving instance, and when it stops. Verification checks the chain against every checkpoint.
 */
@Injectable()
export class AuditCheckpoints implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('AuditCheckpoints');
  /** The last checkpoint this process knows of (another instance may have signed later ones). */
  private signedThrough = 0;
  private wanted?: Urgency;
  private running?: Promise<void>;
  private ticker?: NodeJS.Timeout;

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly keys: KeysService,
    private readonly outbox: OutboxService,
    @Inject(CONFIG) private readonly config: ServerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.audit.onAppend((headSeq, entries) => this.noteAppend(headSeq, entries));
  }

  /**
   * For a serving instance: signs what a crash left unsigned now, then every few seconds whatever
   * is unsigned (appended by this instance, another one, or the CLI), and the tail when it stops.
   */
  startSchedule(): void {
    this.ticker = setInterval(() => this.request('any'), this.config.auditCheckpointSeconds * 1000);
    this.ticker.unref();
    this.request('any');
  }

  /** After the HTTP server has closed: the appends of the last requests are signed too. */
  async onApplicationShutdown(): Promise<void> {
    if (this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
      this.request('any');
    }
    while (this.running) await this.running;
  }

  /**
   * Checks the chain's links, every stored checkpoint (signature, and the event it names has the
   * hash it signed) and, when given, an anchor kept elsewhere; the chain must reach every one.
   * Resumed, it re-reads only the links after the newest signed event (an earlier full
   * verification covered those before it), so its time follows what was appended since.
   */
  async verify(options: VerifyOptions = {}): Promise<AuditVerdict> {
    const verdict = await this.check(options);
    if (!verdict.ok) {
      const { events, brokenAt, reason } = verdict;
      await this.outbox.publish({ type: 'audit.verification_failed', customerId: null, data: { events, ...(brokenAt === undefined ? {} : { brokenAt }), reason: reason ?? 'the chain does not hold' } });
    }
    return verdict;
  }

  private async check(options: VerifyOptions): Promise<AuditVerdict> {
    const anchorToken = options.anchor;
    const rows = await this.db.read((m) => m.find(AuditCheckpoint, { order: { seq: 'ASC' } }));
    const roots = rows.length > 0 || anchorToken !== undefined ? parseCertificates((await this.keys.trust()).root) : [];
    const signed: { what: string; claims: AuditCheckpointClaims }[] = [];
    const summary = () => ({ checkpoints: signed.length, signedThrough: signed.at(-1)?.claims.seq ?? 0 });
    for (const row of rows) {
      const seq = Number(row.seq);
      const claims = await verifyAuditCheckpoint(row.token, roots).catch((error: Error) => error);
      if (claims instanceof Error) return { ok: false, events: 0, brokenAt: seq, reason: `the checkpoint at event ${seq} is not valid: ${claims.message}`, ...summary() };
      if (claims.seq !== seq) return { ok: false, events: 0, brokenAt: seq, reason: `the checkpoint stored at event ${seq} signs event ${claims.seq}`, ...summary() };
      signed.push({ what: `the checkpoint signed at ${isoSeconds(claims.iat)}`, claims });
    }
    const checkpoints = summary();
    let anchor: AuditCheckpointClaims | undefined;
    if (anchorToken !== undefined) {
      const claims = await verifyAuditCheckpoint(anchorToken, roots).catch((error: Error) => error);
      if (claims instanceof Error) return { ok: false, events: 0, reason: `the anchor is not valid: ${claims.message}`, ...checkpoints };
      anchor = claims;
    }
    const covered = anchor ? [...signed, { what: `the anchor signed at ${isoSeconds(anchor.iat)}`, claims: anchor }] : signed;
    // Resumed: from the newest checkpoint, or from the anchor when it is older, so the walk reaches it.
    const newest = signed.at(-1)?.claims;
    const start = !options.resume ? undefined : anchor && (!newest || anchor.seq < newest.seq) ? anchor : newest;
    const from = start && { seq: start.seq, hash: start.hash };
    const { verdict, hashes } = await this.audit.verifyLinks(new Set(covered.map((c) => c.claims.seq)), { from, onProgress: options.onProgress });
    if (!verdict.ok) return { ...verdict, ...checkpoints };
    let matched = from?.seq ?? 0;
    for (const { what, claims } of [...covered].filter((c) => c.claims.seq >= matched).sort((a, b) => a.claims.seq - b.claims.seq)) {
      if (claims.seq > verdict.events) {
        return { ok: false, events: verdict.events, brokenAt: verdict.events + 1, reason: `events ${verdict.events + 1} to ${claims.seq} are missing: ${what} covers ${claims.seq} events`, ...checkpoints };
      }
      if (hashes.get(claims.seq) !== claims.hash) {
        return { ok: false, events: matched, brokenAt: matched + 1, reason: `the chain after event ${matched} was rewritten: event ${claims.seq} does not have the hash ${what} covers`, ...checkpoints };
      }
      matched = claims.seq;
    }
    return { ok: true, events: verdict.events, ...checkpoints, ...(anchor ? { anchoredAt: anchor.seq } : {}), ...(from ? { resumedFrom: from.seq } : {}) };
  }

  /** Verifies the chain, then signs its head (or finds the checkpoint that already covers it): an anchor to keep elsewhere. */
  async anchor(): Promise<{ verdict: AuditVerdict; anchor?: AuditAnchor }> {
    const verdict = await this.verify();
    if (!verdict.ok) return { verdict };
    await this.signHead('any');
    const newest = await this.db.read((m) => m.findOne(AuditCheckpoint, { where: {}, order: { seq: 'DESC' } }));
    if (!newest) return { verdict };
    return { verdict, anchor: { seq: Number(newest.seq), hash: newest.hash, signedAt: newest.signedAt, anchor: newest.token } };
  }

  private noteAppend(headSeq: number, entries: readonly AuditEntry[]): void {
    if (entries.some((entry) => KEY_ACTIONS.has(entry.action))) this.request('any');
    else if (headSeq - this.signedThrough >= this.config.auditCheckpointEvents) this.request('due');
  }

  private request(urgency: Urgency): void {
    this.wanted = this.wanted === 'any' || urgency === 'any' ? 'any' : 'due';
    this.running ??= this.run();
  }

  private async run(): Promise<void> {
    try {
      // Lets the appending transaction that asked go on; signHead then waits for its commit.
      await new Promise((next) => setImmediate(next));
      while (this.wanted) {
        const urgency = this.wanted;
        this.wanted = undefined;
        await this.signHead(urgency).catch((error: Error) => this.logger.warn(`Audit checkpoint not signed: ${error.message}`));
      }
    } finally {
      this.running = undefined;
    }
  }

  private async signHead(urgency: Urgency): Promise<void> {
    const { head, last } = await this.db.commit(async (manager) => {
      // Taking the head row's lock first waits for the appending transaction that asked to commit (PostgreSQL;
      // on SQLite transactions take turns anyway), so the head read is the one it wrote.
      await this.db.execute(manager, 'UPDATE audit_head SET seq = seq WHERE id = 1');
      const { rows } = await this.db.execute(manager, 'SELECT seq, hash FROM audit_head WHERE id = 1');
      const newest = await this.db.execute(manager, 'SELECT MAX(seq) AS seq FROM audit_checkpoints');
      return { head: { seq: Number(rows[0].seq), hash: String(rows[0].hash) }, last: Number(newest.rows[0].seq ?? 0) };
    });
    this.signedThrough = Math.max(this.signedThrough, last);
    if (head.seq <= last || (urgency === 'due' && head.seq - last < this.config.auditCheckpointEvents)) return;
    const issuer = await this.keys.activeIssuer();
    const signedAt = this.clock.now();
    const token = await signAuditCheckpoint({ v: 1, seq: head.seq, hash: head.hash, iat: Math.floor(signedAt.getTime() / 1000) }, issuer);
    // Instances that signed the same head keep the first row.
    await this.db.write((manager) =>
      this.db.execute(manager, 'INSERT INTO audit_checkpoints (seq, hash, signed_at, token) VALUES (?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING', [
        head.seq,
        head.hash,
        signedAt.toISOString(),
        token,
      ]),
    );
    this.signedThrough = Math.max(this.signedThrough, head.seq);
  }
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
