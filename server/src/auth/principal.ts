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
  /**
   * Who stands behind the credential: `user:<id>` for a person's session and every token that
   * person's credentials minted, `cli` for the operator's terminal and what it minted, and
   * `token:<id>` for a token no one traceable minted (SEATLOCK_ADMIN_TOKEN, tokens from before
   * creators were recorded) and what it minted.
   */
  person: string;
}

/** Who does something, as the review rules see it: the audit actor, its role and the person behind it. */
export interface Caller {
  actor: string;
  role: Role;
  person: string;
}

/** The operator at seatlock-admin, who holds the database itself. */
export const CLI_CALLER: Caller = { actor: 'cli', role: 'admin', person: 'cli' };

function principalOf(context: ExecutionContext): Principal | undefined {
  return context.switchToHttp().getRequest<{ principal?: Principal }>().principal;
}

/** The audit actor of a principal: `token:<id>` or `user:<id>`. */
export function actorOf(principal: Principal): string {
  return `${principal.kind}:${principal.id}`;
}

/** The authenticated caller (routes that are not @Public() always have one). */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal | undefined => principalOf(context));

/** The audit actor for the authenticated caller. */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const principal = principalOf(context);
  return principal ? actorOf(principal) : 'anonymous';
});

/** The authenticated caller with its role, for rules that depend on who asks (four-eyes review). */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const principal = principalOf(context);
  if (!principal) throw new Error('CurrentCaller is only for routes that need a principal.');
  return { actor: actorOf(principal), role: principal.role, person: principal.person };
});

/**
 * The customer the caller is confined to: a customer principal's own, undefined for staff.
 * Services given one answer another customer's objects with NOT_FOUND.
 */
export const CustomerScope = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined => {
  const principal = principalOf(context);
  return principal?.role === 'customer' ? (principal.customerId ?? undefined) : undefined;
});

/** The caller's address, as the rate limiter sees it. */
export const ClientAddress = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  return context.switchToHttp().getRequest<{ ip: string }>().ip;
});
