import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CATALOG, negotiatedPriceFen, quote } from '@seatlock/shared';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { Public } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-docs';
import { CatalogDto, QuoteDto } from './responses';

export class QuoteQuery {
  @ApiProperty({ example: 'face-recognition' })
  @IsString()
  @Length(1, 64)
  product!: string;

  @ApiProperty({ example: 1000 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  quantity!: number;

  @ApiPropertyOptional({ description: 'Negotiated unit price in whole CNY, only above 10,000 devices; or unitPriceFen' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  unitPrice?: number;

  @ApiPropertyOptional({ description: 'Negotiated unit price in fen (39.50 CNY is 3950), only above 10,000 devices' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  unitPriceFen?: number;
}

@ApiTags('catalog')
@Public()
@Controller('v1')
export class CatalogController {
  /** Products, tiers, platforms, modalities, minimum quantity and trial terms. */
  @Get('catalog')
  @ApiOkResponse({ type: CatalogDto })
  catalog() {
    return CATALOG;
  }

  /** Prices an order: the whole quantity at the unit price of the tier it reaches. */
  @Get('quote')
  @ApiOkResponse({ type: QuoteDto })
  @ApiErrors('INVALID_REQUEST', 'UNKNOWN_PRODUCT', 'BELOW_MINIMUM', 'NEGOTIATED_PRICE_REQUIRED')
  quote(@Query() query: QuoteQuery) {
    return quote(query.product, query.quantity, negotiatedPriceFen(query));
  }
}
