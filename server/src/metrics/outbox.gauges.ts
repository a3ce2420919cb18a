import { Logger } from '@nestjs/common';
import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { OutboxService } from '../outbox/outbox.service';

type Depth = Awaited<ReturnType<OutboxService['depth']>>;

/** A gauge read from the outbox at each scrape; a failed read leaves it out rather than failing the scrape. */
function outboxGauge(name: string, help: string, value: (depth: Depth) => number) {
  return makeGaugeProvider({
    name,
    help,
    inject: [OutboxService],
    async collect(this: Gauge, outbox: OutboxService) {
      this.reset();
      try {
        this.set(value(await outbox.depth()));
      } catch (error) {
        new Logger('Metrics').warn(`Outbox not read: ${(error as Error).message}`);
      }
    },
  });
}

export const outboxPending = outboxGauge('seatlock_outbox_pending', 'Outbox deliveries (webhook requests, e-mails) not yet delivered nor given up', (depth) => depth.pending);

export const outboxOldestPending = outboxGauge('seatlock_outbox_oldest_pending_seconds', 'Age of the oldest outbox delivery still pending (0 when none is)', (depth) => depth.oldestSeconds);
