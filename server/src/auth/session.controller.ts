import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { SeatlockError } from '@seatlock/shared';
import { IsString, Length } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Principal, ClientAddress, CurrentPrincipal } from './principal';
import { Public, Roles } from './roles.decorator';
import { isSameOriginOrSafe } from './same-origin';
import { readSessionCookie, sessionSetCookie } from './session-cookie';
import { SessionsService } from './sessions.service';
import { TokensService } from './tokens.service';
import { UsersService } from './users.service';
import { ApiErrors } from '../common/api-docs';
import { MeDto, SignedInDto } from './responses';

export class SignInDto {
  @ApiProperty({ example: 'ops@acme.example' })
  @IsString()
  @Length(3, 254)
  email!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 256)
  password!: string;
}

@ApiTags('session')
@Controller('v1')
export class SessionController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly tokens: TokensService,
  ) {}

  /** Signs in: the session cookie is set (HttpOnly, SameSite=Strict, Secure over TLS). */
  @Post('session')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: SignedInDto, description: 'Signed in; Set-Cookie carries the session' })
  @ApiErrors('INVALID_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  async signIn(@Body() body: SignInDto, @ClientAddress() client: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    // A page of another site must not sign the browser in to an account of its choosing either.
    if (!isSameOriginOrSafe(request) && request.headers.origin !== undefined) {
      throw new SeatlockError('FORBIDDEN', 'Signing in must come from this server\'s own origin.');
    }
    const signedIn = await this.sessions.signIn(body.email, body.password, client);
    reply.header('set-cookie', sessionSetCookie(signedIn.token, { secure: request.protocol === 'https', maxAgeSeconds: this.sessions.cookieMaxAgeSeconds }));
    return { user: signedIn.user, expiresAt: signedIn.expiresAt };
  }

  /** Signs out: the session ends and the cookie is cleared. */
  @Delete('session')
  @ApiBearerAuth()
  @Roles('issuer', 'auditor', 'customer')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Signed out; the cookie is cleared' })
  @ApiErrors('UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  async signOut(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const token = readSessionCookie(request.headers.cookie);
    if (token !== undefined) await this.sessions.signOut(token);
    reply.header('set-cookie', sessionSetCookie('', { secure: request.protocol === 'https', maxAgeSeconds: 0 }));
  }

  /** Who is calling: the signed-in user, or the token. */
  @Get('me')
  @ApiBearerAuth()
  @Roles('issuer', 'auditor', 'customer')
  @ApiOkResponse({ type: MeDto })
  @ApiErrors('UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED')
  async me(@CurrentPrincipal() principal: Principal) {
    if (principal.kind === 'user') return { kind: 'user' as const, ...(await this.users.getUser(principal.id)) };
    return { kind: 'token' as const, ...(await this.tokens.getToken(principal.id)) };
  }
}
