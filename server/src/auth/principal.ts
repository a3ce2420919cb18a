import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from './api-token.entity';

export interface Principal {
  /** What authenticated the request: a bearer token, or a signed-in user's session cookie. */
  kind: 'token' | 'user';
  /** The token's or the user's id. */
  id: string;
  role: Role;
  /** The one customer a `customer` principal acts for; null for staff. */
  customerId: string | null;
}

type RequestWithPrincipal = { principal?: Principal };

/** The authenticated caller (routes that are not @Public() always have one). */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal | undefined => {
  return context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
});

/** The audit actor for the authenticated caller: `token:<id>` or `user:<id>`. */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  return principal ? `${principal.kind}:${principal.id}` : 'anonymous';
});

/**
 * The customer the caller is confined to: a customer principal's own, undefined for staff.
 * Services given one answer another customer's objects with NOT_FOUND.
 */
export const CustomerScope = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  return principal?.role === 'customer' ? (principal.customerId ?? undefined) : undefined;
});

/** The caller's address, as the rate limiter sees it. */
export const ClientAddress = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  return context.switchToHttp().getRequest<{ ip: string }>().ip;
});
