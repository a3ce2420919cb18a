import { readFileSync } from 'node:fs';
import { ERROR_STATUS } from '@seatlock/shared';
import { client } from '../support/http';
import { approvedPool, deviceFingerprint, issuerToken } from '../support/seatlock';
import { type StartedServer, startServer } from '../support/server';

/**
 * An HTTP fuzzer over every operation the server's own OpenAPI document lists: generated and
 * mutated bodies, query strings, path ids and headers, sent as anonymous, as each role and as a
 * customer reaching for another customer's records. What it checks of every answer: no 5xx, no
 * request left hanging, every 4xx carrying a contract error code; and of the server afterwards:
 * memory back near its baseline and the audit chain still verifying.
 */
export interface FuzzOptions {
  count: number;
  seed: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** A request not answered within this is a hang. */
  timeoutMs?: number;
  onProgress?: (sent: number, count: number) => void;
}

export interface FuzzReport {
  sent: number;
  seed: number;
  operations: number;
  byStatus: Record<string, number>;
  /** What broke a rule: the request and what came back. */
  failures: string[];
  rssBaselineMiB: number;
  rssAfterMiB: number;
  auditOk: boolean;
  seconds: number;
}

type Schema = { type?: string; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; $ref?: string; minimum?: number; maximum?: number; maxLength?: number; allOf?: Schema[]; oneOf?: Schema[]; nullable?: boolean };
interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: string; schema?: Schema }[];
  body?: Schema;
  bodyType?: string;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Operation['parameters']; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components: { schemas: Record<string, Schema> };
}

/** A seeded generator (mulberry32): the same seed sends the same requests. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof random>;

const TEXTS = [
  '',
  ' ',
  'a',
  'Acme Devices Ltd',
  '\u0000',
  'null',
  'undefined',
  '../../etc/passwd',
  '%00',
  "' OR 1=1 --",
  '\u202Egnp.exe',
  '\ud800',
  '\udfff\ud800',
  '😀'.repeat(50),
  'Z\u0351\u0352\u0353\u0354',
  '\uFEFFbom',
  'x'.repeat(10_000),
  '<script>alert(1)</script>',
  '{"a":1}',
  '9'.repeat(400),
];
const NUMBERS = [0, -1, 1, 49, 50, 51, 3, 4, 10_000, 10_001, 1_000_000, 1_000_001, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e308, 0.5, 1e-9, Number.MAX_SAFE_INTEGER + 2];
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1', ''];

function resolve(schema: Schema | undefined, doc: OpenApiDocument): Schema | undefined {
  if (!schema) return undefined;
  if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.split('/').pop() as string], doc);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((part) => resolve(part, doc)));
  if (schema.oneOf) return resolve(schema.oneOf[0], doc);
  return schema;
}

/** A value that fits `schema` more or less: mostly plausible, sometimes at or past every limit. */
function valueFor(schema: Schema | undefined, doc: OpenApiDocument, rnd: Random, ids: string[], depth = 0): unknown {
  const s = resolve(schema, doc);
  if (!s || depth > 6 || rnd.chance(0.08)) return wildValue(rnd, ids, depth);
  if (s.enum && rnd.chance(0.8)) return rnd.pick(s.enum);
  switch (s.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(s.properties ?? {})) {
        if (s.required?.includes(name) ? rnd.chance(0.95) : rnd.chance(0.5)) out[name] = valueFor(property, doc, rnd, ids, depth + 1);
      }
      if (rnd.chance(0.1)) out[rnd.pick(['__proto__', 'constructor', 'extra', 'role', 'admin'])] = wildValue(rnd, ids, depth + 1);
      return out;
    }
    case 'array':
      return Array.from({ length: rnd.pick([0, 1, 2, 5, 300]) }, () => valueFor(s.items, doc, rnd, ids, depth + 1));
    case 'integer':
    case 'number':
      return rnd.chance(0.7) ? rnd.pick([s.minimum ?? 0, s.maximum ?? 100, (s.minimum ?? 0) - 1, (s.maximum ?? 100) + 1, ...NUMBERS]) : rnd.int(2_000);
    case 'boolean':
      return rnd.chance(0.9) ? rnd.chance(0.5) : 'true';
    default:
      return rnd.chance(0.4) ? rnd.pick(ids) : rnd.pick(TEXTS);
  }
}

function wildValue(rnd: Random, ids: string[], depth: number): unknown {
  switch (rnd.int(8)) {
    case 0:
      return null;
    case 1:
      return rnd.pick(NUMBERS);
    case 2:
      return rnd.pick(TEXTS);
    case 3:
      return rnd.pick(ids);
    case 4:
      return depth < 4 ? { nested: wildValue(rnd, ids, depth + 1) } : {};
    case 5:
      return depth < 4 ? [wildValue(rnd, ids, depth + 1)] : [];
    case 6:
      return rnd.chance(0.5);
    default:
      return { v: 1, components: { 'soc.serial': { h: rnd.pick(TEXTS), w: rnd.pick(NUMBERS), s: true } } };
  }
}

/** JSON nested `depth` levels deep, which a recursive parser or validator would choke on. */
function deeplyNested(depth: number): string {
  return `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;
}

function rawBody(op: Operation, doc: OpenApiDocument, rnd: Random, ids: string[]): { body?: string; contentType?: string } {
  const choice = rnd.int(20);
  if (choice === 0) return {};
  if (choice === 1) return { body: deeplyNested(rnd.pick([100, 5_000, 50_000])), contentType: 'application/json' };
  if (choice === 2) return { body: `{"a":"${'x'.repeat(rnd.pick([200_000, 300_000]))}"}`, contentType: 'application/json' };
  if (choice === 3) return { body: rnd.pick(['{', '{"a":', '[1,2', 'nul', '\u0000', '{"a":1}{"b":2}', '"just a string"', '12']), contentType: 'application/json' };
  if (choice === 4) return { body: JSON.stringify(valueFor(op.body, doc, rnd, ids)), contentType: rnd.pick(CONTENT_TYPES) };
  if (choice === 5) return { body: rnd.pick(TEXTS), contentType: rnd.pick(CONTENT_TYPES) };
  const value = valueFor(op.body, doc, rnd, ids);
  return { body: op.bodyType === 'text/plain' && typeof value !== 'string' ? String(value) : JSON.stringify(value), contentType: op.bodyType ?? 'application/json' };
}

function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const content = op.requestBody?.content ?? {};
      const bodyType = Object.keys(content)[0];
      return { method: method.toUpperCase(), path, parameters: op.parameters ?? [], body: bodyType ? content[bodyType].schema : undefined, bodyType };
    }),
  );
}

interface Principal {
  name: string;
  headers: Record<string, string>;
}

/** Principals, and ids worth aiming at: two customers' records, so each can reach for the other's. */
async function population(server: StartedServer): Promise<{ principals: Principal[]; ids: string[] }> {
  const admin = client(server.url, server.adminToken);
  const token = async (role: string, customerId?: string) => (await admin.post('/v1/tokens', { role, name: `fuzz ${role}`, customerId })).body.token as string;
  const ids: string[] = [];
  const principals: Principal[] = [{ name: 'anonymous', headers: {} }, { name: 'admin', headers: { authorization: `Bearer ${server.adminToken}` } }];
  principals.push({ name: 'issuer', headers: { authorization: `Bearer ${await issuerToken(server.url, server.adminToken)}` } });
  principals.push({ name: 'auditor', headers: { authorization: `Bearer ${await token('auditor')}` } });
  for (const label of ['a', 'b']) {
    const pool = await approvedPool(server.url, server.adminToken, { quantity: 1_000 });
    const device = await client(server.url).post('/v1/activations', { activationCode: pool.activationCode, platform: 'android', fingerprint: deviceFingerprint(`fuzz-${label}`) });
    ids.push(pool.customerId, pool.poolId, pool.applicationId, device.body.deviceId, pool.activationCode);
    principals.push({ name: `customer ${label}`, headers: { authorization: `Bearer ${await token('customer', pool.customerId)}` } });
  }
  principals.push({ name: 'forged token', headers: { authorization: 'Bearer slt_forged_0000000000000000000000' } });
  ids.push('0', '-1', '00000000-0000-0000-0000-000000000000', 'x'.repeat(2_000), '%2e%2e', '..');
  return { principals, ids };
}

/** Percent-encoded, an unpaired surrogate sent as the invalid UTF-8 it would be (encodeURIComponent refuses it). */
function pathSegment(text: string): string {
  return text.split(/(\p{Cs})/u).map((part, i) => (i % 2 === 1 ? '%ED%A0%80' : encodeURIComponent(part))).join('');
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const CODES = new Set(Object.keys(ERROR_STATUS));

/** Runs `count` generated requests against a fresh compiled server on SQLite; never throws for a broken rule, reports it. */
export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  // The rate limiter would soon answer every guess with 429 and hide the routes behind it.
  const server = await startServer({ env: { SEATLOCK_RATE_LIMIT_FAILURES: '100000000', LOG_LEVEL: 'silent' } });
  try {
    const doc = (await client(server.url).get('/docs-json')).body as OpenApiDocument;
    const operations = operationsOf(doc);
    const { principals, ids } = await population(server);
    const pid = server.process.pid as number;
    const rssBaselineMiB = rssMiB(pid);
    const rnd = random(options.seed);
    const failures: string[] = [];
    const byStatus: Record<string, number> = {};
    let sent = 0;

    const one = async () => {
      const op = rnd.chance(0.03) ? { method: rnd.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']), path: `/v1/${rnd.pick(TEXTS).slice(0, 50)}`, parameters: [] } : rnd.pick(operations);
      const principal = rnd.pick(principals);
      const path = op.path.replace(/\{[^}]+\}/g, () => pathSegment(String(rnd.chance(0.7) ? rnd.pick(ids) : rnd.pick(TEXTS))).slice(0, 4_000));
      const query = new URLSearchParams();
      for (const param of op.parameters.filter((p) => p.in === 'query')) {
        if (rnd.chance(0.6)) query.set(param.name, String(valueFor(param.schema, doc, rnd, ids)).slice(0, 4_000));
      }
      if (rnd.chance(0.1)) query.set(rnd.pick(['offset', 'limit', 'cursor', 'unknown', 'status']), String(rnd.chance(0.5) ? rnd.pick(NUMBERS) : rnd.pick(TEXTS)).slice(0, 4_000));
      // fetch sends no body with GET; DELETE sometimes gets one it does not expect.
      const { body, contentType } = op.method === 'GET' || (op.method === 'DELETE' && !rnd.chance(0.05)) ? {} : rawBody(op as Operation, doc, rnd, ids);
      const headers: Record<string, string> = { ...principal.headers };
      if (contentType) headers['content-type'] = contentType;
      if (rnd.chance(0.05)) headers.origin = rnd.pick(['https://evil.example', 'null', server.url]);
      if (rnd.chance(0.05)) headers.cookie = rnd.pick(['seatlock_session=forged', 'seatlock_session=', `a=${'b'.repeat(3_000)}`]);
      if (rnd.chance(0.03)) headers['x-request-id'] = rnd.pick(TEXTS).replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
      const target = `${server.url}${path}${query.size ? `?${query}` : ''}`;
      const what = `${principal.name} ${op.method} ${path.slice(0, 120)}${query.size ? `?${query.toString().slice(0, 120)}` : ''} body ${body === undefined ? 'none' : `${body.length} bytes (${body.slice(0, 60)})`}`;
      try {
        const response = await fetch(target, { method: op.method, headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
        const text = await response.text();
        byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
        if (response.status >= 500) failures.push(`${response.status} for ${what}: ${text.slice(0, 200)}`);
        if (response.status >= 400 && response.status < 500) {
          let code: unknown;
          try {
            code = JSON.parse(text).error?.code;
          } catch {
            code = undefined;
          }
          if (!CODES.has(code as string)) failures.push(`${response.status} without a contract error code for ${what}: ${text.slice(0, 200)}`);
        }
      } catch (error) {
        failures.push(`no answer for ${what}: ${(error as Error).name} ${(error as Error).message}`);
      }
    };

    const workers = Array.from({ length: options.concurrency ?? 16 }, async () => {
      while (sent < options.count) {
        sent++;
        if (sent % 1_000 === 0) options.onProgress?.(sent, options.count);
        await one();
      }
    });
    await Promise.all(workers);
    // The server settles: garbage is collected once it idles.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const rssAfterMiB = rssMiB(pid);
    const audit = await client(server.url, server.adminToken).get('/v1/audit/verify');
    return { sent, seed: options.seed, operations: operations.length, byStatus, failures, rssBaselineMiB, rssAfterMiB, auditOk: audit.body?.ok === true, seconds: (Date.now() - started) / 1000 };
  } finally {
    await server.stop();
  }
}

/** The memory rule: back within 2 × the baseline (or 150 MiB above it, for a small baseline) once idle. */
export function memoryReturned(report: FuzzReport): boolean {
  return report.rssAfterMiB <= Math.max(2 * report.rssBaselineMiB, report.rssBaselineMiB + 150);
}
