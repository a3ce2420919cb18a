import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from './api-token.entity';

export interface Principal {
  tokenId: string;
  role: Role;
}

/** Who does something, as the review rules see it: the audit actor and its role. */
export interface Caller {
  actor: string;
  role: Role;
}

/** The operator at seatlock-admin, who holds the database itself. */
export const CLI_CALLER: Caller = { actor: 'cli', role: 'admin' };

function principalOf(context: ExecutionContext): Principal | undefined {
  return context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
}

/** The audit actor for the authenticated caller. */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const principal = principalOf(context);
  return principal ? `token:${principal.tokenId}` : 'anonymous';
});

/** The authenticated caller with its role, for rules that depend on who asks (four-eyes review). */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const principal = principalOf(context);
  if (!principal) throw new Error('CurrentCaller is only for routes that need a token.');
  return { actor: `token:${principal.tokenId}`, role: principal.role };
});

/** The caller's address, as the rate limiter sees it. */
export const ClientAddress = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  return context.switchToHttp().getRequest<{ ip: string }>().ip;
});
