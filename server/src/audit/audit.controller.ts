import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CustomerScope } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { PageQuery } from '../common/paging';
import { AuditService } from './audit.service';
import { ApiErrors } from '../common/api-docs';
import { AuditEventPage, ChainVerdictDto } from './responses';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** Events, newest first; a customer reads the events of its own customer. */
  @Get()
  @Roles('auditor', 'customer')
  @ApiOkResponse({ type: AuditEventPage })
  @ApiErrors('INVALID_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  list(@Query() query: PageQuery, @CustomerScope() scope?: string) {
    return this.audit.listEvents(query, scope);
  }

  /** Re-hashes the whole chain; `ok: false` names where it breaks. */
  @Get('verify')
  @Roles('auditor')
  @ApiOkResponse({ type: ChainVerdictDto })
  @ApiErrors('UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  verify() {
    return this.audit.verifyChain();
  }
}
