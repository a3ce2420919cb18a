import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { Actor, type Caller, CurrentCaller, CustomerScope } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { ApplicationsQuery, DecisionDto, RejectionDto } from '../common/review';
import { TrialsService } from './trials.service';
import { ApiErrors } from '../common/api-docs';
import { ApiCsv, csvFile, csvStream, EXPORT_PAGE_ROWS } from '../common/csv';
import { filtersOf } from '../common/paging';
import { DecisionResultDto } from '../common/responses';
import { TrialDto, TrialPage } from './responses';

export class SubmitTrialDto {
  @ApiPropertyOptional({ description: "Required from staff; a customer applies for its own customer (naming another answers NOT_FOUND)" })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  customerId?: string;

  @ApiProperty({ example: 'face-liveness' })
  @IsString()
  @Length(1, 64)
  product!: string;

  @ApiPropertyOptional({ enum: ['ir', 'structured-light-3d', 'monocular'] })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  modality?: string;
}

@ApiTags('trials')
@ApiBearerAuth()
@Controller('v1/trials')
export class TrialsController {
  constructor(private readonly trials: TrialsService) {}

  /** One trial per customer and product; a rejected application does not use it up. */
  @Post()
  @Roles('issuer', 'customer')
  @ApiCreatedResponse({ type: TrialDto })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'UNKNOWN_PRODUCT', 'MODALITY_REQUIRED', 'TRIAL_ALREADY_USED', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  submit(@Body() body: SubmitTrialDto, @CurrentCaller() caller: Caller, @CustomerScope() scope?: string) {
    return this.trials.submitTrial(body, caller, scope);
  }

  /** `overdue=true`: submitted trials past their review due date. */
  @Get()
  @Roles('issuer', 'auditor', 'customer')
  @ApiOkResponse({ type: TrialPage })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  list(@Query() query: ApplicationsQuery, @CustomerScope() scope?: string) {
    return this.trials.listTrials(query, scope);
  }

  /** The applications of the list's filters, every page, as CSV (money in fen). */
  @Get('export')
  @Roles('issuer', 'auditor', 'customer')
  @ApiCsv('Trials')
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  async export(@Query() query: ApplicationsQuery, @CustomerScope() scope?: string) {
    const filter = filtersOf(query);
    return csvFile(
      'trials.csv',
      await csvStream(
        ['id', 'customerId', 'customerName', 'product', 'modality', 'status', 'decisionReason', 'submittedAt', 'submittedByName', 'reviewDueAt', 'decidedAt', 'poolId'],
        (cursor) => this.trials.listTrials({ ...filter, cursor, limit: EXPORT_PAGE_ROWS }, scope),
        (t) => [t.id, t.customerId, t.customerName, t.product, t.modality, t.status, t.decisionReason, t.submittedAt, t.submittedByName, t.reviewDueAt, t.decidedAt, t.poolId],
      ),
    );
  }

  @Get(':id')
  @Roles('issuer', 'auditor', 'customer')
  @ApiOkResponse({ type: TrialDto })
  @ApiErrors('NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  get(@Param('id') id: string, @CustomerScope() scope?: string) {
    return this.trials.getTrial(id, scope);
  }

  /** Creates a 3-seat pool expiring in 60 days; its activation code is in this answer only. */
  @Post(':id/approve')
  @HttpCode(200)
  @Roles('issuer')
  @ApiOkResponse({ type: DecisionResultDto })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'NOT_SUBMITTED', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  approve(@Param('id') id: string, @Body() body: DecisionDto, @CurrentCaller() reviewer: Caller) {
    return this.trials.approveTrial(id, reviewer, body?.reason);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('issuer')
  @ApiOkResponse({ type: DecisionResultDto })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'NOT_SUBMITTED', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  reject(@Param('id') id: string, @Body() body: RejectionDto, @Actor() actor: string) {
    return this.trials.rejectTrial(id, actor, body?.reason);
  }
}
