import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { Roles } from '../auth/roles.decorator';
import { PageQuery } from '../common/paging';
import { PoolsService } from './pools.service';

export class PoolsQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  customerId?: string;
}

@ApiTags('pools')
@ApiBearerAuth()
@Roles('issuer', 'auditor')
@Controller('v1/pools')
export class PoolsController {
  constructor(private readonly pools: PoolsService) {}

  @Get()
  list(@Query() query: PoolsQuery) {
    return this.pools.listPools(query);
  }

  /** Seats and seats used; the activation code is never shown again after approval. */
  @Get(':id')
  get(@Param('id') id: string) {
    return this.pools.getPool(id);
  }
}
