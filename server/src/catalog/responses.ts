import { ApiProperty } from '@nestjs/swagger';
import { MODALITIES, type Quote } from '@seatlock/shared';

class TierDto {
  @ApiProperty() min!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null: no upper bound' }) max!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'CNY per device; null: negotiated' }) unitPrice!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Fen (1/100 CNY) per device; null: negotiated' }) unitPriceFen!: number | null;
}

class ProductDto {
  @ApiProperty({ example: 'face-recognition' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) features!: string[];
  @ApiProperty() modalityRequired!: boolean;
  @ApiProperty({ type: [TierDto] }) tiers!: TierDto[];
}

class PlatformDto {
  @ApiProperty({ example: 'android' }) id!: string;
  @ApiProperty() name!: string;
}

class TrialTermsDto {
  @ApiProperty({ example: 60 }) days!: number;
  @ApiProperty({ example: 3 }) maxDevices!: number;
  @ApiProperty({ example: 1 }) perCustomerPerProduct!: number;
}

export class CatalogDto {
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty({ example: 50 }) minimumQuantity!: number;
  @ApiProperty({ example: 10_000 }) listPriceLimit!: number;
  @ApiProperty({ example: 1_000_000, description: 'The most devices one order may buy' }) maximumQuantity!: number;
  @ApiProperty({ enum: MODALITIES, isArray: true }) modalities!: string[];
  @ApiProperty({ type: [PlatformDto] }) platforms!: PlatformDto[];
  @ApiProperty({ type: TrialTermsDto }) trial!: TrialTermsDto;
  @ApiProperty({ example: 2 }) reviewBusinessDays!: number;
  @ApiProperty({ type: [ProductDto] }) products!: ProductDto[];
}

export class QuoteDto implements Omit<Quote, 'product'> {
  @ApiProperty() product!: string;
  @ApiProperty() quantity!: number;
  @ApiProperty() tier!: number;
  @ApiProperty({ description: 'Fen (1/100 CNY), exact' }) unitPriceFen!: number;
  @ApiProperty({ description: 'Fen (1/100 CNY), exact' }) totalFen!: number;
  @ApiProperty({ description: 'unitPriceFen in CNY (may have two decimals)' }) unitPrice!: number;
  @ApiProperty({ description: 'totalFen in CNY (may have two decimals)' }) total!: number;
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty() negotiated!: boolean;
}
