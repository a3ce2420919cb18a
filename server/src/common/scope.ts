import { SeatlockError } from '@seatlock/shared';

/**
 * The customer a query is about: a scoped caller's own (naming another customer answers
 * NOT_FOUND, never FORBIDDEN, so ids of others are not confirmed), else the one asked for.
 */
export function customerWithin(scope: string | undefined, requested: string | undefined): string | undefined {
  if (scope !== undefined && requested !== undefined && requested !== scope) throw new SeatlockError('NOT_FOUND', `No customer with id ${requested}.`);
  return scope ?? requested;
}

/** The where-clause part that keeps a scoped caller to its own customer's rows (nothing for staff). */
export function scopeWhere(scope: string | undefined): { customerId?: string } {
  return scope === undefined ? {} : { customerId: scope };
}
