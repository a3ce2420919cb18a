import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVATION_REQUEST_ARMOR, type Fingerprint, MAX_BATCH_REQUESTS, readActivationRequest, SeatlockError } from '@seatlock/shared';
import { BundleWriter } from './bundle';
import { AgentError } from './errors';
import { writeFileAtomic } from './store';

/** One request file's outcome. */
export interface ProvisionedDevice {
  file: string;
  outcome: 'created' | 'existing' | 'refused';
  deviceId?: string;
  code?: string;
  message?: string;
}

export interface ProvisionProgress {
  done: number;
  total: number;
  created: number;
  existing: number;
  refused: number;
  /** Requests answered per second since the start. */
  rate: number;
}

export interface ProvisionOptions {
  server: string;
  /** A directory of request files (`seatlock-agent request --out DIR`). */
  inDir: string;
  /** The license bundle to write. */
  out: string;
  /** Request files per batch; at most the server's MAX_BATCH_REQUESTS. */
  chunkSize?: number;
  /** Attempts per batch whose answer is lost (connection dropped, server fault, rate limited). */
  attempts?: number;
  onProgress?: (progress: ProvisionProgress) => void;
  /** Told before a batch is sent again. */
  onRetry?: (why: string, delayMs: number) => void;
}

export interface Provisioned {
  devices: ProvisionedDevice[];
  created: number;
  existing: number;
  refused: number;
  /** Refusals by error code. */
  refusedBy: Record<string, number>;
  licenses: number;
}

const DEFAULT_CHUNK = 500;
const DEFAULT_ATTEMPTS = 6;

/** The answer of POST /v1/activations/batch. */
interface BatchAnswer {
  results: { outcome: ProvisionedDevice['outcome']; deviceId?: string; license?: string; error?: { code: string; message: string } }[];
}

class LostAnswer extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * Provisions a factory line's devices from the PC that collected their request files: sends them
 * to `POST /v1/activations/batch` in chunks, in file-name order, sends a chunk again when its
 * answer is lost (the batch is idempotent: no seat is taken twice), and writes every license
 * received into one license bundle.
 *
 * @throws AgentError `SERVER_UNREACHABLE` when a chunk's answer is still lost after every attempt
 * (the bundle then holds nothing: run it again, devices already bound answer `existing`).
 * @example const { refused } = await provision({ server: 'https://licenses.example.com', inDir: '/mnt/usb/requests', out: 'line-3.bundle' });
 */
export async function provision(options: ProvisionOptions): Promise<Provisioned> {
  const files = requestFiles(options.inDir);
  const chunkSize = Math.min(Math.max(1, options.chunkSize ?? DEFAULT_CHUNK), MAX_BATCH_REQUESTS);
  const url = new URL('/v1/activations/batch', options.server).toString();
  const devices: ProvisionedDevice[] = [];
  const bundle = new BundleWriter(options.out);
  const started = Date.now();
  const counts = { created: 0, existing: 0, refused: 0 };
  const record = (device: ProvisionedDevice) => {
    devices.push(device);
    counts[device.outcome]++;
  };
  /** A chunk sent, its answer still coming: recorded, in file order, once it is complete. */
  let previous: { outcomes: (ProvisionedDevice | undefined)[]; sendable: Sendable[]; sent?: SentBatch; text: string } | undefined;
  const finish = async (chunk: NonNullable<typeof previous>) => {
    if (chunk.sent) {
      const answer = await answerOf(url, chunk.text, chunk.sent, options);
      if (answer.results.length !== chunk.sendable.length) {
        throw new AgentError('ACTIVATION_REFUSED', `The server answered ${answer.results.length} results for ${chunk.sendable.length} request files.`);
      }
      chunk.sendable.forEach(({ slot, file, fingerprint }, i) => {
        const result = answer.results[i];
        if (result.license) bundle.add(fingerprint, result.license);
        chunk.outcomes[slot] = { file, outcome: result.outcome, deviceId: result.deviceId, code: result.error?.code, message: result.error?.message };
      });
    }
    for (const device of chunk.outcomes) record(device as ProvisionedDevice);
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    options.onProgress?.({ done: devices.length, total: files.length, ...counts, rate: devices.length / seconds });
  };
  try {
    for (let at = 0; at < files.length; at += chunkSize) {
      // The chunk's outcomes in file order: files refused here first, the server's answers into the gaps.
      const outcomes: (ProvisionedDevice | undefined)[] = [];
      const sendable: Sendable[] = [];
      for (const file of files.slice(at, at + chunkSize)) {
        const read = readRequestFile(join(options.inDir, file));
        if (read instanceof SeatlockError) outcomes.push({ file, outcome: 'refused', code: read.code, message: read.message });
        else {
          sendable.push({ slot: outcomes.length, file, ...read });
          outcomes.push(undefined);
        }
      }
      const text = sendable.map((r) => r.text).join('');
      // Sent once the previous chunk's answer has begun: the server sends it once that chunk's
      // seats are queued, so these take theirs after them, as one chunk at a time would. The
      // server signs this chunk while it commits and answers the previous one.
      const sent = sendable.length > 0 ? await sendBatch(url, text, options) : undefined;
      if (previous) await finish(previous);
      previous = { outcomes, sendable, sent, text };
    }
    if (previous) await finish(previous);
  } catch (error) {
    bundle.abandon();
    throw error;
  }
  bundle.close();
  const refusedBy: Record<string, number> = {};
  for (const device of devices) if (device.code) refusedBy[device.code] = (refusedBy[device.code] ?? 0) + 1;
  return { devices, ...counts, refusedBy, licenses: bundle.count };
}

/** The regular files of the directory, in name order. */
function requestFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw new AgentError('CONFIG_INVALID', `Cannot read the request directory ${dir}: ${(error as Error).message}`);
  }
  return names.filter((name) => !name.startsWith('.') && statSync(join(dir, name)).isFile()).sort();
}

/**
 * A request file checked before it is sent: exactly one request in it, or it would shift the
 * server's answers against the files.
 */
function readRequestFile(path: string): { text: string; fingerprint: Fingerprint } | SeatlockError {
  const text = readFileSync(path, 'utf8');
  const blocks = text.split(`-----BEGIN ${ACTIVATION_REQUEST_ARMOR}-----`).length - 1;
  if (blocks !== 1) return new SeatlockError('INVALID_REQUEST', `Invalid activation request: the file holds ${blocks} requests, not one.`);
  try {
    return { text, fingerprint: readActivationRequest(text).fingerprint };
  } catch (error) {
    if (error instanceof SeatlockError) return error;
    throw error;
  }
}

interface Sendable {
  slot: number;
  file: string;
  text: string;
  fingerprint: Fingerprint;
}

/** A batch the server accepted (its answer's status arrived); the answer's body to come. */
interface SentBatch {
  attempt: number;
  answer: Promise<BatchAnswer>;
}

/** Sends a batch, again while its answer is lost before its status arrives; resolves at the status. */
async function sendBatch(url: string, body: string, options: ProvisionOptions, firstAttempt = 1): Promise<SentBatch> {
  for (let attempt = firstAttempt; ; attempt++) {
    try {
      return { attempt, answer: (await postBatch(url, body)).answer };
    } catch (error) {
      await beforeRetry(url, error, attempt, options);
    }
  }
}

/** A sent batch's answer; the batch is sent again (it is idempotent) when its body is lost. */
async function answerOf(url: string, body: string, sent: SentBatch, options: ProvisionOptions): Promise<BatchAnswer> {
  for (;;) {
    try {
      return await sent.answer;
    } catch (error) {
      await beforeRetry(url, error, sent.attempt, options);
      sent = await sendBatch(url, body, options, sent.attempt + 1);
    }
  }
}

/** Waits before another attempt, or throws: when `error` is no lost answer, or attempts are spent. */
async function beforeRetry(url: string, error: unknown, attempt: number, options: ProvisionOptions): Promise<void> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  if (!(error instanceof LostAnswer)) throw error;
  if (attempt >= attempts) throw new AgentError('SERVER_UNREACHABLE', `No answer from ${url} after ${attempts} attempts: ${error.message}`);
  const delayMs = error.retryAfterMs ?? Math.min(500 * 2 ** (attempt - 1), 10_000);
  options.onRetry?.(error.message, delayMs);
  await new Promise((resolve) => setTimeout(resolve, delayMs));
}

/**
 * Posts a batch; resolves once an accepted answer's status arrived, with its body to come.
 * Throws LostAnswer for an answer worth sending the batch again for, AgentError for a refusal.
 */
async function postBatch(url: string, body: string): Promise<{ answer: Promise<BatchAnswer> }> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8', accept: 'application/json' }, body });
  } catch (error) {
    throw lostConnection(error);
  }
  if (response.ok) {
    const answer = readAnswer(response);
    // Read later, maybe after the next batch is sent: a loss before then is handled then.
    answer.catch(() => undefined);
    return { answer };
  }
  await readAnswer(response);
  throw new LostAnswer(`HTTP ${response.status}`);
}

function lostConnection(error: unknown): LostAnswer {
  const cause = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
  return new LostAnswer(`connection lost (${cause})`);
}

async function readAnswer(response: Response): Promise<BatchAnswer> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw lostConnection(error);
  }
  let parsed: { results?: unknown; error?: { code?: string; message?: string } };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new LostAnswer(`HTTP ${response.status}: the answer was cut short`);
  }
  if (response.status === 429) throw new LostAnswer(`${parsed.error?.message ?? 'rate limited'}`, Number(response.headers.get('retry-after') ?? 1) * 1000);
  if (response.status >= 500) throw new LostAnswer(`HTTP ${response.status}`);
  if (!response.ok || !Array.isArray(parsed.results)) {
    throw new AgentError('ACTIVATION_REFUSED', `Batch refused: ${parsed.error?.code ?? `HTTP ${response.status}`}: ${parsed.error?.message ?? ''}`.trim());
  }
  return parsed as BatchAnswer;
}

/** The per-device report, as CSV when the file name ends in `.csv`, JSON otherwise. */
export function writeProvisionReport(file: string, devices: readonly ProvisionedDevice[]): void {
  if (file.toLowerCase().endsWith('.csv')) {
    const cell = (value: string | undefined) => (value === undefined ? '' : /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
    const rows = devices.map((d) => [d.file, d.outcome, d.deviceId, d.code, d.message].map(cell).join(','));
    writeFileAtomic(file, `file,outcome,deviceId,code,message\n${rows.map((row) => `${row}\n`).join('')}`, 0o644);
  } else {
    writeFileAtomic(file, `${JSON.stringify({ devices }, null, 2)}\n`, 0o644);
  }
}
