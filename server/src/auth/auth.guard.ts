import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SeatlockError } from '@seatlock/shared';
import type { Role } from './api-token.entity';
import type { Principal } from './principal';
import { FailureRateLimiter } from './rate-limiter';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { TokensService } from './tokens.service';

/**
 * Every route needs a bearer token with an allowed role unless it is marked @Public(); admin may
 * do everything. An address the rate limiter holds is refused before its token is looked at.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly limiter: FailureRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; ip: string; principal?: Principal }>();
    this.limiter.assertAllowed(request.ip);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match) throw new SeatlockError('UNAUTHORIZED', 'This route needs an Authorization: Bearer <token> header.');
    const principal = await this.tokens.authenticate(match[1]);
    if (!principal) return this.limiter.fail(request.ip, new SeatlockError('UNAUTHORIZED', 'The token is not valid.'));
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (principal.role !== 'admin' && !roles.includes(principal.role)) {
      throw new SeatlockError('FORBIDDEN', `The ${principal.role} role may not do this.`);
    }
    request.principal = principal;
    return true;
  }
}
