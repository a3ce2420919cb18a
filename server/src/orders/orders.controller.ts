import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { Actor, type Caller, CurrentCaller } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { ApplicationsQuery, DecisionDto } from '../common/review';
import { OrdersService } from './orders.service';

export class SubmitOrderDto {
  @ApiProperty()
  @IsString()
  @Length(1, 64)
  customerId!: string;

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

  @ApiPropertyOptional({ description: 'Negotiated unit price in CNY, at most 10,000; admins only; required above 10,000 devices, refused below' })
  @IsOptional()
  @IsInt()
  @Min(1)
  unitPrice?: number;
}

@ApiTags('orders')
@ApiBearerAuth()
@Controller('v1/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @Roles('issuer')
  submit(@Body() body: SubmitOrderDto, @CurrentCaller() caller: Caller) {
    return this.orders.submitOrder(body, caller);
  }

  /** `overdue=true`: submitted orders past their review due date. */
  @Get()
  @Roles('issuer', 'auditor')
  list(@Query() query: ApplicationsQuery) {
    return this.orders.listOrders(query);
  }

  @Get(':id')
  @Roles('issuer', 'auditor')
  get(@Param('id') id: string) {
    return this.orders.getOrder(id);
  }

  /** Creates the pool; its activation code is in this answer only. */
  @Post(':id/approve')
  @HttpCode(200)
  @Roles('issuer')
  approve(@Param('id') id: string, @Body() body: DecisionDto, @CurrentCaller() reviewer: Caller) {
    return this.orders.approveOrder(id, reviewer, body?.reason);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('issuer')
  reject(@Param('id') id: string, @Body() body: DecisionDto, @Actor() actor: string) {
    return this.orders.rejectOrder(id, actor, body?.reason);
  }
}
