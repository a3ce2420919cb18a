import { type Language, LANGUAGES } from '../mail/language';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { IsEmailAddress } from '../common/validation';
import { PageQuery } from '../common/paging';
import { ROLES, type Role } from './api-token.entity';
import { Actor, ClientAddress } from './principal';
import { Public } from './roles.decorator';
import { PASSWORD_LENGTH, UsersService } from './users.service';
import { ApiErrors } from '../common/api-docs';
import { InviteDto, UserDto, UserPage } from './responses';

export class InviteUserDto {
  @ApiProperty({ example: 'ops@acme.example' })
  @IsEmailAddress()
  @Length(3, 254)
  email!: string;

  @ApiPropertyOptional({ description: 'A display name: NFC, trimmed, without control or bidirectional characters', example: 'Ada Lovelace', maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ description: 'The customer a customer user acts for; required for that role only' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  customerId?: string;

  @ApiPropertyOptional({ enum: LANGUAGES, default: 'en', description: "The language of the person's e-mails" })
  @IsOptional()
  @IsIn(LANGUAGES)
  language?: Language;
}

export class AcceptInviteDto {
  @ApiProperty({ description: 'The invite token from POST /v1/users' })
  @IsString()
  @Length(1, 200)
  invite!: string;

  @ApiProperty({ minLength: PASSWORD_LENGTH.min, maxLength: PASSWORD_LENGTH.max })
  @IsString()
  @Length(PASSWORD_LENGTH.min, PASSWORD_LENGTH.max)
  password!: string;
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** Admin only: the one-time invite token (valid 7 days) is in this answer only. */
  @Post()
  @ApiCreatedResponse({ type: InviteDto })
  @ApiErrors('INVALID_REQUEST', 'NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  invite(@Body() body: InviteUserDto, @Actor() actor: string) {
    return this.users.inviteUser(body, actor);
  }

  /** Sets the password with the invite; the user can then sign in. */
  @Post('accept')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: UserDto })
  @ApiErrors('INVALID_REQUEST', 'UNAUTHORIZED', 'RATE_LIMITED')
  accept(@Body() body: AcceptInviteDto, @ClientAddress() client: string) {
    return this.users.acceptInvite(body.invite, body.password, client);
  }

  /** Admin only. */
  @Get()
  @ApiOkResponse({ type: UserPage })
  @ApiErrors('INVALID_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  list(@Query() query: PageQuery) {
    return this.users.listUsers(query);
  }

  /** Admin only: the user can no longer sign in, its sessions end, and every token that acts for it is revoked. */
  @Post(':id/disable')
  @HttpCode(200)
  @ApiOkResponse({ type: UserDto })
  @ApiErrors('NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  disable(@Param('id') id: string, @Actor() actor: string) {
    return this.users.disableUser(id, actor);
  }
}
