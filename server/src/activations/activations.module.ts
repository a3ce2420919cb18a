import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { PoolsModule } from '../pools/pools.module';
import { SigningModule } from '../signing/signing.module';
import { ActivationWriter } from './activation-writer';
import { ActivationsController } from './activations.controller';
import { ActivationsService } from './activations.service';

@Module({
  imports: [AuditModule, AuthModule, PoolsModule, SigningModule],
  controllers: [ActivationsController],
  providers: [ActivationsService, ActivationWriter],
  exports: [ActivationsService],
})
export class ActivationsModule {}
