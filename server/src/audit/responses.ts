import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf } from '../common/api-docs';
import type { AuditEventResponse, ChainVerdict } from './audit.service';

export class AuditEventDto implements AuditEventResponse {
  @ApiProperty() seq!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: 'order.approved' }) action!: string;
  @ApiProperty({ example: 'user:…', description: '`token:<id>`, `user:<id>`, `cli`, `device`, `system`' }) actor!: string;
  @ApiProperty({ example: 'order:…' }) subject!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: unknown;
  @ApiProperty() hash!: string;
}

export const AuditEventPage = PageOf(AuditEventDto);

export class ChainVerdictDto implements ChainVerdict {
  @ApiProperty() ok!: boolean;
  @ApiProperty() events!: number;
  @ApiPropertyOptional({ description: 'First sequence number where the chain breaks' }) brokenAt?: number;
  @ApiPropertyOptional() reason?: string;
}
