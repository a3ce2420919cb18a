import { Inject, Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../clock/clock';
import { CONFIG, type ServerConfig } from '../config/config';
import { Database } from '../database/database.service';
import type { Channel, Delivery, Outcome, StoredEvent } from './channel';
import { eventsFromAudit, type OutboxEvent } from './events';

/** A delivery still failing this long after its event is given up and marked failed. */
export const GIVE_UP_MS = 3 * 86_400_000;
/** No wait between two tries is longer than this. */
const MAX_RETRY_MS = 12 * 3_600_000;
/** Deliveries one instance takes at a time (each to another recipient). */
const CLAIM_LIMIT = 16;
/** An answer is kept up to this many bytes. */
export const ANSWER_BYTES = 1024;

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'merged';

export interface DeliveryRecord {
  id: number;
  eventId: number;
  type: string;
  recipient: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  createdAt: string;
  finishedAt: string | null;
  answerStatus: number | null;
  answer: string | null;
  error: string | null;
}

/**
 * The transactional outbox. Events are written in the transaction of the change (through the audit
 * chain's writer hook), each with one delivery per recipient; deliveries are taken after commit by
 * {@link claim}, one instance at a time per delivery, and in order per recipient: a delivery waits
 * while an earlier one to the same recipient is pending.
 */
@Injectable()
export class OutboxService {
  private readonly channels = new Map<string, Channel>();
  private wake?: () => void;

  constructor(
    private readonly db: Database,
    audit: AuditService,
    @Inject(CONFIG) private readonly config: ServerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    audit.alsoWrite(async (manager, entries) => this.enqueue(manager, await eventsFromAudit(db, manager, entries)));
  }

  register(channel: Channel): void {
    this.channels.set(channel.name, channel);
  }

  /** The worker's alarm: rung after a transaction writes deliveries, so they go out without waiting for the next poll. */
  onEnqueue(wake: () => void): void {
    this.wake = wake;
  }

  /** Writes events and their deliveries inside the caller's transaction. */
  async enqueue(manager: EntityManager, events: readonly OutboxEvent[]): Promise<void> {
    if (events.length === 0) return;
    const now = this.clock.now();
    const at = now.toISOString();
    // Batched events wait for their second to end, so the second's events leave together.
    const afterSecond = new Date(Math.floor(now.getTime() / 1000) * 1000 + 1000).toISOString();
    let queued = false;
    for (const event of events) {
      const recipients: string[] = [];
      for (const channel of this.channels.values()) recipients.push(...(await channel.recipients(manager, event)));
      if (recipients.length === 0) continue;
      const batchKey = event.batchKey ? `${event.batchKey}@${at.slice(0, 19)}` : null;
      const { rows } = await this.db.execute(manager, 'INSERT INTO outbox_events (type, customer_id, batch_key, data, at) VALUES (?, ?, ?, ?, ?) RETURNING id', [
        event.type,
        event.customerId,
        batchKey,
        JSON.stringify(event.data),
        at,
      ]);
      const eventId = Number(rows[0].id);
      for (const recipient of recipients) {
        await this.db.execute(manager, `INSERT INTO outbox_deliveries (event_id, recipient, status, attempts, next_attempt_at, created_at) VALUES (?, ?, 'pending', 0, ?, ?)`, [
          eventId,
          recipient,
          batchKey ? afterSecond : at,
          at,
        ]);
      }
      queued = true;
    }
    if (queued && this.wake) setTimeout(this.wake, 20).unref();
  }

  /** Writes an event that no audited change carries (a failed verification) in a transaction of its own. */
  async publish(event: OutboxEvent): Promise<void> {
    await this.db.write((manager) => this.enqueue(manager, [event]));
  }

  /**
   * Takes the deliveries that are due, leases them for `leaseMs` and counts the attempt. Several
   * instances on PostgreSQL skip each other's locked rows; a lease left by a killed instance
   * runs out and the delivery is taken again (at least once). A batched delivery takes the
   * pending deliveries of the same batch that follow it to the same recipient along. Reads
   * before it writes: with nothing due, an idle instance takes no lock and commits nothing.
   */
  async claim(leaseMs: number): Promise<Delivery[]> {
    const now = this.clock.now().toISOString();
    const leasedUntil = new Date(this.clock.now().getTime() + leaseMs).toISOString();
    const due = await this.db.read(
      async (manager) =>
        (
          await this.db.execute(
            manager,
            `SELECT 1 AS due FROM outbox_deliveries WHERE status = 'pending' AND next_attempt_at <= ? AND (leased_until IS NULL OR leased_until <= ?) LIMIT 1`,
            [now, now],
          )
        ).rows.length > 0,
    );
    if (!due) return [];
    return this.db.write(async (manager) => {
      const { rows } = await this.db.execute(
        manager,
        `SELECT d.id, d.recipient, d.attempts FROM outbox_deliveries d
         WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND (d.leased_until IS NULL OR d.leased_until <= ?)
           AND NOT EXISTS (SELECT 1 FROM outbox_deliveries e WHERE e.recipient = d.recipient AND e.status = 'pending' AND e.id < d.id)
         ORDER BY d.id LIMIT ${CLAIM_LIMIT}${this.db.sqlite ? '' : ' FOR UPDATE OF d SKIP LOCKED'}`,
        [now, now],
      );
      const deliveries: Delivery[] = [];
      for (const row of rows) {
        const id = Number(row.id);
        await this.mergeBatch(manager, id, row.recipient);
        await this.db.execute(manager, 'UPDATE outbox_deliveries SET leased_until = ?, attempts = attempts + 1 WHERE id = ?', [leasedUntil, id]);
        deliveries.push({ id, recipient: row.recipient, attempt: Number(row.attempts) + 1, events: await this.deliveryEvents(manager, id) });
      }
      return deliveries;
    });
  }

  /** Joins the run of pending deliveries of the same batch that directly follows `id` to the same recipient. */
  private async mergeBatch(manager: EntityManager, id: number, recipient: string): Promise<void> {
    const { rows } = await this.db.execute(manager, 'SELECT e.batch_key FROM outbox_deliveries d JOIN outbox_events e ON e.id = d.event_id WHERE d.id = ?', [id]);
    const batchKey = rows[0]?.batch_key;
    if (!batchKey) return;
    const { rows: next } = await this.db.execute(
      manager,
      `SELECT d.id, e.batch_key FROM outbox_deliveries d JOIN outbox_events e ON e.id = d.event_id
       WHERE d.recipient = ? AND d.status = 'pending' AND d.id > ? ORDER BY d.id`,
      [recipient, id],
    );
    const run: number[] = [];
    for (const row of next) {
      if (row.batch_key !== batchKey) break;
      run.push(Number(row.id));
    }
    if (run.length === 0) return;
    await this.db.execute(manager, `UPDATE outbox_deliveries SET status = 'merged', merged_into = ? WHERE id IN (${run.map(() => '?').join(', ')})`, [id, ...run]);
  }

  private async deliveryEvents(manager: EntityManager, id: number): Promise<StoredEvent[]> {
    const { rows } = await this.db.execute(
      manager,
      `SELECT e.id, e.type, e.customer_id, e.data, e.at FROM outbox_deliveries d JOIN outbox_events e ON e.id = d.event_id WHERE d.id = ? OR d.merged_into = ? ORDER BY d.id`,
      [id, id],
    );
    return rows.map((row) => ({ id: Number(row.id), type: row.type, customerId: row.customer_id, data: JSON.parse(row.data), at: row.at }));
  }

  channel(recipient: string): Channel | undefined {
    return this.channels.get(recipient.slice(0, recipient.indexOf(':')));
  }

  /**
   * Records what a delivery's attempt came to: delivered, tried again after an exponential wait
   * with jitter, or failed once its event is 3 days old (or trying again cannot help).
   */
  async settle(delivery: Delivery, outcome: Outcome): Promise<void> {
    const now = this.clock.now();
    const answer = outcome.answer === undefined ? null : truncateUtf8(outcome.answer, ANSWER_BYTES);
    const error = outcome.error === undefined ? null : outcome.error.slice(0, 500);
    const age = now.getTime() - Date.parse(delivery.events[0].at);
    const status = outcome.ok ? 'delivered' : outcome.final || age >= GIVE_UP_MS ? 'failed' : 'retry';
    await this.db.write(async (manager) => {
      if (status === 'retry') {
        const nextAttemptAt = new Date(now.getTime() + this.retryDelay(delivery.attempt)).toISOString();
        await this.db.execute(manager, 'UPDATE outbox_deliveries SET leased_until = NULL, next_attempt_at = ?, answer_status = ?, answer_body = ?, error = ? WHERE id = ?', [
          nextAttemptAt,
          outcome.status ?? null,
          answer,
          error,
          delivery.id,
        ]);
      } else {
        await this.db.execute(
          manager,
          'UPDATE outbox_deliveries SET status = ?, leased_until = NULL, finished_at = ?, answer_status = ?, answer_body = ?, error = ? WHERE id = ? OR merged_into = ?',
          [status, now.toISOString(), outcome.status ?? null, answer, error, delivery.id, delivery.id],
        );
      }
      await this.channel(delivery.recipient)?.settled?.(manager, delivery, outcome, status);
    });
  }

  /** Exponential back-off with jitter: after try n, between half and all of base × 2^(n-1), capped at 12 hours. */
  retryDelay(attempt: number): number {
    const full = Math.min(this.config.outbox.retryBaseMs * 2 ** Math.min(attempt - 1, 40), MAX_RETRY_MS);
    return Math.ceil(full / 2) + randomInt(0, Math.floor(full / 2) + 1);
  }

  /** Gives a delivery's leases back at start: on SQLite only this process delivers, so a lease left behind is a killed process's. */
  async releaseLeases(): Promise<void> {
    await this.db.write((manager) => this.db.execute(manager, `UPDATE outbox_deliveries SET leased_until = NULL WHERE status = 'pending' AND leased_until IS NOT NULL`));
  }

  /** A recipient's deliveries, newest first (merged ones appear in the delivery that carried them). */
  async listDeliveries(recipient: string, limit: number, before?: number): Promise<DeliveryRecord[]> {
    return this.db.read(async (manager) => {
      const { rows } = await this.db.execute(
        manager,
        `SELECT d.*, e.type FROM outbox_deliveries d JOIN outbox_events e ON e.id = d.event_id
         WHERE d.recipient = ? AND d.status <> 'merged' AND d.id < ? ORDER BY d.id DESC LIMIT ${Math.floor(limit)}`,
        [recipient, before ?? Number.MAX_SAFE_INTEGER],
      );
      return rows.map((row) => this.mapDelivery(row));
    });
  }

  async getDelivery(recipient: string, id: number): Promise<DeliveryRecord | undefined> {
    return this.db.read(async (manager) => {
      const { rows } = await this.db.execute(manager, `SELECT d.*, e.type FROM outbox_deliveries d JOIN outbox_events e ON e.id = d.event_id WHERE d.recipient = ? AND d.id = ?`, [recipient, id]);
      return rows[0] && this.mapDelivery(rows[0]);
    });
  }

  /** Sends a delivery's events again to the same recipient, as new deliveries due now (after any still pending). */
  async sendAgain(recipient: string, id: number): Promise<number> {
    const now = this.clock.now().toISOString();
    const created = await this.db.write(async (manager) => {
      const { rows } = await this.db.execute(manager, 'SELECT event_id FROM outbox_deliveries WHERE recipient = ? AND (id = ? OR merged_into = ?) ORDER BY id', [recipient, id, id]);
      let first = 0;
      for (const row of rows) {
        const { rows: inserted } = await this.db.execute(
          manager,
          `INSERT INTO outbox_deliveries (event_id, recipient, status, attempts, next_attempt_at, created_at) VALUES (?, ?, 'pending', 0, ?, ?) RETURNING id`,
          [row.event_id, recipient, now, now],
        );
        first ||= Number(inserted[0].id);
      }
      return first;
    });
    if (created && this.wake) setTimeout(this.wake, 20).unref();
    return created;
  }

  /** Pending deliveries and the age in seconds of the oldest (for /metrics). */
  async depth(): Promise<{ pending: number; oldestSeconds: number }> {
    return this.db.read(async (manager) => {
      const { rows } = await this.db.execute(manager, `SELECT COUNT(*) AS pending, MIN(created_at) AS oldest FROM outbox_deliveries WHERE status = 'pending'`);
      const oldest = rows[0].oldest as string | null;
      return { pending: Number(rows[0].pending), oldestSeconds: oldest ? Math.max(0, (this.clock.now().getTime() - Date.parse(oldest)) / 1000) : 0 };
    });
  }

  private mapDelivery(row: Record<string, any>): DeliveryRecord {
    return {
      id: Number(row.id),
      eventId: Number(row.event_id),
      type: row.type,
      recipient: row.recipient,
      status: row.status,
      attempts: Number(row.attempts),
      nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
      createdAt: row.created_at,
      finishedAt: row.finished_at ?? null,
      answerStatus: row.answer_status === null || row.answer_status === undefined ? null : Number(row.answer_status),
      answer: row.answer_body ?? null,
      error: row.error ?? null,
    };
  }
}

/** At most `bytes` bytes of `text`, never cutting a character in two. */
export function truncateUtf8(text: string, bytes: number): string {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= bytes) return text;
  let end = bytes;
  // Back off continuation bytes (10xxxxxx) so the cut falls between characters.
  while (end > 0 && (buffer[end] & 0xc0) === 0x80) end -= 1;
  return buffer.subarray(0, end).toString('utf8');
}
