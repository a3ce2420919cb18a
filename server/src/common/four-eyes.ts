import { SeatlockError } from '@seatlock/shared';
import type { Caller } from '../auth/principal';
import type { ReviewedApplication } from './application.entity';

/**
 * Four-eyes review: the person who submitted an application, through whichever credential, may
 * not approve it, and an application that carries a negotiated price (every order above the
 * list-price limit does) needs an admin to approve it, as it needed one to enter the price.
 */
export function assertMayApprove(application: ReviewedApplication, what: string, reviewer: Caller, needsAdmin: boolean): void {
  if (application.submittedByPerson === reviewer.person) {
    throw new SeatlockError('FORBIDDEN', `Four-eyes review: the ${what} must be approved by someone other than who submitted it.`);
  }
  if (needsAdmin && reviewer.role !== 'admin') {
    throw new SeatlockError('FORBIDDEN', `This ${what} has a negotiated price; only an admin may approve it.`);
  }
}

/** A negotiated price is confirmed by a second admin: whoever entered it may not approve the order it prices. */
export function assertNotPricer(pricedBy: string | null, reviewer: Caller): void {
  if (pricedBy === reviewer.person) {
    throw new SeatlockError('FORBIDDEN', 'Four-eyes review: the order must be approved by an admin other than who entered its negotiated price.');
  }
}

/** Only an admin enters a negotiated unit price. */
export function assertMayNegotiate(submitter: Caller, unitPrice: number | undefined): void {
  if (unitPrice !== undefined && submitter.role !== 'admin') {
    throw new SeatlockError('FORBIDDEN', 'Only an admin may enter a negotiated unit price.');
  }
}
