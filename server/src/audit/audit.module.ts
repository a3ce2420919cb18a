import { Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** The hash-chained log every module appends to (its routes and checkpoints: AuditCheckpointsModule). */
@Module({
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
