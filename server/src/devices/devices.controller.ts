import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { Actor, CustomerScope } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { filtersOf, PageQuery } from '../common/paging';
import { DecisionDto } from '../common/review';
import type { DeviceStatus } from './device.entity';
import { type DeviceSearch, DevicesService } from './devices.service';
import { ApiErrors } from '../common/api-docs';
import { ApiCsv, csvFile, csvStream, EXPORT_PAGE_ROWS } from '../common/csv';
import { DeviceDto, DevicePage, DeviceSearchResult } from './responses';

export class DevicesQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Devices whose id begins with these characters (at least 4 of 0-9, a-f and -; any case)', example: '01a23790' })
  @IsOptional()
  @Matches(/^[0-9a-fA-F-]{4,36}$/)
  idPrefix?: string;

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

  @ApiPropertyOptional({ enum: ['active', 'revoked'] })
  @IsOptional()
  @IsIn(['active', 'revoked'])
  status?: DeviceStatus;

  @ApiPropertyOptional({ format: 'date-time', description: 'Activated at or after' })
  @IsOptional()
  @IsISO8601({ strict: true })
  activatedFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Activated before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  activatedBefore?: string;
}

/** Exactly one of: a device id, a license id, or a strong component and the raw value read off the board. */
export class DeviceSearchDto implements DeviceSearch {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  deviceId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  licenseId?: string;

  @ApiPropertyOptional({ example: 'emmc.cid', description: 'A strong component (the ones devices are indexed by)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  component?: string;

  @ApiPropertyOptional({ description: 'The raw value as read off the board; hashed as the agent hashes it, never stored' })
  @IsOptional()
  @IsString()
  @Length(1, 512)
  value?: string;
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

  /** The devices of the list's filters, every page, as CSV. */
  @Get('export')
  @Roles('issuer', 'auditor', 'customer')
  @ApiCsv('Devices')
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  async export(@Query() query: DevicesQuery, @CustomerScope() scope?: string) {
    const filter = filtersOf(query);
    return csvFile(
      'devices.csv',
      await csvStream(
        ['id', 'hardwareLabel', 'platform', 'status', 'poolId', 'customerId', 'licenseId', 'activatedAt', 'revokedAt'],
        (cursor) => this.devices.listDevices({ ...filter, cursor, limit: EXPORT_PAGE_ROWS }, scope),
        (d) => [d.id, d.hardwareLabel, d.platform, d.status, d.poolId, d.customerId, d.licenseId, d.activatedAt, d.revokedAt],
      ),
    );
  }

  /** Support's lookup. A POST so that a hardware value stays out of URLs and access logs. */
  @Post('search')
  @HttpCode(200)
  @Roles('issuer', 'auditor', 'customer')
  @ApiOkResponse({ type: DeviceSearchResult })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  async search(@Body() body: DeviceSearchDto, @CustomerScope() scope?: string) {
    return { items: await this.devices.findDevices(body, scope) };
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
