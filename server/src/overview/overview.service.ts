import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { reviewDeadlines } from '../common/application.entity';
import { lookUpNames } from '../common/names';
import { customerWithin } from '../common/scope';
import { addDays, CLOCK, type Clock } from '../clock/clock';
import { Database } from '../database/database.service';
import type { ActivationsOverviewDto, OverviewPoolDto, PoolSeatsDto, ReviewCountsDto, ReviewOverviewDto, SeatsOverviewDto, TrialEndingDto, TrialsOverviewDto } from './responses';

const DAY_MS = 86_400_000;

/** How full a pool is, per mille rounded down: the expression of the index pools_fill. */
const FILL = '(seats_used * 1000 / seats)';

/** The pool columns the overview's lists read. */
const POOL_COLUMNS = 'id, kind, customer_id, product, modality, seats, seats_used, expires_at';

/** A pool's row (`POOL_COLUMNS`) as the overview lists it. */
function overviewPool(row: Record<string, any>, names: ReadonlyMap<string, string>): OverviewPoolDto {
  return {
    poolId: row.id,
    customerId: row.customer_id,
    customerName: names.get(row.customer_id) ?? null,
    product: row.product,
    modality: row.modality,
    seats: Number(row.seats),
    seatsUsed: Number(row.seats_used),
  };
}

/**
 * What the console's overview shows, each figure one aggregate query in the database (never a
 * walk over devices): seats per pool, trials near their end, activations per UTC day, and the
 * review queue. A customer (`scope`) sees its own; staff everyone's, or one customer's.
 */
@Injectable()
export class OverviewService {
  constructor(
    private readonly db: Database,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Pools that have not ended, at or above `minPercent` of their seats used, the fullest first. */
  async seats(filter: { minPercent: number; limit: number; customerId?: string }, scope?: string): Promise<SeatsOverviewDto> {
    const customerId = customerWithin(scope, filter.customerId);
    // How full a pool is, in per mille rounded down, as the index pools_fill holds it: at least
    // 10 × minPercent per mille is exactly at least minPercent percent.
    const where = `${FILL} >= ? AND (expires_at IS NULL OR expires_at > ?)${customerId ? ' AND customer_id = ?' : ''}`;
    const params = [filter.minPercent * 10, this.clock.now().toISOString(), ...(customerId ? [customerId] : [])];
    return this.db.read(async (m) => {
      const { rows } = await this.db.execute(m, `SELECT ${POOL_COLUMNS} FROM pools WHERE ${where} ORDER BY ${FILL} DESC, id DESC LIMIT ?`, [...params, filter.limit]);
      const counts = await this.db.execute(m, `SELECT COUNT(*) AS matching, COALESCE(SUM(CASE WHEN ${FILL} >= 1000 THEN 1 ELSE 0 END), 0) AS full_pools FROM pools WHERE ${where}`, params);
      const names = await this.customerNames(m, rows);
      const items = rows.map((row): PoolSeatsDto => {
        const pool = overviewPool(row, names);
        return { ...pool, kind: row.kind, seatsLeft: pool.seats - pool.seatsUsed, percentUsed: Math.floor((pool.seatsUsed * 100) / pool.seats), expiresAt: row.expires_at };
      });
      return { items, matching: Number(counts.rows[0].matching), full: Number(counts.rows[0].full_pools) };
    });
  }

  /** Trials still running, ending within `withinDays` (any time without it), the soonest first. */
  async trials(filter: { withinDays?: number; limit: number; customerId?: string }, scope?: string): Promise<TrialsOverviewDto> {
    const customerId = customerWithin(scope, filter.customerId);
    const now = this.clock.now();
    const where = `kind = 'trial' AND expires_at > ?${filter.withinDays === undefined ? '' : ' AND expires_at <= ?'}${customerId ? ' AND customer_id = ?' : ''}`;
    const params = [now.toISOString(), ...(filter.withinDays === undefined ? [] : [addDays(now, filter.withinDays).toISOString()]), ...(customerId ? [customerId] : [])];
    return this.db.read(async (m) => {
      const { rows } = await this.db.execute(m, `SELECT ${POOL_COLUMNS} FROM pools WHERE ${where} ORDER BY expires_at, id LIMIT ?`, [...params, filter.limit]);
      const counts = await this.db.execute(m, `SELECT COUNT(*) AS matching FROM pools WHERE ${where}`, params);
      const names = await this.customerNames(m, rows);
      const items = rows.map((row): TrialEndingDto => ({ ...overviewPool(row, names), expiresAt: row.expires_at, daysLeft: Math.ceil((Date.parse(row.expires_at) - now.getTime()) / DAY_MS) }));
      return { items, matching: Number(counts.rows[0].matching) };
    });
  }

  /** New devices per UTC day over the last `days` days (today included), every day present. */
  async activations(filter: { days: number; customerId?: string }, scope?: string): Promise<ActivationsOverviewDto> {
    const customerId = customerWithin(scope, filter.customerId);
    const today = Math.floor(this.clock.now().getTime() / DAY_MS) * DAY_MS;
    const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const from = today - (filter.days - 1) * DAY_MS;
    // Across customers, the counter the activation transaction keeps (one row a day); one
    // customer's devices through the index on (customer_id, activated_at), whose first ten
    // characters are the UTC day.
    const { rows } = await this.db.read((m) =>
      customerId
        ? this.db.execute(
            m,
            'SELECT substr(activated_at, 1, 10) AS day, COUNT(*) AS activations FROM devices WHERE customer_id = ? AND activated_at >= ? GROUP BY substr(activated_at, 1, 10)',
            [customerId, new Date(from).toISOString()],
          )
        : this.db.execute(m, 'SELECT day, activations FROM activations_per_day WHERE day >= ?', [dayOf(from)]),
    );
    const counted = new Map(rows.map((row) => [row.day as string, Number(row.activations)]));
    const days = Array.from({ length: filter.days }, (_, i) => {
      const day = dayOf(from + i * DAY_MS);
      return { day, activations: counted.get(day) ?? 0 };
    });
    return { timeZone: 'UTC', days, total: days.reduce((sum, day) => sum + day.activations, 0) };
  }

  /**
   * How many orders and trials wait for review, how many of them are overdue (the lists' own
   * `overdue` rule, `reviewDeadlines`), and the earliest due date: one statement over both tables,
   * each read through its status index, where three queries a kind took up to 100 ms at p99 beside
   * the bench's activation load.
   */
  async review(): Promise<ReviewOverviewDto> {
    const { overdueBefore } = reviewDeadlines(this.clock.now());
    const counts = (table: string) =>
      `SELECT '${table}' AS kind, COUNT(*) AS submitted, SUM(CASE WHEN review_due_at < ? THEN 1 ELSE 0 END) AS overdue, MIN(review_due_at) AS next_due_at FROM ${table} WHERE status = 'submitted'`;
    const { rows } = await this.db.read((m) => this.db.execute(m, `${counts('orders')} UNION ALL ${counts('trials')}`, [overdueBefore, overdueBefore]));
    const of = (kind: string): ReviewCountsDto => {
      const row = rows.find((r) => r.kind === kind);
      return { submitted: Number(row?.submitted ?? 0), overdue: Number(row?.overdue ?? 0) };
    };
    const due = rows.map((row) => row.next_due_at as string | null).filter((at): at is string => at !== null).sort();
    return { orders: of('orders'), trials: of('trials'), nextDueAt: due[0] ?? null };
  }

  private async customerNames(m: EntityManager, rows: Record<string, any>[]): Promise<ReadonlyMap<string, string>> {
    return (await lookUpNames(m, { customerIds: rows.map((row) => row.customer_id as string) })).customers;
  }
}
