import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** A caller's own request id is kept when it looks like one (a proxy's or load balancer's), so both logs join. */
const CALLER_REQUEST_ID = /^[\w.:-]{1,64}$/;

/** Fastify's request id, which every log line of the request carries: the caller's `x-request-id`, or a new UUID. */
export function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && CALLER_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Every answer names its request id, so a caller can point at the log lines of its request. */
export function echoRequestId(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
}
