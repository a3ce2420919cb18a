import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
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

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('v1/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  /** Admin only: the token is in this answer and nowhere else. */
  @Post()
  create(@Body() body: CreateTokenDto, @Actor() actor: string) {
    return this.tokens.createToken(body.role, body.name ?? `${body.role} token`, actor);
  }
}
