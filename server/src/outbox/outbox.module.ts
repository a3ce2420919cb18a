import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { OutboxService } from './outbox.service';
import { OutboxWorker } from './outbox.worker';

/** Events written with the changes that cause them, and delivered after commit through the channels other modules register. */
@Module({
  imports: [AuditModule],
  providers: [OutboxService, OutboxWorker],
  exports: [OutboxService, OutboxWorker],
})
export class OutboxModule {}
