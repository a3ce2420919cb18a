import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CreatedPoolDto } from '../pools/responses';
import type { ApplicationDecisionResponse, ApplicationResponse, ReviewStatus } from './application.entity';
import { REVIEW_STATUSES } from './review';

/** The review fields orders and trials share. */
export class ApplicationDto implements ApplicationResponse {
  @ApiProperty() id!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ type: String, nullable: true, description: "The customer's name" }) customerName!: string | null;
  @ApiProperty() product!: string;
  @ApiProperty({ type: String, nullable: true }) modality!: string | null;
  @ApiProperty({ enum: REVIEW_STATUSES }) status!: ReviewStatus;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
  @ApiProperty({ example: 'user:…', description: 'Who submitted it: `token:<id>`, `user:<id>` or `cli`' }) submittedBy!: string;
  @ApiProperty({ type: String, nullable: true, description: "The submitter's name: a person's name (or email), a token's name, `seatlock-admin` for the CLI" }) submittedByName!: string | null;
  @ApiProperty({ format: 'date-time', description: 'The promised decision date: 2 business days after submission' }) reviewDueAt!: string;
  @ApiProperty({ description: 'Still submitted past reviewDueAt' }) overdue!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The reviewer\'s reason for the decision, shown to the customer; always present on a rejection' }) decisionReason!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The pool its approval created' }) poolId!: string | null;
}

export class DecisionResultDto implements ApplicationDecisionResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: REVIEW_STATUSES }) status!: ReviewStatus;
  @ApiPropertyOptional({ type: CreatedPoolDto, description: 'On approval: the new pool and its activation code, shown this once' }) pool?: CreatedPoolDto;
}
