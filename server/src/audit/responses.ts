import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf } from '../common/api-docs';
import type { AuditVerdict } from './audit-checkpoints.service';
import type { AuditEventResponse } from './audit.service';

export class AuditEventDto implements AuditEventResponse {
  @ApiProperty() seq!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: 'order.approved' }) action!: string;
  @ApiProperty({ example: 'user:…', description: '`token:<id>`, `user:<id>`, `cli`, `device`, `system`' }) actor!: string;
  @ApiProperty({ type: String, nullable: true, description: "The actor's name: a person's name or email, a token's name, `seatlock-admin` for the CLI" }) actorName!: string | null;
  @ApiProperty({ example: 'order:…' }) subject!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The name of the customer the event concerns' }) customerName!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: unknown;
  @ApiProperty() hash!: string;
}

export const AuditEventPage = PageOf(AuditEventDto);

export class ChainVerdictDto implements AuditVerdict {
  @ApiProperty() ok!: boolean;
  @ApiProperty() events!: number;
  @ApiPropertyOptional({ description: 'First sequence number where the chain breaks' }) brokenAt?: number;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty({ description: 'Checkpoints whose signature and place in the chain were checked' }) checkpoints!: number;
  @ApiProperty({ description: 'The last event a valid checkpoint covers; later events are protected only by their hash links' }) signedThrough!: number;
  @ApiPropertyOptional({ description: 'The event the given anchor covers, when one was given and holds' }) anchoredAt?: number;
  @ApiPropertyOptional({ description: 'When resumed: the signed event the walk started from; the links up to it were not re-read' }) resumedFrom?: number;
}
