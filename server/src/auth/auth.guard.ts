import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SeatlockError } from '@seatlock/shared';
import { readSessionCookie } from './session-cookie';
import { SessionsService } from './sessions.service';
import type { Role } from './api-token.entity';
import type { Principal } from './principal';
import { FailureRateLimiter } from './rate-limiter';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { isSameOriginOrSafe, type OriginFacts } from './same-origin';
import { TokensService } from './tokens.service';

type GuardedRequest = OriginFacts & { headers: Record<string, string | undefined>; ip: string; principal?: Principal };

/**
 * Every route needs a principal with an allowed role unless it is marked @Public(); admin may do
 * everything. Scripts authenticate with `Authorization: Bearer <token>`, people with the session
 * cookie; a cookie-authenticated request that changes state must come from this server's origin.
 * An address the rate limiter holds is refused before its token or session is looked at.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
    private readonly sessions: SessionsService,
    private readonly limiter: FailureRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const principal = await this.authenticate(request);
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (principal.role !== 'admin' && !roles.includes(principal.role)) {
      throw new SeatlockError('FORBIDDEN', `The ${principal.role} role may not do this.`);
    }
    request.principal = principal;
    return true;
  }

  private async authenticate(request: GuardedRequest): Promise<Principal> {
    this.limiter.assertAllowed(request.ip);
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!match) throw new SeatlockError('UNAUTHORIZED', 'The Authorization header must be "Bearer <token>".');
      const principal = await this.tokens.authenticate(match[1]);
      if (!principal) return this.limiter.fail(request.ip, new SeatlockError('UNAUTHORIZED', 'The token is not valid.'));
      return principal;
    }
    const session = readSessionCookie(request.headers.cookie);
    if (session === undefined) throw new SeatlockError('UNAUTHORIZED', 'This route needs an Authorization: Bearer <token> header or a signed-in session.');
    const principal = await this.sessions.authenticate(session);
    if (!principal) return this.limiter.fail(request.ip, new SeatlockError('UNAUTHORIZED', 'The session has ended; sign in again.'));
    if (!isSameOriginOrSafe(request)) throw new SeatlockError('FORBIDDEN', 'A signed-in request that changes something must come from this server\'s own origin.');
    return principal;
  }
}
