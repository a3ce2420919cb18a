import { Module } from '@nestjs/common';
import { ActivationsModule } from './activations/activations.module';
import { AuditCheckpointsModule } from './audit/audit-checkpoints.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CatalogModule } from './catalog/catalog.module';
import { ClockModule } from './clock/clock.module';
import { ConfigModule } from './config/config.module';
import { CustomersModule } from './customers/customers.module';
import { DatabaseModule } from './database/database.module';
import { DevicesModule } from './devices/devices.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MailModule } from './mail/mail.module';
import { MetricsModule } from './metrics/metrics.module';
import { OrdersModule } from './orders/orders.module';
import { OutboxModule } from './outbox/outbox.module';
import { OverviewModule } from './overview/overview.module';
import { PoolsModule } from './pools/pools.module';
import { RemindersModule } from './reminders/reminders.module';
import { RevocationsModule } from './revocations/revocations.module';
import { SigningModule } from './signing/signing.module';
import { TrialsModule } from './trials/trials.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({
  imports: [
    ConfigModule,
    ClockModule,
    DatabaseModule,
    AuditModule,
    AuditCheckpointsModule,
    AuthModule,
    SigningModule,
    CatalogModule,
    CustomersModule,
    PoolsModule,
    OrdersModule,
    TrialsModule,
    DevicesModule,
    ActivationsModule,
    RevocationsModule,
    OverviewModule,
    // Telling people and systems what happened: the outbox and its channels.
    OutboxModule,
    WebhooksModule,
    MailModule,
    RemindersModule,
    HealthModule,
    // Operating the server: JSON request logs and Prometheus metrics.
    LoggingModule,
    MetricsModule,
  ],
})
export class AppModule {}
