import type { VerifyResult } from '@seatlock/shared';
import { agentEnvironment, WATCH_INTERVAL_MS } from './environment';
import { AgentError } from './errors';
import { verify, type VerifyRequest } from './verify';

export interface WatchOptions extends VerifyRequest {
  /** Called with the first verdict and with each later one that differs from the one before. */
  onVerdict(result: VerifyResult): void;
  /** Called when one check fails (say the store cannot be written); the next check is still made. */
  onError(error: AgentError): void;
  /** Ends the watch: one last check records the running time up to now. */
  signal: AbortSignal;
}

/** Waits `ms`, or less when `signal` aborts first (node:timers/promises would add a module to the release bundle). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function sameVerdict(a: VerifyResult, b: VerifyResult): boolean {
  return a.code === b.code && a.message === b.message && a.license?.jti === b.license?.jti;
}

/**
 * The resident mode (`verify --watch`): the boot check, then the same check every interval
 * until `signal` aborts, then once more. Each check of a trial adds the uptime run since the last
 * one to the clock record, so a board whose wall clock is held still cannot run a trial
 * uncounted between boots: a power cut loses at most one interval. Answers the last verdict.
 *
 * @example await watch({ signal: stop.signal, onVerdict: (r) => log(r.code), onError: (e) => log(e.message) });
 */
export async function watch(options: WatchOptions): Promise<VerifyResult> {
  const env = options.env ?? agentEnvironment();
  const intervalMs = env.watchIntervalMs ?? WATCH_INTERVAL_MS;
  let last: VerifyResult | undefined;
  let failure: AgentError | undefined;
  const check = async () => {
    try {
      const result = await verify({ feature: options.feature, env });
      if (!last || !sameVerdict(last, result)) options.onVerdict(result);
      last = result;
    } catch (error) {
      if (!(error instanceof AgentError)) throw error;
      failure = error;
      options.onError(error);
    }
  };
  await check();
  while (!options.signal.aborted) {
    await pause(intervalMs, options.signal);
    await check();
  }
  if (!last) throw failure as AgentError;
  return last;
}
