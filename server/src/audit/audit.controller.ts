import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CustomerScope } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { PageQuery } from '../common/paging';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Events, newest first; a customer reads the events of its own customer. */
  @Get()
  @Roles('auditor', 'customer')
  list(@Query() query: PageQuery, @CustomerScope() scope?: string) {
    return this.audit.listEvents(query, scope);
  }

  /** Re-hashes the whole chain; `ok: false` names where it breaks. */
  @Get('verify')
  @Roles('auditor')
  verify() {
    return this.audit.verifyChain();
  }
}
