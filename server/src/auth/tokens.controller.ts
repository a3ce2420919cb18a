import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PageQuery } from '../common/paging';
import { ROLES, type Role } from './api-token.entity';
import { Actor } from './principal';
import { TokensService } from './tokens.service';

export class CreateTokenDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ description: 'What the token is for' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}

/** Admin only (no @Roles): tokens grant every other right. */
@ApiTags('tokens')
@ApiBearerAuth()
@Controller('v1/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  /** The token is in this answer and nowhere else. */
  @Post()
  create(@Body() body: CreateTokenDto, @Actor() actor: string) {
    return this.tokens.createToken(body.role, body.name ?? `${body.role} token`, actor);
  }

  /** Every token, revoked ones included (with `revokedAt`); never the secret. */
  @Get()
  list(@Query() query: PageQuery) {
    return this.tokens.listTokens(query);
  }

  /** Refused at once on this instance, within 5 s on the others. */
  @Delete(':id')
  revoke(@Param('id') id: string, @Actor() actor: string) {
    return this.tokens.revokeToken(id, actor);
  }
}
