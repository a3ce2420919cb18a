import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../common/api-docs';
import type { DeviceStatus } from './device.entity';
import type { DeviceResponse, DeviceSummary } from './devices.service';

export class DeviceSummaryDto implements DeviceSummary {
  @ApiProperty() id!: string;
  @ApiProperty() poolId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty() platform!: string;
  @ApiProperty({ example: 'emmc.cid 3fA9xQbL', description: 'A short label for screens: the weightiest strong component and the start of its keyed hash, never a raw serial' }) hardwareLabel!: string;
  @ApiProperty({ enum: ['active', 'revoked'] }) status!: DeviceStatus;
  @ApiProperty() licenseId!: string;
  @ApiProperty({ type: [String], description: 'Names of the fingerprint components the license is bound to' }) components!: string[];
  @ApiProperty({ format: 'date-time' }) activatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
}

export class DeviceDto extends DeviceSummaryDto implements DeviceResponse {
  @ApiProperty({ description: 'The license file text' }) license!: string;
}

/** Lists leave the license texts out (3 KB each): a page stays small, and `GET /v1/devices/{id}/license` gives one. */
export const DevicePage = PageOf(DeviceSummaryDto);

export class DeviceSearchResult {
  @ApiProperty({ type: [DeviceDto], description: 'The devices found, in activation order (at most 100)' }) items!: DeviceDto[];
}
