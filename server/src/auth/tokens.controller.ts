import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PageQuery } from '../common/paging';
import { ROLES, type Role } from './api-token.entity';
import { Actor, CurrentPrincipal, type Principal } from './principal';
import { Roles } from './roles.decorator';
import { TokensService } from './tokens.service';
import { ApiErrors } from '../common/api-docs';
import { CreatedTokenDto, TokenDto, TokenPage } from './responses';

export class CreateTokenDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ description: 'What the token is for' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ description: 'The customer a customer token acts for; required for that role only' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  customerId?: string;
}

/** Admin only (no @Roles): tokens grant every other right. Only creating customer tokens is open to a customer's signed-in user. */
@ApiTags('tokens')
@ApiBearerAuth()
@Controller('v1/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  /**
   * Admins create any token; a customer's signed-in user creates customer tokens for its own
   * customer (a token cannot mint tokens, so a leaked one cannot outlive its revocation). The
   * token is in this answer and nowhere else.
   */
  @Post()
  @Roles('customer')
  @ApiCreatedResponse({ type: CreatedTokenDto })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  create(@Body() body: CreateTokenDto, @Actor() actor: string, @CurrentPrincipal() principal: Principal) {
    return this.tokens.createToken({ role: body.role, name: body.name ?? `${body.role} token`, customerId: body.customerId }, actor, principal);
  }

  /** Every token, revoked ones included (with `revokedAt`); never the secret. */
  @Get()
  @ApiOkResponse({ type: TokenPage })
  @ApiErrors('INVALID_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  list(@Query() query: PageQuery) {
    return this.tokens.listTokens(query);
  }

  /** Refused at once on this instance, within 5 s on the others. */
  @Delete(':id')
  @ApiOkResponse({ type: TokenDto })
  @ApiErrors('NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  revoke(@Param('id') id: string, @Actor() actor: string) {
    return this.tokens.revokeToken(id, actor);
  }
}
