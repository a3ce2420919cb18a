import { writeSync } from 'node:fs';
import pino, { type DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { LogFormat, LogLevel } from '../config/config';

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

/** pino-http's options, paired with where the lines go (logDestination): stderr, written synchronously so a crash loses no line. */
export function pinoHttpOptions(level: LogLevel, destination: DestinationStream): [Options, DestinationStream] {
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

/** Nest's own start-up lines (modules loaded, each route mapped): a hundred lines a person at a terminal does not need. */
const START_UP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);
const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

interface LogEntry {
  level: number;
  time: number;
  msg?: string;
  context?: string;
  req?: { method: string; path: string };
  res?: { statusCode: number };
  responseTime?: number;
  err?: { message: string };
}

/** One JSON log line as a person reads it at a terminal, or null for start-up chatter. */
export function plainLogLine(json: string): string | null {
  const entry = JSON.parse(json) as LogEntry;
  if (entry.level <= 30 && entry.context && START_UP_CONTEXTS.has(entry.context)) return null;
  const time = new Date(entry.time).toISOString().slice(11, 19);
  const level = LEVEL_NAMES[entry.level] ?? String(entry.level);
  if (entry.req && entry.res) return `${time} ${level} ${entry.req.method} ${entry.req.path} ${entry.res.statusCode} (${entry.responseTime ?? 0} ms)`;
  const context = entry.context ? `${entry.context}: ` : '';
  const error = entry.err && entry.err.message !== entry.msg ? ` (${entry.err.message})` : '';
  return `${time} ${level} ${context}${entry.msg ?? ''}${error}`;
}

/** Where logs go: JSON lines on stderr, or at a terminal (LOG_FORMAT=text) the same entries as plain lines. Both synchronous. */
export function logDestination(format: LogFormat): DestinationStream {
  if (format === 'json') return pino.destination({ dest: 2, sync: true });
  return {
    write(line: string) {
      const plain = plainLogLine(line);
      if (plain !== null) writeSync(2, `${plain}\n`);
    },
  };
}
