import { Global, Inject, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import pinoHttp, { type HttpLogger } from 'pino-http';
import { CONFIG, type ServerConfig } from '../config/config';
import { HTTP_LOGGER, JsonLogger, requestLogging } from './json-logger';
import { logDestination, pinoHttpOptions } from './pino-options';

/** Logs on stderr through pino: one access line per request, and the request's id on every line logged while serving it. */
@Global()
@Module({
  providers: [
    {
      provide: HTTP_LOGGER,
      inject: [CONFIG],
      useFactory: (config: ServerConfig) => pinoHttp(...pinoHttpOptions(config.logLevel, logDestination(config.logFormat))),
    },
    JsonLogger,
  ],
  exports: [JsonLogger],
})
export class LoggingModule implements NestModule {
  constructor(@Inject(HTTP_LOGGER) private readonly httpLogger: HttpLogger) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestLogging(this.httpLogger)).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
