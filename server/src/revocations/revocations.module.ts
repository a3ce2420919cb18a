import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { SigningModule } from '../signing/signing.module';
import { RevocationsService } from './revocations.service';

@Module({
  imports: [AuditModule, SigningModule],
  providers: [RevocationsService],
  exports: [RevocationsService],
})
export class RevocationsModule {}
