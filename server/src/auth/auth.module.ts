import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { OutboxModule } from '../outbox/outbox.module';
import { CustomersModule } from '../customers/customers.module';
import { AuthGuard } from './auth.guard';
import { FailureRateLimiter } from './rate-limiter';
import { SessionController } from './session.controller';
import { SessionsService } from './sessions.service';
import { TokensController } from './tokens.controller';
import { TokensService } from './tokens.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Principals: bearer tokens for scripts, users with passwords and session cookies for people. */
@Module({
  imports: [AuditModule, CustomersModule, OutboxModule],
  controllers: [TokensController, UsersController, SessionController],
  providers: [TokensService, UsersService, SessionsService, FailureRateLimiter, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [TokensService, FailureRateLimiter],
})
export class AuthModule {}
