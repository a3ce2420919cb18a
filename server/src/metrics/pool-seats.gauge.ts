import { Logger } from '@nestjs/common';
import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { Database } from '../database/database.service';

/** Seats free in each pool that has less than 10 % free, read from the database at each scrape. */
export const poolSeatsFree = makeGaugeProvider({
  name: 'seatlock_pool_seats_free',
  help: 'Seats still free in pools with less than 10 % of their seats free, by pool and customer',
  labelNames: ['pool', 'customer'],
  inject: [Database],
  async collect(this: Gauge, db: Database) {
    this.reset();
    let rows: Record<string, unknown>[];
    try {
      // Under 10 % free, in whole numbers: the pools a sale should follow up.
      ({ rows } = await db.read((manager) => db.execute(manager, 'SELECT id, customer_id, seats, seats_used FROM pools WHERE (seats - seats_used) * 10 < seats')));
    } catch (error) {
      // The rest of the scrape (process metrics, request counts) matters most when the database is down.
      new Logger('Metrics').warn(`Pool seats not read: ${(error as Error).message}`);
      return;
    }
    for (const row of rows) this.set({ pool: String(row.id), customer: String(row.customer_id) }, Number(row.seats) - Number(row.seats_used));
  },
});
