import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../common/api-docs';
import { ApplicationDto } from '../common/responses';
import type { OrderResponse } from './orders.service';

export class OrderDto extends ApplicationDto implements OrderResponse {
  @ApiProperty() quantity!: number;
  @ApiProperty({ description: '1-based price tier the quantity reaches' }) tier!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Fen (1/100 CNY), exact; null until an admin enters the negotiated price' }) unitPriceFen!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Fen (1/100 CNY), exact; null until priced' }) totalFen!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'unitPriceFen in CNY (may have two decimals); null until an admin enters the negotiated price' }) unitPrice!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'totalFen in CNY (may have two decimals); null until priced' }) total!: number | null;
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty({ description: 'Above the list-price limit: a negotiated price' }) negotiated!: boolean;
}

export const OrderPage = PageOf(OrderDto);
