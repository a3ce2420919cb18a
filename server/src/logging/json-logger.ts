import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { HttpLogger } from 'pino-http';

export const HTTP_LOGGER = Symbol('HttpLogger');

/** The logger of the request being served, so a line logged while serving it carries its id. */
const requestLogger = new AsyncLocalStorage<Logger>();

/** Logs the request (pino-http: one access line when it completes), then serves the rest of it with its own logger. */
export function requestLogging(httpLogger: HttpLogger) {
  return (request: IncomingMessage & { log?: Logger }, response: ServerResponse, next: () => void) =>
    httpLogger(request, response, () => requestLogger.run(request.log ?? httpLogger.logger, next));
}

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Nest's logger interface over pino: `{ context, ... }, message`, the request's logger when there is one. */
@Injectable()
export class JsonLogger implements LoggerService {
  constructor(@Inject(HTTP_LOGGER) private readonly httpLogger: HttpLogger) {}

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest passes the context last; its exception handlers pass `(message, stack, context)`. */
  private write(level: Level, message: unknown, params: unknown[]): void {
    const logger = requestLogger.getStore() ?? this.httpLogger.logger;
    const fields: Record<string, unknown> = {};
    if (params.length > 0) fields.context = params.at(-1);
    const rest = params.slice(0, -1);
    if (message instanceof Error) {
      logger[level]({ ...fields, err: message });
    } else if (typeof message === 'object' && message !== null) {
      logger[level]({ ...fields, ...message });
    } else if (level === 'error' && rest.length === 1 && typeof rest[0] === 'string' && /\n\s*at /.test(rest[0])) {
      const error = new Error(String(message));
      error.stack = rest[0];
      logger[level]({ ...fields, err: error });
    } else {
      logger[level](fields, String(message), ...rest);
    }
  }
}
