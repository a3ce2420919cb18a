import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { Actor, CustomerScope } from '../auth/principal';
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
  @Roles('issuer', 'auditor', 'customer')
  list(@Query() query: DevicesQuery, @CustomerScope() scope?: string) {
    return this.devices.listDevices(query, scope);
  }

  @Get(':id')
  @Roles('issuer', 'auditor', 'customer')
  get(@Param('id') id: string, @CustomerScope() scope?: string) {
    return this.devices.getDevice(id, scope);
  }

  /** The device's license file (text), for `seatlock-agent install`. */
  @Get(':id/license')
  @Roles('issuer', 'auditor', 'customer')
  @Header('content-type', 'text/plain; charset=utf-8')
  license(@Param('id') id: string, @CustomerScope() scope?: string) {
    return this.devices.deviceLicense(id, scope);
  }

  /** The seat stays consumed; the device's re-activation is refused with DEVICE_REVOKED. */
  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('issuer')
  revoke(@Param('id') id: string, @Body() body: DecisionDto, @Actor() actor: string) {
    return this.devices.revokeDevice(id, actor, body?.reason);
  }
}
