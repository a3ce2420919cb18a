import autocannon from 'autocannon';
import { deviceFingerprint } from '../support/seatlock';

/**
 * The load process: drives `POST /v1/activations` with autocannon from a process of its own,
 * so the server's two cores are not shared with the load generator's bookkeeping.
 * Argument: JSON {url, activationCode, connections, durationSeconds, devices, seed}; `devices`
 * distinct fingerprints (from `seed`) are made up front and used in turn, cycling when there are
 * fewer devices than requests (re-activation).
 * Prints one JSON line: {requests, perSecond, p50, p99, statuses}.
 */
interface LoadOptions {
  url: string;
  activationCode: string;
  connections: number;
  durationSeconds: number;
  devices: number;
  seed: string;
}

const PREPARED_DEVICES = 80_000;

function deviceBody(activationCode: string, seed: string, index: number): string {
  return JSON.stringify({ activationCode, platform: 'android', fingerprint: deviceFingerprint(`${seed}-${index}`) });
}

async function main(options: LoadOptions): Promise<void> {
  // Made up front, so that hashing fingerprints does not take CPU from the server during the run.
  const bodies = Array.from({ length: Math.min(options.devices, PREPARED_DEVICES) }, (_, i) => deviceBody(options.activationCode, options.seed, i));
  const body = (i: number) => (i < bodies.length ? bodies[i] : deviceBody(options.activationCode, options.seed, i));
  let next = 0;
  const statuses: Record<string, number> = {};
  const result = await autocannon({
    url: `${options.url}/v1/activations`,
    connections: options.connections,
    duration: options.durationSeconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: body(next++ % options.devices) }) }],
    setupClient: (client) => {
      client.on('response', (status: number) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
      });
    },
  });
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  console.log(
    JSON.stringify({
      requests: result.requests.total,
      perSecond: result.requests.total / seconds,
      p50: result.latency.p50,
      p99: result.latency.p99,
      statuses,
      errors: result.errors,
      timeouts: result.timeouts,
    }),
  );
}

if (process.argv[2]) {
  main(JSON.parse(process.argv[2])).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
