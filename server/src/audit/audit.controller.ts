import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import { CustomerScope } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { PageQuery } from '../common/paging';
import { AuditCheckpoints } from './audit-checkpoints.service';
import { AuditService } from './audit.service';
import { ApiErrors } from '../common/api-docs';
import { ApiCsv, csvFile, csvStream, EXPORT_PAGE_ROWS } from '../common/csv';
import { AuditEventPage, ChainVerdictDto } from './responses';

export class VerifyAnchorDto {
  @ApiProperty({ description: 'The `anchor` JWS printed by `seatlock-admin audit anchor`' })
  @IsString()
  @Length(1, 16_000)
  anchor!: string;

  @ApiPropertyOptional({ description: 'Only the events after the newest signed checkpoint, or after the anchor when it is older' })
  @IsOptional()
  @IsBoolean()
  resume?: boolean;
}

export class VerifyQuery {
  @ApiPropertyOptional({ description: 'Only the events after the newest signed checkpoint (an earlier full verification covered those before it)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  resume?: boolean;
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly checkpoints: AuditCheckpoints,
  ) {}

  /** Events, newest first; a customer reads the events of its own customer. */
  @Get()
  @Roles('auditor', 'customer')
  @ApiOkResponse({ type: AuditEventPage })
  @ApiErrors('INVALID_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  list(@Query() query: PageQuery, @CustomerScope() scope?: string) {
    return this.audit.listEvents(query, scope);
  }

  /** Every event, newest first, as CSV (data as JSON). */
  @Get('export')
  @Roles('auditor', 'customer')
  @ApiCsv('Audit events')
  @ApiErrors('INVALID_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  async export(@CustomerScope() scope?: string) {
    return csvFile(
      'audit.csv',
      await csvStream(
        ['seq', 'at', 'action', 'actor', 'actorName', 'subject', 'customerName', 'data', 'hash'],
        (cursor) => this.audit.listEvents({ cursor, limit: EXPORT_PAGE_ROWS }, scope),
        (e) => [e.seq, e.at, e.action, e.actor, e.actorName, e.subject, e.customerName, JSON.stringify(e.data), e.hash],
      ),
    );
  }

  /** Re-hashes the whole chain and checks it against its signed checkpoints; `ok: false` names where it breaks. */
  @Get('verify')
  @Roles('auditor')
  @ApiOkResponse({ type: ChainVerdictDto })
  @ApiErrors('INVALID_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  verify(@Query() query: VerifyQuery) {
    return this.checkpoints.verify({ resume: query.resume });
  }

  /** As GET, and the chain must also hold the head an earlier anchor signed. */
  @Post('verify')
  @HttpCode(200)
  @Roles('auditor')
  @ApiOkResponse({ type: ChainVerdictDto })
  @ApiErrors('INVALID_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  verifyWithAnchor(@Body() body: VerifyAnchorDto) {
    return this.checkpoints.verify({ anchor: body.anchor, resume: body.resume });
  }
}
