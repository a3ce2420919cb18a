import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { KeysService } from './keys.service';
import { LicenseSigner } from './license-signer';
import { TrustController } from './trust.controller';

@Module({
  imports: [AuditModule],
  controllers: [TrustController],
  providers: [KeysService, LicenseSigner],
  exports: [KeysService, LicenseSigner],
})
export class SigningModule {}
