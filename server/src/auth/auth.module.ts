import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { AuthGuard } from './auth.guard';
import { FailureRateLimiter } from './rate-limiter';
import { TokensController } from './tokens.controller';
import { TokensService } from './tokens.service';

@Module({
  imports: [AuditModule],
  controllers: [TokensController],
  providers: [TokensService, FailureRateLimiter, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokensService, FailureRateLimiter],
})
export class AuthModule {}
