import pino, { type DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { LogLevel } from '../config/config';

/**
 * Requests are logged as method, path and status only: headers carry tokens and session cookies,
 * query strings and bodies may carry activation codes or passwords, and answers carry licenses.
 */
export const serializers = {
  req: (request: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
    id: request.id,
    method: request.method,
    path: request.url.split('?')[0],
    remoteAddress: request.remoteAddress,
  }),
  res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
  // The type and message only: an error's other fields (a failed query's parameters) may hold secrets.
  err: (error: Error) => ({ type: error.name, message: error.message }),
};

/** pino-http's options and its destination: stderr, written synchronously so a crash loses no line. stdout carries only the "listening" line. */
export function pinoHttpOptions(level: LogLevel, destination: DestinationStream = pino.destination({ dest: 2, sync: true })): [Options, DestinationStream] {
  return [
    {
      // The request id is Fastify's (see request-id.ts), which pino-http finds on the request.
      level,
      serializers,
      customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
    },
    destination,
  ];
}
