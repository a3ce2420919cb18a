import { type Language, LANGUAGES } from '../mail/language';
import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../common/api-docs';
import { ROLES, type Role } from './api-token.entity';
import type { TokenResponse } from './tokens.service';
import type { UserStatus } from './user.entity';
import type { ListedUser, UserResponse } from './users.service';

export class TokenDto implements TokenResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The customer a customer token acts for' }) customerId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
}

export const TokenPage = PageOf(TokenDto);

export class CreatedTokenDto extends TokenDto {
  @ApiProperty({ description: 'The bearer token, shown this once; stored hashed' }) token!: string;
}

export class UserDto implements UserResponse {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: String, nullable: true, description: 'A display name, when one was given' }) name!: string | null;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: String, nullable: true, description: 'The customer a customer user acts for' }) customerId!: string | null;
  @ApiProperty({ enum: ['invited', 'active', 'disabled'] }) status!: UserStatus;
  @ApiProperty({ enum: LANGUAGES, description: "The language of the person's e-mails" }) language!: Language;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** A user as the list shows it: with the name of the customer a customer user acts for. */
export class ListedUserDto extends UserDto implements ListedUser {
  @ApiProperty({ type: String, nullable: true, description: "The name of the customer a customer user acts for" }) customerName!: string | null;
}

export const UserPage = PageOf(ListedUserDto);

export class InviteDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'The one-time invite token for POST /v1/users/accept, shown this once' }) invite!: string;
  @ApiProperty({ format: 'date-time' }) inviteExpiresAt!: string;
}

export class SignedInDto {
  @ApiProperty({ type: UserDto }) user!: UserDto;
  @ApiProperty({ format: 'date-time', description: 'The absolute end of the session' }) expiresAt!: string;
}

/** The caller: a signed-in user (`kind: user`, with the user's fields) or a token (`kind: token`, with the token's). */
export class MeDto {
  @ApiProperty({ enum: ['user', 'token'] }) kind!: 'user' | 'token';
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ type: String, nullable: true }) customerId!: string | null;
  @ApiProperty({ required: false, description: 'Users only' }) email?: string;
  @ApiProperty({ required: false, enum: ['invited', 'active', 'disabled'], description: 'Users only' }) status?: UserStatus;
  @ApiProperty({ required: false, type: String, nullable: true, description: "A token's name, or a user's display name (null when none was given)" }) name?: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

