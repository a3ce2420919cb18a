import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/roles.decorator';

@ApiTags('health')
@Public()
@Controller('healthz')
export class HealthController {
  @Get()
  health() {
    return { status: 'ok' };
  }
}
