#!/usr/bin/env node
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
import { configureApp, httpAdapter, prepareForServing } from './bootstrap';
import { StderrLogger } from './common/stderr-logger';
import { loadConfig } from './config/config';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, httpAdapter(config), {
    logger: new StderrLogger({ logLevels: ['fatal', 'error', 'warn'] }),
  });
  configureApp(app);
  await prepareForServing(app);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.stdout.write(`Seatlock server listening on http://${config.host}:${port}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`Seatlock server failed to start: ${error.message}\n`);
  process.exit(1);
});
