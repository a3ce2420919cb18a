import { Column, type EntityManager, PrimaryColumn } from 'typeorm';
import { addBusinessDays } from '../clock/clock';
import type { CreatedPoolResponse } from '../pools/pools.service';
import { lookUpNames, type Names } from './names';

export type ReviewStatus = 'submitted' | 'approved' | 'rejected';

/** What orders and trials share as applications under review; each has a table of its own. */
export abstract class ReviewedApplication {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 36 })
  customerId!: string;

  @Column({ type: 'varchar', length: 64 })
  product!: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  modality!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: ReviewStatus;

  @Column({ name: 'submitted_at', type: 'varchar', length: 30 })
  submittedAt!: string;

  /** The audit actor that submitted it, who may not approve it (four-eyes review). */
  @Column({ name: 'submitted_by', type: 'varchar', length: 100 })
  submittedBy!: string;

  /** The person behind that actor (Principal.person): four-eyes review compares people, not credentials. */
  @Column({ name: 'submitted_by_person', type: 'varchar', length: 100 })
  submittedByPerson!: string;

  @Column({ name: 'review_due_at', type: 'varchar', length: 30 })
  reviewDueAt!: string;

  @Column({ name: 'decided_at', type: 'varchar', length: 30, nullable: true })
  decidedAt!: string | null;

  @Column({ name: 'pool_id', type: 'varchar', length: 36, nullable: true })
  poolId!: string | null;

  /** Why it was decided as it was; the customer sees it. Required for a rejection. */
  @Column({ name: 'decision_reason', type: 'varchar', length: 500, nullable: true })
  decisionReason!: string | null;
}

export interface ApplicationResponse {
  id: string;
  customerId: string;
  customerName: string | null;
  product: string;
  modality: string | null;
  status: ReviewStatus;
  submittedAt: string;
  submittedBy: string;
  submittedByName: string | null;
  reviewDueAt: string;
  overdue: boolean;
  decidedAt: string | null;
  decisionReason: string | null;
  poolId: string | null;
}

/** The answer to approving or rejecting an application; approving creates the pool. */
export interface ApplicationDecisionResponse {
  id: string;
  status: ReviewStatus;
  pool?: CreatedPoolResponse;
}

/**
 * When a submitted application is overdue or due soon, as the lists, the console and the staff's
 * reminders all read it: overdue once `reviewDueAt` is before `overdueBefore` (now); due soon once
 * it is no later than `dueSoonBy`, within one business day of now.
 */
export function reviewDeadlines(now: Date): { overdueBefore: string; dueSoonBy: string } {
  return { overdueBefore: now.toISOString(), dueSoonBy: addBusinessDays(now, 1).toISOString() };
}

/** Whether an application still waits for its review past the promised date. */
export function isOverdue(application: ReviewedApplication, now: Date): boolean {
  return application.status === 'submitted' && application.reviewDueAt < reviewDeadlines(now).overdueBefore;
}

/** The names the answers for these applications show: their customers' and submitters'. */
export function applicationNames(manager: EntityManager, rows: readonly ReviewedApplication[]): Promise<Names> {
  return lookUpNames(manager, { customerIds: rows.map((row) => row.customerId), actors: rows.map((row) => row.submittedBy) });
}

/** The review fields of an order's or a trial's answer. */
export function mapApplication(row: ReviewedApplication, now: Date, names: Names): ApplicationResponse {
  return {
    id: row.id,
    customerId: row.customerId,
    customerName: names.customers.get(row.customerId) ?? null,
    product: row.product,
    modality: row.modality,
    status: row.status,
    submittedAt: row.submittedAt,
    submittedBy: row.submittedBy,
    submittedByName: names.actors.get(row.submittedBy) ?? null,
    reviewDueAt: row.reviewDueAt,
    overdue: isOverdue(row, now),
    decidedAt: row.decidedAt,
    decisionReason: row.decisionReason,
    poolId: row.poolId,
  };
}
