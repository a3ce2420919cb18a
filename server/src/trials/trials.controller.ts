import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { Actor, type Caller, CurrentCaller } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { ApplicationsQuery, DecisionDto } from '../common/review';
import { TrialsService } from './trials.service';

export class SubmitTrialDto {
  @ApiProperty()
  @IsString()
  @Length(1, 64)
  customerId!: string;

  @ApiProperty({ example: 'face-liveness' })
  @IsString()
  @Length(1, 64)
  product!: string;

  @ApiPropertyOptional({ enum: ['ir', 'structured-light-3d', 'monocular'] })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  modality?: string;
}

@ApiTags('trials')
@ApiBearerAuth()
@Controller('v1/trials')
export class TrialsController {
  constructor(private readonly trials: TrialsService) {}

  @Post()
  @Roles('issuer')
  submit(@Body() body: SubmitTrialDto, @CurrentCaller() caller: Caller) {
    return this.trials.submitTrial(body, caller);
  }

  /** `overdue=true`: submitted trials past their review due date. */
  @Get()
  @Roles('issuer', 'auditor')
  list(@Query() query: ApplicationsQuery) {
    return this.trials.listTrials(query);
  }

  @Get(':id')
  @Roles('issuer', 'auditor')
  get(@Param('id') id: string) {
    return this.trials.getTrial(id);
  }

  /** Creates a 3-seat pool expiring in 60 days; its activation code is in this answer only. */
  @Post(':id/approve')
  @HttpCode(200)
  @Roles('issuer')
  approve(@Param('id') id: string, @Body() body: DecisionDto, @CurrentCaller() reviewer: Caller) {
    return this.trials.approveTrial(id, reviewer, body?.reason);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Roles('issuer')
  reject(@Param('id') id: string, @Body() body: DecisionDto, @Actor() actor: string) {
    return this.trials.rejectTrial(id, actor, body?.reason);
  }
}
