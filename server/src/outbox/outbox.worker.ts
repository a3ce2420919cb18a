import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, type ServerConfig } from '../config/config';
import { Database } from '../database/database.service';
import { outboxDeliveries } from '../metrics/metrics';
import type { Delivery, Outcome } from './channel';
import { OutboxService } from './outbox.service';

/**
 * Sends what the outbox holds, on a serving instance: takes the deliveries that are due, sends each
 * through its channel, records the outcome, and looks again at once while there was work, else
 * after the poll interval (or when a transaction of this instance wrote deliveries).
 */
@Injectable()
export class OutboxWorker implements OnApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;

  constructor(
    private readonly outbox: OutboxService,
    private readonly db: Database,
    @Inject(CONFIG) private readonly config: ServerConfig,
  ) {}

  /** A lease outlasts the longest request, so a delivery in flight is not taken by another instance. */
  get leaseMs(): number {
    return 2 * this.config.webhooks.timeoutSeconds * 1000 + 5_000;
  }

  async start(): Promise<void> {
    this.stopped = false;
    if (this.db.sqlite) await this.outbox.releaseLeases();
    this.outbox.onEnqueue(() => this.soon(0));
    this.soon(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private soon(ms: number): void {
    if (this.stopped || this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.round()
        .catch((error: Error) => {
          this.logger.warn(`Outbox round failed: ${error.message}`);
          return 0;
        })
        .then((sent) => {
          this.running = undefined;
          this.soon(sent > 0 ? 0 : this.config.outbox.pollMs);
        });
    }, ms);
    this.timer.unref();
  }

  /** One round: what is due now, each delivery to its own recipient, side by side. Answers how many were taken. */
  async round(): Promise<number> {
    const deliveries = await this.outbox.claim(this.leaseMs);
    await Promise.all(deliveries.map((delivery) => this.send(delivery)));
    return deliveries.length;
  }

  private async send(delivery: Delivery): Promise<void> {
    const channel = this.outbox.channel(delivery.recipient);
    let outcome: Outcome;
    try {
      outcome = channel ? await channel.deliver(delivery) : { ok: false, final: true, error: `no channel delivers to ${delivery.recipient}` };
    } catch (error) {
      outcome = { ok: false, error: (error as Error).message };
    }
    outboxDeliveries.inc({ channel: channel?.name ?? 'none', result: outcome.ok ? 'delivered' : 'failed' });
    await this.outbox.settle(delivery, outcome);
  }
}
