import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { Actor } from '../auth/principal';
import { PageQuery } from '../common/paging';
import { ApiErrors } from '../common/api-docs';
import { EVENT_TYPES } from '../outbox/events';
import { WebhookDeliveryDto, WebhookDeliveryList, WebhookEndpointDto, WebhookEndpointList, WebhookEndpointWithSecretDto, WebhookEventBody } from './responses';
import { WebhooksService } from './webhooks.service';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://erp.example.com/seatlock', description: 'http or https; loopback, private and link-local addresses are refused unless SEATLOCK_WEBHOOK_ALLOW_PRIVATE is set' })
  @IsString()
  @Length(1, 2000)
  url!: string;

  @ApiProperty({ enum: EVENT_TYPES, enumName: 'WebhookEventType', isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_TYPES.length)
  @IsIn(EVENT_TYPES, { each: true })
  eventTypes!: string[];
}

export class UpdateWebhookDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  url?: string;

  @ApiPropertyOptional({ enum: EVENT_TYPES, enumName: 'WebhookEventType', isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_TYPES.length)
  @IsIn(EVENT_TYPES, { each: true })
  eventTypes?: string[];

  @ApiPropertyOptional({ description: 'false disables the endpoint (what waits for it fails); true enables it again' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class DeliveriesQuery extends PickType(PageQuery, ['limit'] as const) {
  @ApiPropertyOptional({ description: 'Deliveries older than this id (the last id of the previous page)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;
}

const ERRORS = ['UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED'] as const;

/** Admin only: where events are posted. Request bodies are documented as WebhookEventBody. */
@ApiTags('webhooks')
@ApiBearerAuth()
@ApiExtraModels(WebhookEventBody)
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** The signing secret is in this answer only. */
  @Post()
  @ApiCreatedResponse({ type: WebhookEndpointWithSecretDto })
  @ApiErrors('INVALID_REQUEST', ...ERRORS)
  create(@Body() body: CreateWebhookDto, @Actor() actor: string) {
    return this.webhooks.createEndpoint(body, actor);
  }

  @Get()
  @ApiOkResponse({ type: WebhookEndpointList })
  @ApiErrors(...ERRORS)
  async list() {
    return { items: await this.webhooks.listEndpoints() };
  }

  @Get(':id')
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiErrors('NOT_FOUND', ...ERRORS)
  get(@Param('id') id: string) {
    return this.webhooks.getEndpoint(id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: WebhookEndpointDto })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', ...ERRORS)
  update(@Param('id') id: string, @Body() body: UpdateWebhookDto, @Actor() actor: string) {
    return this.webhooks.updateEndpoint(id, body, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiErrors('NOT_FOUND', ...ERRORS)
  async remove(@Param('id') id: string, @Actor() actor: string) {
    await this.webhooks.deleteEndpoint(id, actor);
  }

  /** A new secret, in this answer only; the previous one also signs for 24 hours. */
  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookEndpointWithSecretDto })
  @ApiErrors('NOT_FOUND', ...ERRORS)
  rotate(@Param('id') id: string, @Actor() actor: string) {
    return this.webhooks.rotateSecret(id, actor);
  }

  /** Newest first: status, attempts, the receiver's last status and at most 1 KB of its answer. */
  @Get(':id/deliveries')
  @ApiOkResponse({ type: WebhookDeliveryList })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', ...ERRORS)
  async deliveries(@Param('id') id: string, @Query() query: DeliveriesQuery) {
    return { items: await this.webhooks.listDeliveries(id, query.limit, query.before) };
  }

  /** Queues the delivery's events again (same webhook-id, so a receiver that already has them can tell). */
  @Post(':id/deliveries/:delivery/send-again')
  @ApiCreatedResponse({ type: WebhookDeliveryDto })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', ...ERRORS)
  sendAgain(@Param('id') id: string, @Param('delivery', ParseIntPipe) delivery: number, @Actor() actor: string) {
    return this.webhooks.sendAgain(id, delivery, actor);
  }
}
