import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { SeatlockError } from '@seatlock/shared';
import { Public } from '../auth/roles.decorator';
import { ApiErrors } from '../common/api-docs';
import { Readiness } from './readiness';

export class HealthDto {
  @ApiProperty({ example: 'ok' }) status!: string;
}

@ApiTags('health')
@Public()
@Controller()
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process answers. Restart it when this fails.' })
  @ApiOkResponse({ type: HealthDto })
  health() {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOperation({ summary: 'Readiness: migrations ran, keys are loaded, the database answers and the server is not stopping. Send no traffic while this answers 503.' })
  @ApiOkResponse({ type: HealthDto })
  @ApiErrors('NOT_READY')
  async ready() {
    const reason = await this.readiness.notReadyReason();
    if (reason) throw new SeatlockError('NOT_READY', reason);
    return { status: 'ready' };
  }
}
