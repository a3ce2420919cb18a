import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { register } from 'prom-client';
import { AppModule } from '../app.module';
import { configureApp, prepareForServing } from '../bootstrap';
import { CLOCK, type Clock } from '../clock/clock';
import { CONFIG, type ServerConfig } from '../config/config';

/**
 * The whole server in the spec's process, on the spec's clock and configuration, ready to serve
 * (not listening). Closing it also empties prom-client's process-wide registry, where the app's
 * metrics live: the next file this vitest worker runs (workers keep their modules between files) registers them again.
 */
export async function appForSpec(clock: Clock, config: ServerConfig): Promise<NestFastifyApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).overrideProvider(CLOCK).useValue(clock).overrideProvider(CONFIG).useValue(config).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: ['error'] });
  configureApp(app);
  await prepareForServing(app);
  const close = app.close.bind(app);
  app.close = async () => {
    await close();
    register.clear();
  };
  return app;
}
