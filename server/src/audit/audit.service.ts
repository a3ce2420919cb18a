import { lookUpNames, type Names } from '../common/names';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../clock/clock';
import { findPage, type Page, type PageQuery } from '../common/paging';
import { scopeWhere } from '../common/scope';
import { Database } from '../database/database.service';
import { AuditEvent, AuditHead } from './audit-event.entity';
import { AUDIT_HASH_VERSION, canonicalJson, eventHash, GENESIS_HASH } from './canonical';

export interface AuditEntry {
  action: string;
  /** Who did it: `token:<id>`, `cli`, `device`, `system`. */
  actor: string;
  /** What it was done to: `order:<id>`, `device:<id>`... */
  subject: string;
  /** The customer the event concerns, when there is one: that customer may read it. */
  customerId?: string | null;
  data?: Record<string, unknown>;
}

export interface AuditEventResponse {
  seq: number;
  at: string;
  action: string;
  actor: string;
  /** The actor's name: a person's name or email, a token's name, `seatlock-admin`; null for `device`, `system` or a deleted one. */
  actorName: string | null;
  subject: string;
  /** The name of the customer the event concerns, if any. */
  customerName: string | null;
  data: unknown;
  hash: string;
}

export interface ChainVerdict {
  ok: boolean;
  events: number;
  /** First sequence number where the chain breaks. */
  brokenAt?: number;
  reason?: string;
}

/** What the links of the chain say, and the hashes of the events a caller asked for. */
export interface LinksVerdict {
  verdict: ChainVerdict;
  hashes: Map<number, string>;
}

/** Called at the end of every append, inside its transaction, with the new head's sequence number. */
export type AppendListener = (headSeq: number, entries: readonly AuditEntry[]) => void;

/** Writes more rows for appended events in the appending transaction (the outbox), so they commit or roll back with it. */
export type AppendWriter = (manager: EntityManager, entries: readonly AuditEntry[]) => Promise<void>;

const INSERT_CHUNK = 200;

/** Events read per page while verifying: memory stays bounded whatever the chain's length. */
const VERIFY_PAGE = 2000;

export interface VerifyLinksOptions {
  /** A signed event to start from instead of the first: its hash is checked, and the links after it. */
  from?: { seq: number; hash: string };
  /** Called after each page with the events checked so far and the head's sequence number, and once at the end. */
  onProgress?: (checked: number, head: number) => void;
}

@Injectable()
export class AuditService {
  private listener?: AppendListener;
  private writer?: AppendWriter;

  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Appends events to the chain inside the caller's transaction, so they commit (or not) with the
   * change. Plain SQL: every activation batch appends here.
   */
  async append(manager: EntityManager, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // Touching the head row takes its lock (PostgreSQL) as it is read, so concurrent appenders queue up.
    const { rows } = await this.db.execute(manager, 'UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash');
    const at = this.clock.now().toISOString();
    let seq = Number(rows[0].seq);
    let prevHash: string = rows[0].hash;
    const values = entries.map((entry) => {
      seq += 1;
      const fields = {
        seq,
        at,
        action: entry.action,
        actor: entry.actor,
        subject: entry.subject,
        data: canonicalJson(entry.data ?? {}),
        customerId: entry.customerId ?? null,
        prevHash,
        hashVersion: AUDIT_HASH_VERSION,
      };
      prevHash = eventHash(fields);
      return [fields.seq, fields.at, fields.action, fields.actor, fields.subject, fields.data, fields.prevHash, prevHash, fields.customerId, fields.hashVersion];
    });
    const moveHead = 'UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1';
    for (let i = 0; i < values.length; i += INSERT_CHUNK) {
      const chunk = values.slice(i, i + INSERT_CHUNK);
      const insert = `INSERT INTO audit_events (seq, at, action, actor, subject, data, prev_hash, hash, customer_id, hash_version) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`;
      // PostgreSQL: the last chunk and the head's move in one statement, one round trip fewer while the head is locked.
      if (!this.db.sqlite && i + INSERT_CHUNK >= values.length) {
        await this.db.execute(manager, `WITH appended AS (${insert}) ${moveHead}`, [...chunk.flat(), seq, prevHash]);
        break;
      }
      await this.db.execute(manager, insert, chunk.flat());
      if (i + INSERT_CHUNK >= values.length) await this.db.execute(manager, moveHead, [seq, prevHash]);
    }
    await this.writer?.(manager, entries);
    this.listener?.(seq, entries);
  }

  /** Whoever tells others of events (the outbox) writes here, in the transaction of each append (one writer). */
  alsoWrite(writer: AppendWriter): void {
    this.writer = writer;
  }

  /** The chain knows nothing of keys: whoever signs its head listens here (one listener). */
  onAppend(listener: AppendListener): void {
    this.listener = listener;
  }

  async record(entry: AuditEntry): Promise<void> {
    await this.db.write((manager) => this.append(manager, [entry]));
  }

  /** Events, newest first; a scoped caller reads only those of its own customer. */
  async listEvents(query: PageQuery, scope?: string): Promise<Page<AuditEventResponse>> {
    const where = scopeWhere(scope);
    const { rows, names, ...rest } = await this.db.read(async (m) => {
      const page = await findPage(m, AuditEvent, query, { keys: ['seq'], direction: 'DESC' }, (items) => items.where(where));
      return { ...page, names: await lookUpNames(m, { actors: page.rows.map((row) => row.actor), customerIds: page.rows.flatMap((row) => (row.customerId ? [row.customerId] : [])) }) };
    });
    return { items: rows.map((row) => this.map(row, names)), ...rest };
  }

  /**
   * Walks the chain up to its head as it was when the walk began: every link must hash to itself
   * and name its predecessor, and the head must name the last link. From `from` (a signed event)
   * it checks that event's hash and walks only what follows. Reads a page at a time, each in its
   * own read (appends go on meanwhile), so memory stays bounded at any length. Returns the hashes
   * of the events in `wanted` that it passed.
   */
  async verifyLinks(wanted: ReadonlySet<number> = new Set(), options: VerifyLinksOptions = {}): Promise<LinksVerdict> {
    const hashes = new Map<number, string>();
    const head = await this.db.read((m) => m.findOneByOrFail(AuditHead, { id: 1 }));
    const headSeq = Number(head.seq);
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    const { from, onProgress } = options;
    if (from) {
      const row = await this.db.read((m) => m.findOneBy(AuditEvent, { seq: from.seq }));
      if (!row) return { verdict: { ok: false, events: from.seq - 1, brokenAt: from.seq, reason: `event ${from.seq} is missing` }, hashes };
      const altered = this.linkFault(row, from.seq, row.prevHash);
      if (altered || row.hash !== from.hash) return { verdict: { ok: false, events: from.seq - 1, brokenAt: from.seq, reason: `event ${from.seq} was altered` }, hashes };
      if (wanted.has(from.seq)) hashes.set(from.seq, row.hash);
      prevHash = row.hash;
      expectedSeq = from.seq + 1;
    }
    const verdict = await (async (): Promise<ChainVerdict> => {
      while (expectedSeq <= headSeq) {
        const after = expectedSeq - 1;
        const rows = await this.db.read((m) =>
          m.createQueryBuilder(AuditEvent, 'event').where('event.seq > :after AND event.seq <= :headSeq', { after, headSeq }).orderBy('event.seq', 'ASC').limit(VERIFY_PAGE).getMany(),
        );
        if (rows.length === 0) break;
        for (const row of rows) {
          const fault = this.linkFault(row, expectedSeq, prevHash);
          if (fault) return { ok: false, events: expectedSeq - 1, brokenAt: expectedSeq, reason: fault };
          if (wanted.has(expectedSeq)) hashes.set(expectedSeq, row.hash);
          prevHash = row.hash;
          expectedSeq += 1;
        }
        if (expectedSeq <= headSeq) onProgress?.(expectedSeq - 1, headSeq);
      }
      const events = expectedSeq - 1;
      onProgress?.(events, headSeq);
      if (headSeq !== events || head.hash !== prevHash) return { ok: false, events, brokenAt: events + 1, reason: 'the chain head names events that are missing' };
      // Appends made during the walk move the head with them; events past the head were not appended.
      const beyond = await this.db.read(async (m) => {
        const { rows } = await this.db.execute(m, 'SELECT MAX(e.seq) AS last, MAX(h.seq) AS head FROM audit_events e, audit_head h WHERE h.id = 1');
        return Number(rows[0].last ?? 0) > Number(rows[0].head) ? Number(rows[0].head) + 1 : null;
      });
      if (beyond !== null) return { ok: false, events, brokenAt: beyond, reason: 'events follow the chain head' };
      return { ok: true, events };
    })();
    return { verdict, hashes };
  }

  /** Why `row` is not the link expected at `seq` after `prevHash`, or null when it is. */
  private linkFault(row: AuditEvent, seq: number, prevHash: string): string | null {
    if (Number(row.seq) !== seq) return `event ${seq} is missing`;
    if (row.prevHash !== prevHash) return `event ${seq} does not follow its predecessor`;
    const { hash, ...fields } = row;
    const hashVersion = Number(row.hashVersion);
    if (hashVersion !== 1 && hashVersion !== AUDIT_HASH_VERSION) return `event ${seq} names no known hash rule (version ${row.hashVersion})`;
    if (eventHash({ ...fields, seq, hashVersion }) !== hash) return `event ${seq} was altered`;
    return null;
  }

  private map(row: AuditEvent, names: Names): AuditEventResponse {
    return {
      seq: Number(row.seq),
      at: row.at,
      action: row.action,
      actor: row.actor,
      actorName: names.actors.get(row.actor) ?? null,
      subject: row.subject,
      customerName: row.customerId ? (names.customers.get(row.customerId) ?? null) : null,
      data: JSON.parse(row.data),
      hash: row.hash,
    };
  }
}
