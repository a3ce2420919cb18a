import { Agent, request } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { deviceFingerprint } from '../support/seatlock';
import type { LoadFigures } from './scale';

/**
 * The load process: drives `POST /v1/activations` (or a GET of `get`) with autocannon from a process of its own,
 * so the server's two cores are not shared with the load generator's bookkeeping.
 * Argument: JSON {url, activationCode, connections, durationSeconds, devices, seed, rate?, get?}; `devices`
 * distinct fingerprints (from `seed`) are made up front and used in turn, cycling when there are
 * fewer devices than requests (re-activation). With `rate`, the load is open-loop instead: a
 * request every 1/rate s whatever the answers, each one's latency counted from when it was due.
 * Prints one JSON line: a {@link LoadResult}.
 */
interface LoadOptions {
  url: string;
  activationCode: string;
  connections: number;
  durationSeconds: number;
  devices: number;
  seed: string;
  /** Requests per second, open-loop; closed-loop over `connections` without it. */
  rate?: number;
  /** A GET of this path instead of activations, closed-loop (the HTTP ceiling: `/healthz`). */
  get?: string;
}

/**
 * Bodies made up front per second of the run: more than two cores activate in a second (80,000
 * for a full run's 10 s), and no more, so a smoke run's second does not spend its time on bodies
 * it never sends.
 */
const PREPARED_DEVICES_PER_SECOND = 8_000;

function deviceBody(activationCode: string, seed: string, index: number): string {
  return JSON.stringify({ activationCode, platform: 'android', fingerprint: deviceFingerprint(`${seed}-${index}`) });
}

async function main(options: LoadOptions): Promise<void> {
  console.log(JSON.stringify(await run(options)));
}

/** Runs the load; the bodies are made before the CPU clock starts. */
async function run(options: LoadOptions): Promise<LoadResult> {
  if (options.get !== undefined) {
    const statuses: Record<string, number> = {};
    const cpu = process.cpuUsage();
    const result = await autocannon({
      url: `${options.url}${options.get}`,
      connections: options.connections,
      duration: options.durationSeconds,
      setupClient: (client) => client.on('response', (status: number) => (statuses[status] = (statuses[status] ?? 0) + 1)),
    });
    return closedLoopResult(result, statuses, cpu);
  }
  // Made up front, so that hashing fingerprints does not take CPU from the server during the run.
  const prepared = Math.min(options.devices, Math.ceil(options.durationSeconds * PREPARED_DEVICES_PER_SECOND));
  const bodies = Array.from({ length: prepared }, (_, i) => deviceBody(options.activationCode, options.seed, i));
  const body = (i: number) => (i < bodies.length ? bodies[i] : deviceBody(options.activationCode, options.seed, i));
  if (options.rate !== undefined) return openLoop(options.url, options.rate, options.durationSeconds, (i) => body(i % options.devices));
  let next = 0;
  const statuses: Record<string, number> = {};
  const cpu = process.cpuUsage();
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
  return closedLoopResult(result, statuses, cpu);
}

/** CPU milliseconds this process has used since `start` (a `process.cpuUsage()`). */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

function closedLoopResult(result: autocannon.Result, statuses: Record<string, number>, cpu: NodeJS.CpuUsage): LoadResult {
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  return { requests: result.requests.total, perSecond: result.requests.total / seconds, p50: result.latency.p50, p99: result.latency.p99, statuses, errors: result.errors, timeouts: result.timeouts, cpuMs: cpuMsSince(cpu) };
}

/** What the load process prints; an open-loop run adds its own event-loop delay. */
export interface LoadResult extends LoadFigures {
  errors: number;
  timeouts: number;
  /** The load process's own CPU time over the run (ms): what the two cores gave the load rather than the server. */
  cpuMs: number;
}

/**
 * Requests at a fixed rate whatever the server's answers (an open-loop load, as devices arrive):
 * a latency is counted from when its request was due, so a server that falls behind shows it.
 */
function openLoop(url: string, rate: number, durationSeconds: number, body: (i: number) => string): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
  const total = Math.max(1, Math.round(rate * durationSeconds));
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  let done = 0;
  const ownDelay = monitorEventLoopDelay({ resolution: 1 });
  ownDelay.enable();
  const cpu = process.cpuUsage();
  const start = performance.now();
  return new Promise<LoadResult>((resolve) => {
    const finish = () => {
      if (++done < total) return;
      agent.destroy();
      ownDelay.disable();
      latencies.sort((a, b) => a - b);
      const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
      resolve({
        requests: latencies.length,
        perSecond: (latencies.length * 1000) / (performance.now() - start),
        p50: at(0.5),
        p99: at(0.99),
        statuses,
        errors,
        timeouts: 0,
        ownDelayP99: Math.round(ownDelay.percentile(99) / 1e6),
        cpuMs: cpuMsSince(cpu),
      });
    };
    const send = (i: number, due: number) => {
      const payload = body(i);
      const call = request(`${url}/v1/activations`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (response) => {
        response.resume();
        response.on('end', () => {
          latencies.push(performance.now() - due);
          statuses[response.statusCode ?? 0] = (statuses[response.statusCode ?? 0] ?? 0) + 1;
          finish();
        });
      });
      call.on('error', () => {
        errors += 1;
        finish();
      });
      call.end(payload);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      for (; sent < due; sent++) send(sent, start + (sent * 1000) / rate);
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
}

if (process.argv[2]) {
  main(JSON.parse(process.argv[2])).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
