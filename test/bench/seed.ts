import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildFingerprint,
  getProduct,
  type LicenseClaims,
  type Modality,
  quote,
  signAuditCheckpoint,
  strongHashes,
  toLicensedFingerprint,
  TRIAL_TERMS,
} from '@seatlock/shared';
import { v7 as uuidv7 } from 'uuid';
import type { INestApplicationContext } from '@nestjs/common';
import type { AppModule as AppModuleType } from '../../server/src/app.module';
import type { AUDIT_HASH_VERSION as AuditHashVersion, canonicalJson as CanonicalJson, eventHash as EventHash } from '../../server/src/audit/canonical';
import type { Database as DatabaseType } from '../../server/src/database/database.service';
import type { KeysService as KeysServiceType } from '../../server/src/signing/keys.service';
import type { LicenseSigner as LicenseSignerType } from '../../server/src/signing/license-signer';
import { REPO_ROOT } from '../support/server';
import { seededReadings } from './seeded-devices';

/**
 * `npm run bench:seed -- --devices N [--data-dir DIR]`: years of a vendor's data in an empty
 * database, through the server's own schema (migrations), keys and license signer: N/100
 * customers, 3 pools each (one in ten a trial), an approved order or trial per pool, N devices
 * with their component hashes, 3 × N audit events in one valid hash chain with signed
 * checkpoints. PostgreSQL when DATABASE_URL is set, else SQLite in the data directory.
 */
const { values: args } = parseArgs({
  options: { devices: { type: 'string', default: '1000000' }, 'data-dir': { type: 'string' }, 'events-per-device': { type: 'string', default: '3' }, licenses: { type: 'string', default: '256' } },
});
const DEVICES = positive('devices');
const EVENTS = Math.round(DEVICES * Number(args['events-per-device']));
/** Licenses signed for real; the other devices reuse their texts (same size and shape). */
const SIGNED = Math.min(DEVICES, positive('licenses'));
const CUSTOMERS = Math.max(1, Math.round(DEVICES / 100));
const POOLS = 3 * CUSTOMERS;
/** Rows per INSERT statement, under both databases' limit on bound parameters. */
const ROWS_PER_STATEMENT = 500;
/** Devices per transaction. */
const DEVICES_PER_COMMIT = 5000;
const YEARS = 3;
const REVOKED_EVERY = 200;

/** A refusal to seed (not a fault): printed without a stack. */
class SeedRefused extends Error {}

const server = (path: string) => require(join(REPO_ROOT, 'server/dist', path));
const log = (line: string) => process.stderr.write(`seed: ${line}\n`);

function positive(name: string): number {
  const value = Number(args[name as keyof typeof args]);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`seed: --${name} must be a whole number above 0.\n`);
    process.exit(2);
  }
  return value;
}

/** A seeded random source (mulberry32), so two seeds of the same size are the same data. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface PoolPlan {
  id: string;
  customer: number;
  kind: 'perpetual' | 'trial';
  product: string;
  modality: Modality | null;
  devices: number;
  firstAt: number;
}

/** How many devices each pool holds: trials 1 to 3, purchases skewed (a few large fleets, many small ones). */
function planPools(next: () => number): PoolPlan[] {
  const products = ['face-detection', 'face-liveness', 'face-recognition'];
  const pools: PoolPlan[] = Array.from({ length: POOLS }, (_, j) => {
    // Pool j belongs to customer j % CUSTOMERS; its product by j / CUSTOMERS, so a customer's one trial per product holds.
    const product = products[Math.floor(j / CUSTOMERS) % products.length];
    const kind = j % 10 === 9 ? 'trial' : 'perpetual';
    return { id: uuidv7(), customer: j % CUSTOMERS, kind, product, modality: getProduct(product).modalityRequired ? 'ir' : null, devices: 0, firstAt: Number.POSITIVE_INFINITY };
  });
  const trials = pools.filter((p) => p.kind === 'trial');
  let left = DEVICES;
  for (const pool of trials) {
    pool.devices = Math.min(left, 1 + Math.floor(next() * TRIAL_TERMS.maxDevices));
    left -= pool.devices;
  }
  const purchases = pools.filter((p) => p.kind === 'perpetual');
  const weights = purchases.map(() => Math.exp(1.5 * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())));
  const sum = weights.reduce((a, b) => a + b, 0);
  let given = 0;
  purchases.forEach((pool, i) => {
    pool.devices = Math.floor((weights[i] / sum) * left);
    given += pool.devices;
  });
  for (let i = 0; given < left; i = (i + 1) % purchases.length, given += 1) purchases[i].devices += 1;
  return pools;
}

/** The pool of each device in activation order: every pool's devices spread over the years. */
function devicePools(pools: PoolPlan[], next: () => number): Int32Array {
  const order = new Int32Array(DEVICES);
  let k = 0;
  pools.forEach((pool, j) => order.fill(j, k, (k += pool.devices)));
  for (let i = DEVICES - 1; i > 0; i--) {
    const r = Math.floor(next() * (i + 1));
    [order[i], order[r]] = [order[r], order[i]];
  }
  return order;
}

interface EventRow {
  at: number;
  action: string;
  actor: string;
  subject: string;
  customerId: string | null;
  data: Record<string, unknown>;
}

async function main(): Promise<void> {
  const dataDir = resolve(args['data-dir'] ?? process.env.SEATLOCK_DATA_DIR ?? join(REPO_ROOT, '.bench/seed-data'));
  mkdirSync(dataDir, { recursive: true });
  process.env.SEATLOCK_DATA_DIR = dataDir;
  process.env.NODE_ENV ??= 'development';
  const started = Date.now();
  const where = process.env.DATABASE_URL ? `PostgreSQL (${new URL(process.env.DATABASE_URL).pathname.slice(1)})` : `SQLite in ${dataDir}`;
  log(`${DEVICES.toLocaleString('en')} devices, ${CUSTOMERS.toLocaleString('en')} customers, ${POOLS.toLocaleString('en')} pools, ${EVENTS.toLocaleString('en')} audit events into ${where}`);

  require('reflect-metadata');
  const { NestFactory } = require('@nestjs/core') as typeof import('@nestjs/core');
  const { AppModule } = server('app.module') as { AppModule: typeof AppModuleType };
  const { Database } = server('database/database.service') as { Database: typeof DatabaseType };
  const { KeysService } = server('signing/keys.service') as { KeysService: typeof KeysServiceType };
  const { LicenseSigner } = server('signing/license-signer') as { LicenseSigner: typeof LicenseSignerType };
  const { AUDIT_HASH_VERSION, canonicalJson, eventHash } = server('audit/canonical') as { AUDIT_HASH_VERSION: typeof AuditHashVersion; canonicalJson: typeof CanonicalJson; eventHash: typeof EventHash };
  const { StderrLogger } = server('common/stderr-logger');
  let summary: Record<string, unknown> = {};
  let postgresBytes: number | undefined;
  const app: INestApplicationContext = await NestFactory.createApplicationContext(AppModule, { logger: new StderrLogger({ logLevels: ['fatal', 'error', 'warn'] }) });
  try {
    const db = app.get(Database);
    const keys = app.get(KeysService);
    const signer = app.get(LicenseSigner);
    await keys.prepareForServing();
    // Room for the indexes keyed by random hashes, which a million inserts touch all over.
    if (!process.env.DATABASE_URL) await db.write((m) => db.execute(m, 'PRAGMA cache_size = -262144'));
    const existing = await db.read((m) => db.execute(m, 'SELECT COUNT(*) AS devices FROM devices'));
    if (Number(existing.rows[0].devices) > 0) throw new SeedRefused(`${where} already holds ${existing.rows[0].devices} devices: seed an empty database.`);

    const next = random(DEVICES);
    const end = Date.now() - 3_600_000;
    const start = end - YEARS * 365 * 86_400_000;
    const step = (end - start) / DEVICES;
    const deviceAt = (k: number) => Math.floor(start + (k + 0.5) * step);
    const pools = planPools(next);
    const order = devicePools(pools, next);
    for (let k = 0; k < DEVICES; k++) pools[order[k]].firstAt = Math.min(pools[order[k]].firstAt, deviceAt(k));
    const customerIds = Array.from({ length: CUSTOMERS }, () => uuidv7());
    const customerAt = new Array<number>(CUSTOMERS).fill(end);
    pools.forEach((pool, j) => {
      // A pool without devices was approved at some time in those years.
      if (pool.firstAt === Number.POSITIVE_INFINITY) pool.firstAt = start + ((j + 0.5) / POOLS) * (end - start);
      customerAt[pool.customer] = Math.min(customerAt[pool.customer], pool.firstAt - 3 * 86_400_000);
    });

    const insert = async (table: string, columns: string[], rows: unknown[][]) => {
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
        const values = chunk.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
        await db.write((m) => db.execute(m, `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`, chunk.flat()));
      }
    };
    const iso = (ms: number) => new Date(ms).toISOString();

    // Customers, pools and their applications, and the events they made (merged into the chain by time below).
    const others: EventRow[] = [];
    await insert('customers', ['id', 'name', 'created_at'], customerIds.map((id, c) => [id, `Device maker ${c + 1}`, iso(customerAt[c])]));
    customerIds.forEach((id, c) => others.push({ at: customerAt[c], action: 'customer.created', actor: 'token:seed', subject: `customer:${id}`, customerId: id, data: { name: `Device maker ${c + 1}` } }));
    const poolRows: unknown[][] = [];
    const orderRows: unknown[][] = [];
    const trialRows: unknown[][] = [];
    for (const pool of pools) {
      const customerId = customerIds[pool.customer];
      const approvedAt = pool.firstAt - 3_600_000;
      const submittedAt = approvedAt - 86_400_000;
      const applicationId = uuidv7({ msecs: submittedAt });
      const kind = pool.kind === 'trial' ? 'trial' : 'order';
      const seats = pool.kind === 'trial' ? TRIAL_TERMS.maxDevices : Math.max(50, Math.ceil(pool.devices / 50) * 50);
      const expiresAt = pool.kind === 'trial' ? iso(approvedAt + TRIAL_TERMS.days * 86_400_000) : null;
      poolRows.push([pool.id, pool.kind, customerId, pool.product, pool.modality, seats, pool.devices, createHash('sha256').update(randomBytes(32)).digest('hex'), expiresAt, iso(approvedAt)]);
      const review = [customerId, pool.product, pool.modality, 'approved', iso(submittedAt), 'token:seed', 'token:seed', iso(submittedAt + 2 * 86_400_000), iso(approvedAt), pool.id];
      if (pool.kind === 'trial') {
        trialRows.push([applicationId, ...review]);
      } else {
        const priced = quote(pool.product, seats, seats > 10_000 ? 4000 : undefined);
        orderRows.push([applicationId, ...review, seats, priced.tier, priced.unitPriceFen, priced.totalFen, seats > 10_000 ? 1 : 0]);
      }
      others.push({ at: submittedAt, action: `${kind}.submitted`, actor: 'token:seed', subject: `${kind}:${applicationId}`, customerId, data: { customerId, product: pool.product } });
      others.push({ at: approvedAt, action: `${kind}.approved`, actor: 'token:seed', subject: `${kind}:${applicationId}`, customerId, data: { poolId: pool.id, seats } });
    }
    await insert('pools', ['id', 'kind', 'customer_id', 'product', 'modality', 'seats', 'seats_used', 'code_hash', 'expires_at', 'created_at'], poolRows);
    const reviewColumns = ['id', 'customer_id', 'product', 'modality', 'status', 'submitted_at', 'submitted_by', 'submitted_by_person', 'review_due_at', 'decided_at', 'pool_id'];
    await insert('orders', [...reviewColumns, 'quantity', 'tier', 'unit_price_fen', 'total_fen', 'negotiated'], orderRows);
    await insert('trials', reviewColumns, trialRows);
    others.sort((a, b) => a.at - b.at);
    log(`${CUSTOMERS.toLocaleString('en')} customers, ${POOLS.toLocaleString('en')} pools with their orders and trials (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    // A fingerprint per device, as the agent builds it from raw readings.
    const fingerprintOf = (k: number) => buildFingerprint(seededReadings(k));
    const claimsOf = (k: number, deviceId: string, licenseId: string): LicenseClaims => {
      const pool = pools[order[k]];
      const product = getProduct(pool.product);
      const iat = Math.floor(deviceAt(k) / 1000);
      return {
        v: 1,
        jti: licenseId,
        sub: deviceId,
        cus: customerIds[pool.customer],
        pool: pool.id,
        kind: pool.kind,
        product: product.id,
        features: [...product.features],
        modality: pool.modality,
        platform: 'android',
        fp: toLicensedFingerprint(fingerprintOf(k)),
        declared: [],
        iat,
        nbf: iat,
        ...(pool.kind === 'trial' ? { exp: iat + TRIAL_TERMS.days * 86_400 } : {}),
      };
    };
    const signed: string[] = [];
    for (let k = 0; k < SIGNED; k += 64) {
      const batch = Array.from({ length: Math.min(64, SIGNED - k) }, (_, i) => signer.sign(claimsOf(k + i, uuidv7({ msecs: deviceAt(k + i) }), uuidv7({ msecs: deviceAt(k + i) }))));
      signed.push(...(await Promise.all(batch)));
    }
    log(`${SIGNED} licenses signed, reused for the other devices (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    // Devices in activation order, their events merged by time with the others, the chain hashed as it grows.
    const { checkpointEvery } = { checkpointEvery: Number(process.env.SEATLOCK_AUDIT_CHECKPOINT_EVENTS ?? 1000) };
    const issuer = await keys.activeIssuer();
    const fillerPerDevice = Math.max(0, EVENTS - others.length - DEVICES - Math.floor(DEVICES / REVOKED_EVERY)) / DEVICES;
    // After the events already there (the keys' creation).
    const head = (await db.read((m) => db.execute(m, 'SELECT seq, hash FROM audit_head WHERE id = 1'))).rows[0];
    let seq = Number(head.seq);
    let prevHash = String(head.hash);
    let nextOther = 0;
    let filler = 0;
    const revocations: EventRow[] = [];
    let devices: unknown[][] = [];
    let components: unknown[][] = [];
    let events: unknown[][] = [];
    let checkpoints: { seq: number; hash: string }[] = [];
    const chain = (event: EventRow) => {
      seq += 1;
      const fields = { seq, at: iso(event.at), action: event.action, actor: event.actor, subject: event.subject, data: canonicalJson(event.data), customerId: event.customerId, prevHash, hashVersion: AUDIT_HASH_VERSION };
      prevHash = eventHash(fields);
      events.push([seq, fields.at, fields.action, fields.actor, fields.subject, fields.data, fields.prevHash, prevHash, fields.customerId, fields.hashVersion]);
      if (seq % checkpointEvery === 0) checkpoints.push({ seq, hash: prevHash });
    };
    const chainUntil = (at: number) => {
      while (true) {
        const other = others[nextOther];
        const revocation = revocations[0];
        const first = other && (!revocation || other.at <= revocation.at) ? other : revocation;
        if (!first || first.at > at) return;
        if (first === other) nextOther += 1;
        else revocations.shift();
        chain(first);
      }
    };
    const flush = async () => {
      const signatures = await Promise.all(
        checkpoints.map(async ({ seq: at, hash }) => [at, hash, iso(end), await signAuditCheckpoint({ v: 1, seq: at, hash, iat: Math.floor(end / 1000) }, issuer)]),
      );
      const [deviceRows, componentRows, eventRows] = [devices, components, events];
      [devices, components, events, checkpoints] = [[], [], [], []];
      await db.write(async (m) => {
        const batches: [string, string[], unknown[][]][] = [
          ['devices', ['id', 'pool_id', 'customer_id', 'platform', 'fingerprint', 'license_id', 'license', 'status', 'activated_at', 'revoked_at'], deviceRows],
          ['device_components', ['pool_id', 'component', 'hash', 'device_id'], componentRows],
          ['audit_events', ['seq', 'at', 'action', 'actor', 'subject', 'data', 'prev_hash', 'hash', 'customer_id', 'hash_version'], eventRows],
          ['audit_checkpoints', ['seq', 'hash', 'signed_at', 'token'], signatures],
        ];
        for (const [table, columns, rows] of batches) {
          for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
            const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
            await db.execute(m, `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ')}`, chunk.flat());
          }
        }
        await db.execute(m, 'UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1', [seq, prevHash]);
      });
    };

    let reported = Date.now();
    for (let k = 0; k < DEVICES; k++) {
      const at = deviceAt(k);
      chainUntil(at);
      const pool = pools[order[k]];
      const customerId = customerIds[pool.customer];
      const deviceId = uuidv7({ msecs: at });
      const licenseId = uuidv7({ msecs: at });
      const fingerprint = fingerprintOf(k);
      const revokedAt = k % REVOKED_EVERY === REVOKED_EVERY - 1 && at + 30 * 86_400_000 < end ? at + 30 * 86_400_000 : null;
      devices.push([
        deviceId,
        pool.id,
        customerId,
        'android',
        JSON.stringify(toLicensedFingerprint(fingerprint)),
        licenseId,
        signed[k % SIGNED],
        revokedAt === null ? 'active' : 'revoked',
        iso(at),
        revokedAt === null ? null : iso(revokedAt),
      ]);
      for (const { name, hash } of strongHashes(fingerprint)) components.push([pool.id, name, hash, deviceId]);
      chain({ at, action: 'device.activated', actor: 'device', subject: `device:${deviceId}`, customerId, data: { poolId: pool.id, licenseId, platform: 'android' } });
      if (revokedAt !== null) revocations.push({ at: revokedAt, action: 'device.revoked', actor: 'token:seed', subject: `device:${deviceId}`, customerId, data: { poolId: pool.id, reason: 'returned' } });
      // Everything else staff and customers do (tokens, users, sign-ins), as events of the same size.
      for (filler += fillerPerDevice; filler >= 1; filler -= 1) {
        chain({ at, action: 'token.created', actor: 'token:seed', subject: `token:${uuidv7({ msecs: at })}`, customerId, data: { role: 'customer', name: 'integration' } });
      }
      if (devices.length >= DEVICES_PER_COMMIT) await flush();
      if (Date.now() - reported >= 5000 || k === DEVICES - 1) {
        reported = Date.now();
        const elapsed = (Date.now() - started) / 1000;
        log(`${(k + 1).toLocaleString('en')} of ${DEVICES.toLocaleString('en')} devices, ${seq.toLocaleString('en')} audit events (${elapsed.toFixed(0)} s, ${Math.round((k + 1) / elapsed).toLocaleString('en')} devices/s)`);
      }
    }
    chainUntil(Number.POSITIVE_INFINITY);
    if (seq % checkpointEvery !== 0) checkpoints.push({ seq, hash: prevHash });
    await flush();
    // The per-day counter the activation transaction keeps, as those years of activations left it.
    await db.write((m) => db.execute(m, 'INSERT INTO activations_per_day (day, activations) SELECT substr(activated_at, 1, 10), COUNT(*) FROM devices GROUP BY substr(activated_at, 1, 10)'));
    // Statistics for the query planners, as after years of use.
    await db.write((m) => db.execute(m, 'ANALYZE'));
    log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${seq.toLocaleString('en')} audit events`);
    summary = { devices: DEVICES, customers: CUSTOMERS, pools: POOLS, auditEvents: seq, seconds: (Date.now() - started) / 1000, dataDir };
    if (process.env.DATABASE_URL) postgresBytes = Number((await db.read((m) => db.execute(m, 'SELECT pg_database_size(current_database()) AS bytes'))).rows[0].bytes);
    const deviceBytes = await deviceTablesBytes(db, Boolean(process.env.DATABASE_URL));
    summary = { ...summary, deviceTablesBytes: deviceBytes, deviceTablesBytesPerDevice: Math.round(deviceBytes / DEVICES) };
  } finally {
    await app.close();
  }
  // SQLite's files once it closed (its last connection folds the log into the database file).
  const bytes = postgresBytes ?? sqliteBytes(dataDir);
  process.stdout.write(`${JSON.stringify({ ...summary, databaseBytes: bytes, bytesPerDevice: Math.round(bytes / DEVICES) })}\n`);
}

/** The devices and their component hashes, with their indexes (and PostgreSQL's out-of-line license texts). */
async function deviceTablesBytes(db: DatabaseType, postgres: boolean): Promise<number> {
  const sql = postgres
    ? "SELECT pg_total_relation_size('devices') + pg_total_relation_size('device_components') AS bytes"
    : "SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name IN ('devices', 'device_components'))";
  return Number((await db.read((m) => db.execute(m, sql))).rows[0].bytes);
}

function sqliteBytes(dataDir: string): number {
  return readdirSync(dataDir)
    .filter((name) => name.startsWith('seatlock.sqlite'))
    .map((name) => join(dataDir, name))
    .filter((path) => existsSync(path))
    .reduce((sum, path) => sum + statSync(path).size, 0);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    log(`failed: ${error instanceof SeedRefused ? error.message : (error.stack ?? error.message)}`);
    process.exit(1);
  },
);
