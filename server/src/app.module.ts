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
import { HealthController } from './health/health.controller';
import { OrdersModule } from './orders/orders.module';
import { PoolsModule } from './pools/pools.module';
import { RevocationsModule } from './revocations/revocations.module';
import { SigningModule } from './signing/signing.module';
import { TrialsModule } from './trials/trials.module';

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
  ],
  controllers: [HealthController],
})
export class AppModule {}
