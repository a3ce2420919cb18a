import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiProduces, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MAX_BATCH_BYTES, MAX_BATCH_REQUESTS, SeatlockError } from '@seatlock/shared';
import type { FastifyReply } from 'fastify';
import { PassThrough, type Readable } from 'node:stream';
import { ClientAddress } from '../auth/principal';
import { Public } from '../auth/roles.decorator';
import { readActivationBody } from './activation-body';
import { ActivationsService, type BatchOutcome } from './activations.service';
import { ApiErrors } from '../common/api-docs';

/** The activation body as OpenAPI shows it; readActivationBody checks it. */
export class ActivateDto {
  @ApiProperty({ description: "The pool's activation code", minLength: 1, maxLength: 200 })
  activationCode!: string;

  @ApiProperty({ example: 'android', minLength: 1, maxLength: 64 })
  platform!: string;

  @ApiProperty({ description: 'Hashed fingerprint components: `{v: 1, components: {name: {h, w, s}}}`', type: 'object', additionalProperties: true })
  fingerprint!: Record<string, unknown>;

  @ApiProperty({
    description: 'Names of the fingerprint components the device maker declared rather than the agent collected (never registry names); implied by the names when absent',
    required: false,
    type: [String],
    example: ['hisi.chip-id'],
  })
  declared?: string[];
}

export class ActivationResponse {
  @ApiProperty()
  deviceId!: string;
  @ApiProperty()
  poolId!: string;
  @ApiProperty({ description: 'The license file text' })
  license!: string;
  @ApiProperty()
  seats!: number;
  @ApiProperty()
  seatsUsed!: number;
}

class BatchError {
  @ApiProperty({ example: 'SEATS_EXHAUSTED' })
  code!: string;
  @ApiProperty()
  message!: string;
}

export class BatchOutcomeResponse {
  @ApiProperty({ description: 'Position of the request file in the body, from 0' })
  index!: number;
  @ApiProperty({ enum: ['created', 'existing', 'refused'], description: '`created`: a new seat; `existing`: already bound, its license again; `refused`: see `error`' })
  outcome!: string;
  @ApiProperty({ required: false })
  deviceId?: string;
  @ApiProperty({ required: false, description: 'The license file text (created and existing)' })
  license?: string;
  @ApiProperty({ required: false, type: BatchError, description: "The contract's error code and message (refused)" })
  error?: BatchError;
}

export class BatchResponse {
  @ApiProperty()
  created!: number;
  @ApiProperty()
  existing!: number;
  @ApiProperty()
  refused!: number;
  @ApiProperty({ type: [BatchOutcomeResponse], description: 'One per request file, in the order of the body' })
  results!: BatchOutcomeResponse[];
}

/**
 * The batch answer as a stream whose first bytes go out at once, so the status reaches the
 * client while the seats are committed (a factory line pipelines its batches on it); the
 * outcomes follow. The body is the JSON of a BatchResponse. A fault cuts the answer short.
 */
function batchAnswer(outcomes: Promise<BatchOutcome[]>): Readable {
  const body = new PassThrough();
  body.write('{"results":');
  outcomes.then(
    (all) => {
      const count = (outcome: string) => all.filter((o) => o.outcome === outcome).length;
      const results: BatchOutcomeResponse[] = all.map((o, index) => ({ index, ...o }));
      body.end(`${JSON.stringify(results)},"created":${count('created')},"existing":${count('existing')},"refused":${count('refused')}}`);
    },
    (error: unknown) => body.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  return body;
}

@ApiTags('activations')
@Public()
@Controller('v1/activations')
export class ActivationsController {
  constructor(private readonly activations: ActivationsService) {}

  @Post()
  @ApiErrors('INVALID_REQUEST', 'INVALID_ACTIVATION_CODE', 'SEATS_EXHAUSTED', 'TRIAL_EXPIRED', 'UNSUPPORTED_PLATFORM', 'WEAK_FINGERPRINT', 'DEVICE_REVOKED', 'RATE_LIMITED', 'STORAGE_FULL')
  @ApiBody({ type: ActivateDto })
  @ApiResponse({ status: 201, type: ActivationResponse, description: 'A new device took a seat' })
  @ApiResponse({ status: 200, type: ActivationResponse, description: 'The device was already bound: its license again, no seat taken' })
  // `unknown`, not ActivateDto, so that the global ValidationPipe leaves this body to readActivationBody.
  async activate(@Body() body: unknown, @ClientAddress() client: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<ActivationResponse> {
    const { created, ...result } = await this.activations.activateDevice(readActivationBody(body), client);
    reply.status(created ? 201 : 200);
    return result;
  }

  @Post('offline')
  @ApiConsumes('text/plain')
  @ApiProduces('text/plain')
  @ApiBody({ description: 'An activation request file (SEATLOCK ACTIVATION REQUEST)', schema: { type: 'string' } })
  @ApiResponse({ status: 201, description: 'The license file for a new device', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiResponse({ status: 200, description: 'The license file of a device already bound', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiErrors('INVALID_REQUEST', 'INVALID_ACTIVATION_CODE', 'SEATS_EXHAUSTED', 'TRIAL_EXPIRED', 'UNSUPPORTED_PLATFORM', 'WEAK_FINGERPRINT', 'DEVICE_REVOKED', 'RATE_LIMITED', 'STORAGE_FULL')
  async activateOffline(@Body() body: unknown, @ClientAddress() client: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (typeof body !== 'string') throw new SeatlockError('INVALID_REQUEST', 'Send the activation request file as text/plain.');
    const { created, license } = await this.activations.activateFromRequest(body, client);
    reply.status(created ? 201 : 200).type('text/plain; charset=utf-8');
    return license;
  }

  @Post('batch')
  @HttpCode(200)
  @ApiConsumes('text/plain')
  @ApiBody({
    description: `Activation request files one after another, as \`seatlock-agent request\` writes them; at most ${MAX_BATCH_REQUESTS} files and ${MAX_BATCH_BYTES / 1024 / 1024} MiB`,
    schema: { type: 'string' },
  })
  @ApiResponse({
    status: 200,
    type: BatchResponse,
    description:
      "Each file's outcome, in order; seats are taken in that order. The rate limiter is asked before each file: every file after a batch's wrong codes trip it is refused RATE_LIMITED. " +
      'The status and headers are sent once every seat of the batch is queued, before the body: a batch sent after they arrive takes its seats after this one. ' +
      'A fault after that (a full disk) cuts the answer short; the batch sent again answers what was bound.',
  })
  @ApiErrors('INVALID_REQUEST', 'BATCH_TOO_LARGE', 'RATE_LIMITED', 'STORAGE_FULL')
  async activateBatch(@Body() body: unknown, @ClientAddress() client: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<Readable> {
    if (typeof body !== 'string') throw new SeatlockError('INVALID_REQUEST', 'Send the activation request files as text/plain.');
    const { outcomes } = await this.activations.activateBatch(body, client);
    reply.type('application/json; charset=utf-8');
    return batchAnswer(outcomes);
  }
}
