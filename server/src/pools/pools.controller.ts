import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { Actor } from '../auth/principal';
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
@Controller('v1/pools')
export class PoolsController {
  constructor(private readonly pools: PoolsService) {}

  @Get()
  @Roles('issuer', 'auditor')
  list(@Query() query: PoolsQuery) {
    return this.pools.listPools(query);
  }

  /** Seats and seats used; the activation code is never shown again after approval. */
  @Get(':id')
  @Roles('issuer', 'auditor')
  get(@Param('id') id: string) {
    return this.pools.getPool(id);
  }

  /** A new activation code, in this answer only; the old one stops working at once. Who may do it is this route's @Roles. */
  @Post(':id/activation-code')
  @HttpCode(200)
  @Roles('issuer')
  changeActivationCode(@Param('id') id: string, @Actor() actor: string) {
    return this.pools.changeActivationCode(id, actor);
  }
}
