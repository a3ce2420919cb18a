import { Module } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { AuthModule } from '../auth/auth.module';
import { OutboxModule } from '../outbox/outbox.module';
import { MetricsController } from './metrics.controller';
import { outboxOldestPending, outboxPending } from './outbox.gauges';
import { poolSeatsFree } from './pool-seats.gauge';

/** /metrics: Node's default process metrics, the server's own (metrics.ts), the pools running out of seats and the outbox's backlog. */
@Module({
  imports: [
    PrometheusModule.registerAsync({
      // The controller is declared in PrometheusModule: it checks its token with the rate limiter from there.
      imports: [AuthModule],
      controller: MetricsController,
      useFactory: () => ({ path: 'metrics', defaultMetrics: { enabled: true } }),
    }),
    OutboxModule,
  ],
  providers: [poolSeatsFree, outboxPending, outboxOldestPending],
})
export class MetricsModule {}
