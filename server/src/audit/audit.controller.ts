import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { PageQuery } from '../common/paging';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth()
@Roles('auditor')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Events, newest first. */
  @Get()
  list(@Query() query: PageQuery) {
    return this.audit.listEvents(query);
  }

  /** Re-hashes the whole chain; `ok: false` names where it breaks. */
  @Get('verify')
  verify() {
    return this.audit.verifyChain();
  }
}
