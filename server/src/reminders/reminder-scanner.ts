import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { reviewDeadlines } from '../common/application.entity';
import { addDays, CLOCK, type Clock } from '../clock/clock';
import { CONFIG, type ServerConfig } from '../config/config';
import { Database } from '../database/database.service';
import type { OutboxEvent, PersonalEventType } from '../outbox/events';
import { OutboxService } from '../outbox/outbox.service';

/** A trial's people hear this many days before its end. */
export const TRIAL_ENDING_DAYS = 7;
/** Rows read per query; a scan reads again while it finds this many. */
const SCAN_BATCH = 100;

/**
 * One reminder: the rows that have it due (a row's stage is one of `from` and its deadline has
 * come), the stage it moves them to, and the event each such row is told as.
 */
export interface Reminder {
  table: 'orders' | 'trials' | 'pools';
  column: 'review_reminder' | 'expiry_reminder';
  from: readonly string[];
  to: string;
  /**
   * The deadline condition, on the table's own columns, with one `?` for `deadline`. It repeats,
   * word for word, the condition of the table's partial index of rows still to be reminded.
   */
  due: string;
  deadline: string;
  /** Columns the event is made from. */
  select: string;
  event(row: Record<string, any>): OutboxEvent;
}

/**
 * Reminders that no request triggers: to staff, a submitted order or trial due for review within a
 * business day and one overdue (as the review lists read it, {@link reviewDeadlines}); to the
 * customer's people, a trial ending in 7 days and one that ended. Each serving instance scans on an
 * interval (SEATLOCK_REMINDER_SCAN_SECONDS). The scan reads first, through partial indexes that hold
 * only rows with a reminder still to come; a reminder is then queued in the same transaction that moves
 * its row's stage on, by an UPDATE that re-checks the stage, so each is queued once per row and
 * kind however many scans run (another instance's UPDATE waits for this one and then matches nothing).
 */
@Injectable()
export class ReminderScanner implements OnApplicationShutdown {
  private readonly logger = new Logger('Reminders');
  private ticker?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly db: Database,
    private readonly outbox: OutboxService,
    @Inject(CONFIG) private readonly config: ServerConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Scans now and then every interval; a scan still running when the next is due is not doubled. */
  start(): void {
    this.ticker = setInterval(() => this.tick(), this.config.outbox.reminderScanSeconds * 1000).unref();
    this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.ticker);
    await this.running;
  }

  private tick(): void {
    this.running ??= this.scan()
      .catch((error: Error) => this.logger.warn(`Reminder scan failed: ${error.message}`))
      .finally(() => (this.running = undefined));
  }

  /** Queues every reminder that has come due and was not queued before. Answers how many were queued. */
  async scan(): Promise<number> {
    let queued = 0;
    for (const reminder of remindersAt(this.clock.now())) {
      for (;;) {
        const { found, sent } = await this.remind(reminder);
        queued += sent;
        if (found < SCAN_BATCH) break;
      }
    }
    return queued;
  }

  /** One batch of one reminder: read (no write while nothing is due), then queue each row whose stage this transaction moves on. */
  private async remind(reminder: Reminder): Promise<{ found: number; sent: number }> {
    const read = dueRows(reminder);
    const rows = await this.db.read(async (manager) => (await this.db.execute(manager, read.sql, read.params)).rows);
    if (rows.length === 0) return { found: 0, sent: 0 };
    const sent = await this.db.write(async (manager) => {
      const events: OutboxEvent[] = [];
      for (const row of rows) {
        const { affected } = await this.db.execute(manager, `UPDATE ${reminder.table} SET ${reminder.column} = ? WHERE id = ? AND ${read.where}`, [reminder.to, row.id, ...read.params]);
        if (affected === 1) events.push(reminder.event(row));
      }
      await this.outbox.enqueue(manager, events);
      return events.length;
    });
    return { found: rows.length, sent };
  }
}

/** The reminders as of `now`, later stages first: an application found already overdue is told so, not also that it is due soon. */
export function remindersAt(now: Date): Reminder[] {
  const { overdueBefore, dueSoonBy } = reviewDeadlines(now);
  const review = (table: 'orders' | 'trials', from: readonly string[], to: 'overdue' | 'due_soon', due: string, deadline: string): Reminder => {
    const kind = table === 'orders' ? 'order' : 'trial';
    return {
      table,
      column: 'review_reminder',
      from,
      to,
      due: `status = 'submitted' AND review_reminder <> 'overdue' AND ${due}`,
      deadline,
      select: 'id, customer_id, product, review_due_at',
      event: (row) => ({
        type: `${kind}.review_${to}` as PersonalEventType,
        customerId: row.customer_id,
        data: { [`${kind}Id`]: row.id, customerId: row.customer_id, product: row.product, reviewDueAt: row.review_due_at },
      }),
    };
  };
  const trialEnd = (from: readonly string[], to: 'ended' | 'ending', deadline: string): Reminder => ({
    table: 'pools',
    column: 'expiry_reminder',
    from,
    to,
    due: `kind = 'trial' AND expiry_reminder <> 'ended' AND expires_at <= ?`,
    deadline,
    select: 'id, customer_id, product, expires_at, (SELECT t.id FROM trials t WHERE t.pool_id = pools.id) AS trial_id',
    event: (row) => ({
      type: `trial.${to}`,
      customerId: row.customer_id,
      data: { trialId: row.trial_id, poolId: row.id, customerId: row.customer_id, product: row.product, expiresAt: row.expires_at },
    }),
  });
  return [
    ...(['orders', 'trials'] as const).flatMap((table) => [
      review(table, ['none', 'due_soon'], 'overdue', 'review_due_at < ?', overdueBefore),
      review(table, ['none'], 'due_soon', 'review_due_at <= ?', dueSoonBy),
    ]),
    trialEnd(['none', 'ending'], 'ended', now.toISOString()),
    trialEnd(['none'], 'ending', addDays(now, TRIAL_ENDING_DAYS).toISOString()),
  ];
}

/** The read of a batch of rows that have `reminder` due, and its condition (which the UPDATE re-checks). */
export function dueRows(reminder: Reminder): { sql: string; where: string; params: string[] } {
  const where = `${reminder.column} IN (${reminder.from.map(() => '?').join(', ')}) AND ${reminder.due}`;
  return { sql: `SELECT ${reminder.select} FROM ${reminder.table} WHERE ${where} LIMIT ${SCAN_BATCH}`, where, params: [...reminder.from, reminder.deadline] };
}
