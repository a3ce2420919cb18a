import { SeatlockError } from '@seatlock/shared';
import type { Caller } from '../auth/principal';
import type { ReviewedApplication } from './application.entity';

/**
 * Four-eyes review: whoever submitted an application may not approve it, and an application
 * that carries a negotiated price (every order above the list-price limit does) needs an admin
 * to approve it, as it needed one to enter the price.
 */
export function assertMayApprove(application: ReviewedApplication, what: string, reviewer: Caller, needsAdmin: boolean): void {
  if (application.submittedBy === reviewer.actor) {
    throw new SeatlockError('FORBIDDEN', `Four-eyes review: the ${what} must be approved by someone other than who submitted it.`);
  }
  if (needsAdmin && reviewer.role !== 'admin') {
    throw new SeatlockError('FORBIDDEN', `This ${what} has a negotiated price; only an admin may approve it.`);
  }
}

/** Only an admin enters a negotiated unit price. */
export function assertMayNegotiate(submitter: Caller, unitPrice: number | undefined): void {
  if (unitPrice !== undefined && submitter.role !== 'admin') {
    throw new SeatlockError('FORBIDDEN', 'Only an admin may enter a negotiated unit price.');
  }
}
