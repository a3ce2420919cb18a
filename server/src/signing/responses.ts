import { ApiProperty } from '@nestjs/swagger';
import type { TrustResponse } from './keys.service';

class IssuerDto {
  @ApiProperty() kid!: string;
  @ApiProperty({ description: 'PEM' }) certificate!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class TrustDto implements TrustResponse {
  @ApiProperty({ description: 'The root CA certificate (PEM) to pin' }) root!: string;
  @ApiProperty({ type: [IssuerDto] }) issuers!: IssuerDto[];
}
