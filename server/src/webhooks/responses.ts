import { ApiExtraModels, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_TYPES, type EventType } from '../outbox/events';
import type { DeliveryRecord, DeliveryStatus } from '../outbox/outbox.service';
import type { EndpointResponse, EndpointStatus, EndpointWithSecret } from './webhooks.service';

export class WebhookEndpointDto implements EndpointResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'https://erp.example.com/seatlock' }) url!: string;
  @ApiProperty({ enum: EVENT_TYPES, enumName: 'WebhookEventType', isArray: true }) eventTypes!: EventType[];
  @ApiProperty({ enum: ['enabled', 'disabled'] }) status!: EndpointStatus;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Since when every delivery has failed; the endpoint is disabled after SEATLOCK_WEBHOOK_DISABLE_AFTER_DAYS' })
  failingSince!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'After a rotation, the previous secret signs too until then' })
  previousSecretUntil!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) disabledAt!: string | null;
}

export class WebhookEndpointWithSecretDto extends WebhookEndpointDto implements EndpointWithSecret {
  @ApiProperty({ description: 'The signing secret (`whsec_...`), in this answer only', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret!: string;
}

export class WebhookDeliveryDto implements DeliveryRecord {
  @ApiProperty() id!: number;
  @ApiProperty() eventId!: number;
  @ApiProperty({ enum: EVENT_TYPES, enumName: 'WebhookEventType' }) type!: string;
  @ApiProperty() recipient!: string;
  @ApiProperty({ enum: ['pending', 'delivered', 'failed'] }) status!: DeliveryStatus;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) nextAttemptAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) finishedAt!: string | null;
  @ApiProperty({ type: Number, nullable: true, description: "The receiver's last HTTP status" }) answerStatus!: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'At most the first 1 KB of the last answer' }) answer!: string | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}

export class WebhookDeliveryList {
  @ApiProperty({ type: [WebhookDeliveryDto] }) items!: WebhookDeliveryDto[];
}

export class WebhookEndpointList {
  @ApiProperty({ type: [WebhookEndpointDto] }) items!: WebhookEndpointDto[];
}

/*
 * The request bodies endpoints receive: `{type, timestamp, data}`, signed per Standard Webhooks
 * (`webhook-id`, `webhook-timestamp`, `webhook-signature`). One `data` schema per event type.
 */

export class ApplicationEventData {
  @ApiPropertyOptional({ description: 'order.* events' }) orderId?: string;
  @ApiPropertyOptional({ description: 'trial.* events' }) trialId?: string;
  @ApiProperty() customerId!: string;
  @ApiPropertyOptional({ description: 'submitted' }) product?: string;
  @ApiPropertyOptional({ description: 'order.submitted' }) quantity?: number;
  @ApiPropertyOptional({ description: 'approved: the pool made' }) poolId?: string;
  @ApiPropertyOptional({ description: "approved or rejected: the reviewer's reason, when one was given" }) reason?: string;
}

export class PoolCreatedData {
  @ApiProperty() poolId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ enum: ['perpetual', 'trial'] }) kind!: string;
  @ApiProperty() product!: string;
  @ApiProperty() seats!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) expiresAt!: string | null;
}

export class PoolUsageData {
  @ApiProperty() poolId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty() seats!: number;
  @ApiProperty() seatsUsed!: number;
}

export class ActivatedDevice {
  @ApiProperty() deviceId!: string;
  @ApiProperty() licenseId!: string;
  @ApiProperty() platform!: string;
}

export class DeviceActivatedData {
  @ApiProperty() poolId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ type: [ActivatedDevice], description: 'Every device of the pool activated within one second' }) devices!: ActivatedDevice[];
}

export class DeviceRevokedData {
  @ApiProperty() deviceId!: string;
  @ApiProperty() poolId!: string;
  @ApiProperty() customerId!: string;
  @ApiPropertyOptional() reason?: string;
}

export class SigningKeyRotatedData {
  @ApiProperty({ description: 'The new issuing key' }) kid!: string;
  @ApiProperty() rootKid!: string;
}

export class AuditVerificationFailedData {
  @ApiProperty({ description: 'Events checked before the break' }) events!: number;
  @ApiPropertyOptional({ description: 'The first event where the chain breaks' }) brokenAt?: number;
  @ApiProperty() reason!: string;
}

const DATA_BY_TYPE: Record<EventType, string> = {
  'order.submitted': 'ApplicationEventData',
  'order.approved': 'ApplicationEventData',
  'order.rejected': 'ApplicationEventData',
  'trial.submitted': 'ApplicationEventData',
  'trial.approved': 'ApplicationEventData',
  'trial.rejected': 'ApplicationEventData',
  'pool.created': 'PoolCreatedData',
  'pool.nearly_full': 'PoolUsageData (80 % of the seats bound)',
  'pool.full': 'PoolUsageData',
  'device.activated': 'DeviceActivatedData (batched per second per pool)',
  'device.revoked': 'DeviceRevokedData',
  'signing_key.rotated': 'SigningKeyRotatedData',
  'audit.verification_failed': 'AuditVerificationFailedData',
};

@ApiExtraModels(ApplicationEventData, PoolCreatedData, PoolUsageData, DeviceActivatedData, DeviceRevokedData, SigningKeyRotatedData, AuditVerificationFailedData)
export class WebhookEventBody {
  @ApiProperty({ enum: EVENT_TYPES, enumName: 'WebhookEventType' }) type!: EventType;
  @ApiProperty({ format: 'date-time', description: 'When the change was committed' }) timestamp!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: `By type: ${Object.entries(DATA_BY_TYPE)
      .map(([type, schema]) => `${type}: ${schema}`)
      .join('; ')}`,
  })
  data!: Record<string, unknown>;
}
