import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/roles.decorator';

export class HealthDto {
  @ApiProperty({ example: 'ok' }) status!: string;
}

@ApiTags('health')
@Public()
@Controller('healthz')
export class HealthController {
  @Get()
  @ApiOkResponse({ type: HealthDto })
  health() {
    return { status: 'ok' };
  }
}
