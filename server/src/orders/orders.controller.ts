import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { Actor, type Caller, CurrentCaller, CustomerScope } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { ApplicationsQuery, DecisionDto, RejectionDto } from '../common/review';
import { negotiatedPriceFen } from '@seatlock/shared';
import { OrdersService } from './orders.service';
import { ApiErrors } from '../common/api-docs';
import { ApiCsv, csvFile, csvStream, EXPORT_PAGE_ROWS } from '../common/csv';
import { filtersOf } from '../common/paging';
import { DecisionResultDto } from '../common/responses';
import { OrderDto, OrderPage } from './responses';

export class SubmitOrderDto {
  @ApiPropertyOptional({ description: "Required from staff; a customer applies for its own customer (naming another answers NOT_FOUND)" })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  customerId?: string;

  @ApiProperty({ example: 'face-recognition' })
  @IsString()
  @Length(1, 64)
  product!: string;

  @ApiProperty({ example: 1000, description: 'Devices; at least 50, at most 1,000,000' })
  @IsInt()
  @Min(1)
  quantity!: number;

  @ApiPropertyOptional({ enum: ['ir', 'structured-light-3d', 'monocular'], description: 'Required for liveness and recognition' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  modality?: string;

  @ApiPropertyOptional({ description: 'Negotiated unit price in whole CNY, at most 10,000; admins only; required above 10,000 devices, refused below. Or unitPriceFen' })
  @IsOptional()
  @IsInt()
  @Min(1)
  unitPrice?: number;

  @ApiPropertyOptional({ description: 'The negotiated unit price in fen (39.50 CNY is 3950), at most 1,000,000; instead of unitPrice' })
  @IsOptional()
  @IsInt()
  @Min(1)
  unitPriceFen?: number;
}

export class OrderDecisionDto extends DecisionDto {
  @ApiPropertyOptional({ description: 'Admins only: the negotiated unit price in whole CNY of an order submitted without one (or unitPriceFen). Only records the price; another admin, neither its submitter nor who priced it, then approves the order' })
  @IsOptional()
  @IsInt()
  @Min(1)
  unitPrice?: number;

  @ApiPropertyOptional({ description: 'The negotiated unit price in fen (39.50 CNY is 3950), instead of unitPrice' })
  @IsOptional()
  @IsInt()
  @Min(1)
  unitPriceFen?: number;
}

@ApiTags('orders')
@ApiBearerAuth()
@Controller('v1/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @Roles('issuer', 'customer')
  @ApiCreatedResponse({ type: OrderDto })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'UNKNOWN_PRODUCT', 'MODALITY_REQUIRED', 'BELOW_MINIMUM', 'NEGOTIATED_PRICE_REQUIRED', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  submit(@Body() body: SubmitOrderDto, @CurrentCaller() caller: Caller, @CustomerScope() scope?: string) {
    const { unitPrice, unitPriceFen, ...order } = body;
    return this.orders.submitOrder({ ...order, unitPriceFen: negotiatedPriceFen({ unitPrice, unitPriceFen }) }, caller, scope);
  }

  /** `overdue=true`: submitted orders past their review due date. */
  @Get()
  @Roles('issuer', 'auditor', 'customer')
  @ApiOkResponse({ type: OrderPage })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  list(@Query() query: ApplicationsQuery, @CustomerScope() scope?: string) {
    return this.orders.listOrders(query, scope);
  }

  /** The applications of the list's filters, every page, as CSV (money in fen). */
  @Get('export')
  @Roles('issuer', 'auditor', 'customer')
  @ApiCsv('Orders')
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  async export(@Query() query: ApplicationsQuery, @CustomerScope() scope?: string) {
    const filter = filtersOf(query);
    return csvFile(
      'orders.csv',
      await csvStream(
        ['id', 'customerId', 'customerName', 'product', 'modality', 'quantity', 'unitPriceFen', 'totalFen', 'status', 'decisionReason', 'submittedAt', 'submittedByName', 'reviewDueAt', 'decidedAt', 'poolId'],
        (cursor) => this.orders.listOrders({ ...filter, cursor, limit: EXPORT_PAGE_ROWS }, scope),
        (o) => [o.id, o.customerId, o.customerName, o.product, o.modality, o.quantity, o.unitPriceFen, o.totalFen, o.status, o.decisionReason, o.submittedAt, o.submittedByName, o.reviewDueAt, o.decidedAt, o.poolId],
      ),
    );
  }

  @Get(':id')
  @Roles('issuer', 'auditor', 'customer')
  @ApiOkResponse({ type: OrderDto })
  @ApiErrors('NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  get(@Param('id') id: string, @CustomerScope() scope?: string) {
    return this.orders.getOrder(id, scope);
  }

  /**
   * Creates the pool; its activation code is in this answer only. With `unitPrice` it only
   * records the negotiated price of an order submitted without one (`status` stays submitted).
   */
  @Post(':id/approve')
  @HttpCode(200)
  @Roles('issuer')
  @ApiOkResponse({ type: DecisionResultDto })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'NOT_SUBMITTED', 'NEGOTIATED_PRICE_REQUIRED', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  approve(@Param('id') id: string, @Body() body: OrderDecisionDto, @CurrentCaller() reviewer: Caller) {
    return this.orders.approveOrder(id, reviewer, { reason: body?.reason, unitPriceFen: negotiatedPriceFen({ unitPrice: body?.unitPrice, unitPriceFen: body?.unitPriceFen }) });
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('issuer')
  @ApiOkResponse({ type: DecisionResultDto })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'NOT_SUBMITTED', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  reject(@Param('id') id: string, @Body() body: RejectionDto, @Actor() actor: string) {
    return this.orders.rejectOrder(id, actor, body?.reason);
  }
}
