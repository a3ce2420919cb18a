import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CustomersModule } from '../customers/customers.module';
import { PoolsModule } from '../pools/pools.module';
import { TrialsController } from './trials.controller';
import { TrialsService } from './trials.service';

@Module({
  imports: [AuditModule, CustomersModule, PoolsModule],
  controllers: [TrialsController],
  providers: [TrialsService],
})
export class TrialsModule {}
