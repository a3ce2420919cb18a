import { Logger } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { MAX_BATCH_BYTES } from '@seatlock/shared';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AuditCheckpoints } from './audit/audit-checkpoints.service';
import { TokensService } from './auth/tokens.service';
import { UsersService } from './auth/users.service';
import { ErrorFilter } from './common/error.filter';
import { limitJsonDepth } from './common/json-body';
import { validationPipe } from './common/validation';
import { CONFIG, type ServerConfig } from './config/config';
import { Readiness } from './health/readiness';
import { echoRequestId, requestId } from './logging/request-id';
import { instrumentHttp } from './metrics/http-metrics';
import { OutboxWorker } from './outbox/outbox.worker';
import { ReminderScanner } from './reminders/reminder-scanner';
import { KeysService } from './signing/keys.service';

export const BATCH_ROUTE = '/v1/activations/batch';

export function httpAdapter(config: ServerConfig): FastifyAdapter {
  const adapter = new FastifyAdapter({
    trustProxy: config.trustProxy.length > 0 ? [...config.trustProxy] : false,
    bodyLimit: 256 * 1024,
    requestIdHeader: false,
    genReqId: requestId,
    // The router refuses some paths before Nest sees them (one that is not UTF-8 once decoded, an id
    // past 100 characters): those answers keep the contract's shape too.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      void reply
        .code(400)
        .header('content-type', 'application/json; charset=utf-8')
        .send({ error: { code: 'INVALID_REQUEST', message: error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is too long.' : 'The path is not valid.' } });
    },
  });
  // A factory line's batch of request files is the one body allowed to be larger.
  adapter.getInstance().addHook('onRoute', (route) => {
    if (route.url === BATCH_ROUTE) route.bodyLimit = MAX_BATCH_BYTES;
  });
  return adapter;
}

/** Validation, the error filter, request ids and metrics, and the OpenAPI document at /docs, for the server and for tests alike. */
export function configureApp(app: NestFastifyApplication): void {
  echoRequestId(app.getHttpAdapter().getInstance());
  instrumentHttp(app.getHttpAdapter().getInstance());
  limitJsonDepth(app);
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ErrorFilter());
  // Built on the first request for it, not at every start.
  const document = () =>
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Seatlock license server')
        .setDescription('Orders, trials, pools, device activation and license signing. Errors are `{error: {code, message}}`.')
        .setVersion('1')
        .addBearerAuth()
        .build(),
    );
  SwaggerModule.setup('docs', app, document);
}

/**
 * Keys and the bootstrap admin token, checked before the first request is served; audit
 * checkpoints on their schedule. Migrations ran when the database connected; /readyz says ready after this.
 * Answers whether the database has neither an API token nor a person yet (the next steps then say how to make one).
 */
export async function prepareForServing(app: NestFastifyApplication): Promise<{ firstAdminNeeded: boolean }> {
  const config = app.get<ServerConfig>(CONFIG);
  await app.get(KeysService).prepareForServing();
  app.get(AuditCheckpoints).startSchedule();
  await app.get(OutboxWorker).start();
  app.get(ReminderScanner).start();
  const tokens = app.get(TokensService);
  if (config.adminToken) await tokens.ensureAdminToken(config.adminToken);
  const noToken = (await tokens.countTokens()) === 0;
  // At a terminal the plain next steps say this instead (main.ts).
  if (noToken && config.logFormat === 'json') {
    new Logger('Auth').warn(
      'No API token exists yet. Create an admin token with `npx seatlock-admin tokens create --role admin` ' +
        '(same SEATLOCK_DATA_DIR / DATABASE_URL), or start the server with SEATLOCK_ADMIN_TOKEN set.',
    );
  }
  app.get(Readiness).markReady();
  return { firstAdminNeeded: noToken && (await app.get(UsersService).countUsers()) === 0 };
}
