#!/usr/bin/env node
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
import { configureApp, httpAdapter, prepareForServing } from './bootstrap';
import { StderrLogger } from './common/stderr-logger';
import { serveConsole } from './console/serve-console';
import { loadConfig, type ServerConfig } from './config/config';
import { Readiness } from './health/readiness';
import { JsonLogger } from './logging/json-logger';
import { nextSteps } from './next-steps';

const STOP_GRACE_MS = 15_000;

async function main(): Promise<void> {
  const config = loadConfig();
  // Nest's own lines wait for the JSON logger; if the application fails before that logger exists
  // (say the database is unreachable), they go to stderr in plain text, never to stdout.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, httpAdapter(config), {
    bufferLogs: true,
    logger: new StderrLogger({ logLevels: ['fatal', 'error', 'warn'] }),
  });
  app.useLogger(app.get(JsonLogger));
  configureApp(app);
  const consoleServed = serveConsole(app, config.consoleDir);
  const { firstAdminNeeded } = await prepareForServing(app);
  stopGracefully(app, config);
  await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.stdout.write(`Seatlock server listening on http://${config.host}:${port}\n`);
  if (config.logFormat === 'text') process.stdout.write(nextSteps(config, port, { consoleServed, firstAdminNeeded }));
}

/**
 * On SIGTERM or SIGINT: /readyz answers 503 at once and, after SEATLOCK_SHUTDOWN_DELAY_SECONDS
 * (for load balancers to take the instance out), the server stops accepting connections, let requests in flight finish (their
 * activations commit), then close workers and the database. Answers sent while stopping close
 * their keep-alive connection, or an idle client would hold the server open.
 */
function stopGracefully(app: NestFastifyApplication, config: ServerConfig): void {
  let stopping = false;
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (_request, reply) => {
      if (stopping) reply.header('connection', 'close');
    });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.get(Readiness).markStopping();
    const delayMs = config.shutdownDelaySeconds * 1000;
    setTimeout(() => {
      process.stderr.write(`Seatlock server: requests still running ${STOP_GRACE_MS / 1000} s after ${signal}; exiting.\n`);
      process.exit(1);
    }, delayMs + STOP_GRACE_MS).unref();
    const closing = new Promise((done) => setTimeout(done, delayMs)).then(() => app.close());
    closing.then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`Seatlock server: shutdown failed: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: Error) => {
  process.stderr.write(`Seatlock server failed to start: ${error.message}\n`);
  process.exit(1);
});
