import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/roles.decorator';
import { KeysService } from './keys.service';
import { TrustDto } from './responses';

@ApiTags('trust')
@Public()
@Controller('v1/trust')
export class TrustController {
  constructor(private readonly keys: KeysService) {}

  /** The root CA to pin and every issuing certificate it signed, as PEM. */
  @Get()
  @ApiOkResponse({ type: TrustDto })
  trust() {
    return this.keys.trust();
  }
}
