import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../common/api-docs';
import type { DeviceStatus } from './device.entity';
import type { DeviceResponse } from './devices.service';

export class DeviceDto implements DeviceResponse {
  @ApiProperty() id!: string;
  @ApiProperty() poolId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty() platform!: string;
  @ApiProperty({ enum: ['active', 'revoked'] }) status!: DeviceStatus;
  @ApiProperty() licenseId!: string;
  @ApiProperty({ description: 'The license file text' }) license!: string;
  @ApiProperty({ type: [String], description: 'Names of the fingerprint components the license is bound to' }) components!: string[];
  @ApiProperty({ format: 'date-time' }) activatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
}

export const DevicePage = PageOf(DeviceDto);

export class DeviceSearchResult {
  @ApiProperty({ type: [DeviceDto], description: 'The devices found, in activation order (at most 100)' }) items!: DeviceDto[];
}
