import { Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { Actor, CustomerScope } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { DevicesService } from '../devices/devices.service';
import { PageQuery } from '../common/paging';
import { PoolsService } from './pools.service';
import { ApiErrors } from '../common/api-docs';
import { ActivationCodeDto, PoolDto, PoolPage } from './responses';

export class PoolsQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  customerId?: string;
}

@ApiTags('pools')
@ApiBearerAuth()
@Roles('issuer', 'auditor', 'customer')
@Controller('v1/pools')
export class PoolsController {
  constructor(
    private readonly pools: PoolsService,
    private readonly devices: DevicesService,
  ) {}

  @Get()
  @ApiOkResponse({ type: PoolPage })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  list(@Query() query: PoolsQuery, @CustomerScope() scope?: string) {
    return this.pools.listPools(query, scope);
  }

  /** Seats and seats used; the activation code is never shown again after approval. */
  @Get(':id')
  @ApiOkResponse({ type: PoolDto })
  @ApiErrors('NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  get(@Param('id') id: string, @CustomerScope() scope?: string) {
    return this.pools.getPool(id, scope);
  }

  /** The license files of the pool's active devices, one after another (text). */
  @Get(':id/licenses')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'License files, one after another', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiErrors('NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  @Header('content-type', 'text/plain; charset=utf-8')
  async licenses(@Param('id') id: string, @CustomerScope() scope?: string) {
    await this.pools.getPool(id, scope);
    return this.devices.poolLicenses(id);
  }

  /**
   * A new activation code, in this answer only; the old one stops working at once. Who may do it
   * is this route's @Roles; a customer does it for its own pools, to learn a code it never saw.
   */
  @Post(':id/activation-code')
  @HttpCode(200)
  @Roles('issuer', 'customer')
  @ApiOkResponse({ type: ActivationCodeDto })
  @ApiErrors('NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  changeActivationCode(@Param('id') id: string, @Actor() actor: string, @CustomerScope() scope?: string) {
    return this.pools.changeActivationCode(id, actor, scope);
  }
}
