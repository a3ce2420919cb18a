import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { type ErrorCode, SeatlockError } from '@seatlock/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MAX_BATCH_BYTES } from '@seatlock/shared';
import { isStorageFull } from '../database/database.service';

/** What a client is told to wait when the disk is full: an operator has to act, so not seconds. */
const STORAGE_FULL_RETRY_SECONDS = 60;

const CODE_BY_STATUS: Record<number, ErrorCode> = { 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 429: 'RATE_LIMITED' };

/** Every failure leaves as the contract's `{error: {code, message}}`; a server fault is the only 5xx and shows no internals. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, code, message } = this.describe(exception, host.switchToHttp().getRequest<FastifyRequest>().url);
    if (exception instanceof SeatlockError && typeof exception.details?.retryAfterSeconds === 'number') {
      reply.header('Retry-After', String(exception.details.retryAfterSeconds));
    }
    if (code === 'STORAGE_FULL') reply.header('Retry-After', String(STORAGE_FULL_RETRY_SECONDS));
    // A route answering text (a license file) has set its own type before failing.
    reply.status(status).header('content-type', 'application/json; charset=utf-8').send({ error: { code, message } });
  }

  private describe(exception: unknown, url: string): { status: number; code: string; message: string } {
    if (exception instanceof SeatlockError) return { status: exception.status, code: exception.code, message: exception.message };
    const status = exception instanceof HttpException ? exception.getStatus() : (exception as { statusCode?: unknown })?.statusCode;
    // The body limit is enforced by Fastify before the route runs; the batch route's is part of its contract.
    if (status === 413 && url.split('?')[0] === '/v1/activations/batch') {
      return { status, code: 'BATCH_TOO_LARGE', message: `A batch body is at most ${MAX_BATCH_BYTES / 1024 / 1024} MiB; send it in parts.` };
    }
    if (isStorageFull(exception)) {
      this.logger.error('The database disk is full: writes are refused with 503 STORAGE_FULL until space is freed.');
      return { status: 503, code: 'STORAGE_FULL', message: 'The server cannot store anything now: its disk is full. Nothing was changed; try again later.' };
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code = CODE_BY_STATUS[status] ?? 'INVALID_REQUEST';
      const message = status === 404 ? 'No such resource.' : ((exception as Error).message ?? 'Invalid request.');
      return { status: code === 'INVALID_REQUEST' ? 400 : status, code, message };
    }
    // Only the error's type and message are logged: request bodies may carry activation codes.
    this.logger.error(`${(exception as Error)?.name ?? 'Error'}: ${(exception as Error)?.message ?? String(exception)}`);
    return { status: 500, code: 'INTERNAL_ERROR', message: 'Internal server error.' };
  }
}
