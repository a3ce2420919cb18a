import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { CONFIG, type ServerConfig } from '../config/config';
import { pinoHttpOptions } from './pino-options';

/** JSON logs on stderr through pino: one access line per request, and the request's id on every line logged while serving it. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [CONFIG],
      useFactory: (config: ServerConfig) => ({ pinoHttp: pinoHttpOptions(config.logLevel), forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }] }),
    }),
  ],
})
export class LoggingModule {}
