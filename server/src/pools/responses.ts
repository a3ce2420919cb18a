import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../common/api-docs';
import type { PoolKind } from './pool.entity';
import type { CreatedPoolResponse, PoolResponse } from './pools.service';

export class PoolDto implements PoolResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['perpetual', 'trial'] }) kind!: PoolKind;
  @ApiProperty() customerId!: string;
  @ApiProperty({ type: String, nullable: true, description: "The customer's name" }) customerName!: string | null;
  @ApiProperty() product!: string;
  @ApiProperty({ type: String, nullable: true }) modality!: string | null;
  @ApiProperty() seats!: number;
  @ApiProperty() seatsUsed!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Trials only' }) expiresAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** A pool as its approval answers it: with the activation code, shown this once. */
export class CreatedPoolDto extends PoolDto implements CreatedPoolResponse {
  @ApiProperty({ description: 'Shown once; stored hashed' }) activationCode!: string;
}

export const PoolPage = PageOf(PoolDto);

export class ActivationCodeDto {
  @ApiProperty({ description: 'The new code, shown this once; the previous one no longer works' }) activationCode!: string;
}
