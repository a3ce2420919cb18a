import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { Actor } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { PageQuery } from '../common/paging';
import { DecisionDto } from '../common/review';
import { DevicesService } from './devices.service';

export class DevicesQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  poolId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  customerId?: string;
}

@ApiTags('devices')
@ApiBearerAuth()
@Controller('v1/devices')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Get()
  @Roles('issuer', 'auditor')
  list(@Query() query: DevicesQuery) {
    return this.devices.listDevices(query);
  }

  @Get(':id')
  @Roles('issuer', 'auditor')
  get(@Param('id') id: string) {
    return this.devices.getDevice(id);
  }

  /** The seat stays consumed; the device's re-activation is refused with DEVICE_REVOKED. */
  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('issuer')
  revoke(@Param('id') id: string, @Body() body: DecisionDto, @Actor() actor: string) {
    return this.devices.revokeDevice(id, actor, body?.reason);
  }
}
