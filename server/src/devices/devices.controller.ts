import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { Actor, CustomerScope } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { PageQuery } from '../common/paging';
import { DecisionDto } from '../common/review';
import { DevicesService } from './devices.service';
import { ApiErrors } from '../common/api-docs';
import { DeviceDto, DevicePage } from './responses';

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
  @ApiOkResponse({ type: DevicePage })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  list(@Query() query: DevicesQuery, @CustomerScope() scope?: string) {
    return this.devices.listDevices(query, scope);
  }

  @Get(':id')
  @Roles('issuer', 'auditor', 'customer')
  @ApiOkResponse({ type: DeviceDto })
  @ApiErrors('NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  get(@Param('id') id: string, @CustomerScope() scope?: string) {
    return this.devices.getDevice(id, scope);
  }

  /** The device's license file (text), for `seatlock-agent install`. */
  @Get(':id/license')
  @Roles('issuer', 'auditor', 'customer')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The license file', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiErrors('NOT_FOUND', 'DEVICE_REVOKED', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  @Header('content-type', 'text/plain; charset=utf-8')
  license(@Param('id') id: string, @CustomerScope() scope?: string) {
    return this.devices.deviceLicense(id, scope);
  }

  /** The seat stays consumed; the device's re-activation is refused with DEVICE_REVOKED. */
  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('issuer')
  @ApiOkResponse({ type: DeviceDto })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  revoke(@Param('id') id: string, @Body() body: DecisionDto, @Actor() actor: string) {
    return this.devices.revokeDevice(id, actor, body?.reason);
  }
}
