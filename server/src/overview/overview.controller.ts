import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags, IntersectionType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { CustomerScope } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-docs';
import { PageQuery } from '../common/paging';
import { OverviewService } from './overview.service';
import { ActivationsOverviewDto, ReviewOverviewDto, SeatsOverviewDto, TrialsOverviewDto } from './responses';

class CustomerQuery {
  @ApiPropertyOptional({ description: "Staff: one customer's figures; a customer's token always gets its own" })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  customerId?: string;
}

/** One customer's, and how many at most (the page size of the lists). */
class ListQuery extends IntersectionType(CustomerQuery, PickType(PageQuery, ['limit'] as const)) {}

export class SeatsQuery extends ListQuery {
  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 0, description: 'Only pools with at least this percentage of their seats used (80: 80 of 100 seats, not 79)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  minPercent?: number;
}

export class TrialsEndingQuery extends ListQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 366, description: 'Only trials ending within this many days (7: up to exactly 7 × 24 h from now); all running trials without it' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(366)
  withinDays?: number;
}

export class ActivationsQuery extends CustomerQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 366, default: 90, description: 'UTC days, today included' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(366)
  days?: number;
}

/** Figures for the console's overview, each computed by the database in one aggregate query. */
@ApiTags('overview')
@ApiBearerAuth()
@Roles('issuer', 'auditor', 'customer')
@Controller('v1/overview')
export class OverviewController {
  constructor(private readonly overview: OverviewService) {}

  /** Pools that have not ended, with seats used and left, the fullest first; `minPercent=80` for the pools running out. */
  @Get('seats')
  @ApiOkResponse({ type: SeatsOverviewDto })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  seats(@Query() query: SeatsQuery, @CustomerScope() scope?: string) {
    return this.overview.seats({ minPercent: query.minPercent ?? 0, limit: query.limit ?? 50, customerId: query.customerId }, scope);
  }

  /** Trials still running with the days they have left, the soonest ending first. */
  @Get('trials')
  @ApiOkResponse({ type: TrialsOverviewDto })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  trials(@Query() query: TrialsEndingQuery, @CustomerScope() scope?: string) {
    return this.overview.trials({ withinDays: query.withinDays, limit: query.limit ?? 50, customerId: query.customerId }, scope);
  }

  /** New devices per UTC day, the last `days` days, days without any as 0. */
  @Get('activations')
  @ApiOkResponse({ type: ActivationsOverviewDto })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  activations(@Query() query: ActivationsQuery, @CustomerScope() scope?: string) {
    return this.overview.activations({ days: query.days ?? 90, customerId: query.customerId }, scope);
  }

  /** The review queue: orders and trials waiting, and how many of them are overdue. */
  @Get('review')
  @Roles('issuer', 'auditor')
  @ApiOkResponse({ type: ReviewOverviewDto })
  @ApiErrors('UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  review() {
    return this.overview.review();
  }
}
