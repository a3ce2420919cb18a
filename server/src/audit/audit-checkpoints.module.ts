import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { SigningModule } from '../signing/signing.module';
import { AuditCheckpoints } from './audit-checkpoints.service';
import { AuditController } from './audit.controller';
import { AuditModule } from './audit.module';

/**
 * The audit surface: checkpoints, verification and the HTTP routes. Apart from AuditModule (the
 * chain itself) because signing appends to the chain while checkpoints are signed by its keys.
 */
@Module({
  imports: [AuditModule, SigningModule, OutboxModule],
  controllers: [AuditController],
  providers: [AuditCheckpoints],
  exports: [AuditCheckpoints],
})
export class AuditCheckpointsModule {}
