import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { LessThan } from 'typeorm';
import { reviewDeadlines } from './application.entity';
import { PageQuery } from './paging';
import { customerWithin } from './scope';
import { humanText, SeatlockError } from '@seatlock/shared';

export const REVIEW_STATUSES = ['submitted', 'approved', 'rejected'] as const;

/** Filters of the order and trial lists; `overdue=true` lists submitted applications past their review due date. */
export class ApplicationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: REVIEW_STATUSES })
  @IsOptional()
  @IsIn(REVIEW_STATUSES)
  status?: (typeof REVIEW_STATUSES)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  customerId?: string;

  @ApiPropertyOptional({ description: 'Only submitted applications whose review is past due' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;
}

/** A decision's optional reason, as it is stored (shared's humanText rule). */
export function decisionReason(reason: string | null | undefined): string | undefined {
  return reason === undefined || reason === null ? undefined : humanText(reason, 'reason', 500);
}

/** A rejection's reason, which the customer reads: without one it is refused INVALID_REQUEST. */
export function rejectionReason(reason: string | null | undefined): string {
  const stored = decisionReason(reason);
  if (stored === undefined) throw new SeatlockError('INVALID_REQUEST', 'A rejection needs a reason: the customer sees it.');
  return stored;
}

export class DecisionDto {
  @ApiPropertyOptional({ description: 'Why, for the audit log and the customer' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;
}

export class RejectionDto {
  @ApiProperty({ description: 'Why the application is rejected: required, shown to the customer and kept in the audit log', minLength: 1, maxLength: 500 })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

/** The list filter for orders and trials: customer (a scoped caller's own), status, or overdue (submitted and past due). */
export function applicationsWhere(query: ApplicationsQuery, now: Date, scope?: string): Record<string, unknown> {
  const where: Record<string, unknown> = {};
  const customerId = customerWithin(scope, query.customerId);
  if (customerId) where.customerId = customerId;
  if (query.status) where.status = query.status;
  if (query.overdue) Object.assign(where, { status: 'submitted', reviewDueAt: LessThan(reviewDeadlines(now).overdueBefore) });
  return where;
}
