import type { FastifyInstance } from 'fastify';
import { httpRequestSeconds, httpRequests } from './metrics';

/**
 * Counts and times every answer by its route template (`/v1/orders/:id`, never the id itself, so
 * the label set stays small), including the ones a guard, the router or the error filter gave.
 */
export function instrumentHttp(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    httpRequests.inc(labels);
    httpRequestSeconds.observe(labels, reply.elapsedTime / 1000);
  });
}
