import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { CustomerScope } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { DevicesService } from '../devices/devices.service';
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
@Roles('issuer', 'auditor', 'customer')
@Controller('v1/pools')
export class PoolsController {
  constructor(
    private readonly pools: PoolsService,
    private readonly devices: DevicesService,
  ) {}

  @Get()
  list(@Query() query: PoolsQuery, @CustomerScope() scope?: string) {
    return this.pools.listPools(query, scope);
  }

  /** Seats and seats used; the activation code is never shown again after approval. */
  @Get(':id')
  get(@Param('id') id: string, @CustomerScope() scope?: string) {
    return this.pools.getPool(id, scope);
  }

  /** The license files of the pool's active devices, one after another (text). */
  @Get(':id/licenses')
  @Header('content-type', 'text/plain; charset=utf-8')
  async licenses(@Param('id') id: string, @CustomerScope() scope?: string) {
    await this.pools.getPool(id, scope);
    return this.devices.poolLicenses(id);
  }
}
