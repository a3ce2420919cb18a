import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { Roles } from '../auth/roles.decorator';
import { PageQuery } from '../common/paging';
import { AuditCheckpoints } from './audit-checkpoints.service';
import { AuditService } from './audit.service';

export class VerifyAnchorDto {
  @ApiProperty({ description: 'The `anchor` JWS printed by `seatlock-admin audit anchor`' })
  @IsString()
  @Length(1, 16_000)
  anchor!: string;
}

@ApiTags('audit')
@ApiBearerAuth()
@Roles('auditor')
@Controller('v1/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly checkpoints: AuditCheckpoints,
  ) {}

  /** Events, newest first. */
  @Get()
  list(@Query() query: PageQuery) {
    return this.audit.listEvents(query);
  }

  /** Re-hashes the whole chain and checks it against its signed checkpoints; `ok: false` names where it breaks. */
  @Get('verify')
  verify() {
    return this.checkpoints.verify();
  }

  /** As GET, and the chain must also hold the head an earlier anchor signed. */
  @Post('verify')
  @HttpCode(200)
  verifyWithAnchor(@Body() body: VerifyAnchorDto) {
    return this.checkpoints.verify(body.anchor);
  }
}
