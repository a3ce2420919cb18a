import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CustomersModule } from '../customers/customers.module';
import { PoolsModule } from '../pools/pools.module';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';

@Module({
  imports: [AuditModule, CustomersModule, PoolsModule],
  controllers: [OrdersController],
  providers: [OrdersService],
})
export class OrdersModule {}
