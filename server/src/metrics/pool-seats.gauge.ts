import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { Database } from '../database/database.service';

/** A pool is reported once fewer than this share of its seats is free: the ones a sale should follow up. */
const LOW_SHARE = 0.1;

/** Seats free in each pool that has less than 10 % free, read from the database at each scrape. */
export const poolSeatsFree = makeGaugeProvider({
  name: 'seatlock_pool_seats_free',
  help: 'Seats still free in pools with less than 10 % of their seats free, by pool and customer',
  labelNames: ['pool', 'customer'],
  inject: [Database],
  async collect(this: Gauge, db: Database) {
    const { rows } = await db.read((manager) =>
      db.execute(manager, 'SELECT id, customer_id, seats, seats_used FROM pools WHERE seats - seats_used < seats * ?', [LOW_SHARE]),
    );
    this.reset();
    for (const row of rows) this.set({ pool: String(row.id), customer: String(row.customer_id) }, Number(row.seats) - Number(row.seats_used));
  },
});
