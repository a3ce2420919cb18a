import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from './api-token.entity';

export interface Principal {
  tokenId: string;
  role: Role;
}

/** The audit actor for the authenticated caller. */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const principal = context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
  return principal ? `token:${principal.tokenId}` : 'anonymous';
});

/** The caller's address, as the rate limiter sees it. */
export const ClientAddress = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  return context.switchToHttp().getRequest<{ ip: string }>().ip;
});
