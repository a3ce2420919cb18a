import type { SeatlockError } from '@seatlock/shared';
import { Counter, Gauge, Histogram } from 'prom-client';

/*
 * The server's own metrics, made once per process on prom-client's default registry, which
 * /metrics serves. Module-level rather than injected: the hot paths (activations, signing, group
 * commit) record with no wiring, and services built by hand in unit specs need none either.
 */

/** Seconds, from a fast local call to a slow fsync under load. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export const httpRequests = new Counter({
  name: 'seatlock_http_requests_total',
  help: 'HTTP requests answered, by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
});

export const httpRequestSeconds = new Histogram({
  name: 'seatlock_http_request_duration_seconds',
  help: 'Time from receiving a request to sending its answer, by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: LATENCY_BUCKETS,
});

export const activations = new Counter({
  name: 'seatlock_activations_total',
  help: 'Device activations (online and offline) by outcome: created (a new seat), existing (the stored license again), refused (with its error code) or failed (a server fault)',
  labelNames: ['outcome', 'code'] as const,
});

/** Counts one activation's outcome. */
export function countActivation(outcome: 'created' | 'existing' | 'failed'): void;
export function countActivation(outcome: 'refused', error: SeatlockError): void;
export function countActivation(outcome: 'created' | 'existing' | 'refused' | 'failed', error?: SeatlockError): void {
  activations.inc({ outcome, code: error?.code ?? '' });
}

export const signingSeconds = new Histogram({
  name: 'seatlock_signing_duration_seconds',
  help: 'Time to sign one license on a signing worker, waiting in its queue included',
  buckets: LATENCY_BUCKETS,
});

export const signingQueueDepth = new Gauge({
  name: 'seatlock_signing_queue_depth',
  help: 'Licenses handed to signing workers and not yet signed',
});

export const activationBatchSize = new Histogram({
  name: 'seatlock_activation_batch_size',
  help: 'Device bindings written together in one group commit',
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
});

export const activationCommitSeconds = new Histogram({
  name: 'seatlock_activation_commit_duration_seconds',
  help: "Time to write one group commit's transaction (on PostgreSQL, its durable commit)",
  buckets: LATENCY_BUCKETS,
});

export const activationFlushSeconds = new Histogram({
  name: 'seatlock_activation_flush_duration_seconds',
  help: "Time from a group commit to the fsync that makes it durable (SQLite's write-ahead log; zero on PostgreSQL)",
  buckets: LATENCY_BUCKETS,
});

export const outboxDeliveries = new Counter({
  name: 'seatlock_outbox_deliveries_total',
  help: 'Delivery attempts of outbox events by channel (webhook, mail) and result (delivered, failed)',
  labelNames: ['channel', 'result'] as const,
});
