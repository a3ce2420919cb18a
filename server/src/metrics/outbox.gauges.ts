import { Logger } from '@nestjs/common';
import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { OutboxService } from '../outbox/outbox.service';

/** Reads the outbox at each scrape; a failed read leaves the gauge out rather than failing the scrape. */
async function readDepth(outbox: OutboxService): Promise<{ pending: number; oldestSeconds: number } | undefined> {
  try {
    return await outbox.depth();
  } catch (error) {
    new Logger('Metrics').warn(`Outbox not read: ${(error as Error).message}`);
    return undefined;
  }
}

export const outboxPending = makeGaugeProvider({
  name: 'seatlock_outbox_pending',
  help: 'Outbox deliveries (webhook requests, e-mails) not yet delivered nor given up',
  inject: [OutboxService],
  async collect(this: Gauge, outbox: OutboxService) {
    this.reset();
    const depth = await readDepth(outbox);
    if (depth) this.set(depth.pending);
  },
});

export const outboxOldestPending = makeGaugeProvider({
  name: 'seatlock_outbox_oldest_pending_seconds',
  help: 'Age of the oldest outbox delivery still pending (0 when none is)',
  inject: [OutboxService],
  async collect(this: Gauge, outbox: OutboxService) {
    this.reset();
    const depth = await readDepth(outbox);
    if (depth) this.set(depth.oldestSeconds);
  },
});
