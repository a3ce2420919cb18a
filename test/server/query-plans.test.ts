import { buildFingerprint, isSeatlockError } from '@seatlock/shared';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource, Logger, QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditService } from '../../server/src/audit/audit.service';
import { loadConfig } from '../../server/src/config/config';
import { encodeCursor } from '../../server/src/common/paging';
import { CustomersService } from '../../server/src/customers/customers.service';
import { dataSourceOptions, initializeDataSource } from '../../server/src/database/data-source-options';
import { Database } from '../../server/src/database/database.service';
import { findSameDevice } from '../../server/src/devices/device-identity';
import { DevicesService } from '../../server/src/devices/devices.service';
import { OrdersService } from '../../server/src/orders/orders.service';
import { OverviewService } from '../../server/src/overview/overview.service';
import { PoolsService } from '../../server/src/pools/pools.service';
import { dueRows, remindersAt } from '../../server/src/reminders/reminder-scanner';
import { TrialsService } from '../../server/src/trials/trials.service';
import { TEST_DATABASE, databaseEnv } from '../support/database';

/** Every statement the ORM runs, with its parameters, so the test can ask the database how it runs them. */
class CapturingLogger implements Logger {
  statements: { sql: string; parameters: unknown[] }[] = [];
  logQuery(sql: string, parameters?: unknown[]): void {
    if (/^\s*SELECT/i.test(sql)) this.statements.push({ sql, parameters: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/**
 * How the database would run `sql`, as lines. PostgreSQL is told to avoid sequential scans and
 * sorts, so one that remains in the plan means no index serves the query (its tables are empty
 * here, where a scan would otherwise be cheapest).
 */
async function plan(dataSource: DataSource, runner: QueryRunner, sql: string, parameters: unknown[]): Promise<string[]> {
  if (dataSource.options.type === 'postgres') {
    const rows = (await runner.query(`EXPLAIN ${sql}`, parameters)) as { 'QUERY PLAN': string }[];
    return rows.map((row) => row['QUERY PLAN']);
  }
  return ((await dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, parameters)) as { detail: string }[]).map((row) => row.detail);
}

/** A full-table read or a sort of the matching rows: what a list at a million rows cannot afford. */
function unindexed(lines: string[]): string[] {
  return lines.filter(
    (line) =>
      /^SCAN \S+$/.test(line) || /TEMP B-TREE/.test(line) || /Seq Scan/.test(line) || /(^|->\s*)Sort\b/.test(line.trim()) || /Incremental Sort/.test(line),
  );
}

/** Whether the plan reads through `index` (SQLite: USING INDEX x; PostgreSQL: Index Scan using x). */
function usesIndex(lines: string[], index: string): boolean {
  return lines.some((line) => new RegExp(`USING (COVERING )?INDEX ${index}\\b|Index (Only )?Scan (Backward )?using ${index}\\b|Bitmap Index Scan on ${index}\\b`).test(line));
}

describe(`lists and searches are served by indexes (${TEST_DATABASE})`, () => {
  const logger = new CapturingLogger();
  let dataSource: DataSource;
  let runner: QueryRunner;
  let db: Database;
  let services: { devices: DevicesService; pools: PoolsService; orders: OrdersService; trials: TrialsService; customers: CustomersService; audit: AuditService; overview: OverviewService };
  const clock = { now: () => new Date('2026-11-28T12:00:00.000Z') };

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seatlock-plans-'));
    const config = loadConfig(await databaseEnv(dataDir));
    dataSource = await initializeDataSource({ ...dataSourceOptions(config), logger });
    runner = dataSource.createQueryRunner();
    if (dataSource.options.type === 'postgres') {
      await runner.query('SET enable_seqscan = off');
      await runner.query('SET enable_sort = off');
    }
    db = new Database(dataSource);
    // SQLite's plain SQL skips the ORM and its logger (PostgreSQL's goes through it): recorded here too.
    if (db.sqlite) {
      const execute = db.execute.bind(db);
      db.execute = (manager, sql, params = []) => {
        logger.logQuery(sql, [...params]);
        return execute(manager, sql, params);
      };
    }
    const audit = new AuditService(db, clock);
    const customers = new CustomersService(db, audit, clock);
    const pools = new PoolsService(db, audit);
    services = { devices: new DevicesService(db, audit, clock), pools, orders: new OrdersService(db, audit, customers, pools, clock), trials: new TrialsService(db, audit, customers, pools, clock), customers, audit, overview: new OverviewService(db, clock) };
  });
  afterAll(async () => {
    await runner?.release();
    await db?.onApplicationShutdown();
    await dataSource?.destroy();
  });

  const at = '2026-11-01T00:00:00.000Z';
  const id = '0195f000-0000-7000-8000-000000000000';
  const cursor = encodeCursor([at, id]);
    // The index each page must be read through (null: the primary key or a unique one is enough).
  const cases: [string, string | null, () => Promise<unknown>][] = [
    ['devices', 'devices_activated', () => services.devices.listDevices({})],
    ['devices by cursor', 'devices_activated', () => services.devices.listDevices({ cursor })],
    ['devices deep by offset', 'devices_activated', () => services.devices.listDevices({ offset: 500_000 })],
    ['devices of a pool', 'devices_pool', () => services.devices.listDevices({ poolId: id, cursor })],
    ['devices of a customer', 'devices_customer', () => services.devices.listDevices({ customerId: id, cursor })],
    ['devices of a customer (scoped)', 'devices_customer', () => services.devices.listDevices({ cursor }, id)],
    ['revoked devices', 'devices_revoked', () => services.devices.listDevices({ status: 'revoked', cursor })],
    ['active devices of a customer', 'devices_customer', () => services.devices.listDevices({ customerId: id, status: 'active', cursor })],
    ['devices activated between', 'devices_activated', () => services.devices.listDevices({ activatedFrom: at, activatedBefore: '2026-11-02T00:00:00.000Z', cursor })],
    ['a pool devices activated between', 'devices_pool', () => services.devices.listDevices({ poolId: id, activatedFrom: at, activatedBefore: '2026-11-02T00:00:00.000Z' })],
    ['device by id', null, () => services.devices.findDevices({ deviceId: id })],
    ['device by license id', null, () => services.devices.findDevices({ licenseId: id })],
    ['device by hardware value', 'device_components_hash', () => services.devices.findDevices({ component: 'emmc.cid', value: '150100524d4d4d30303030' })],
    ['device by hardware value (scoped)', 'device_components_hash', () => services.devices.findDevices({ component: 'soc.serial', value: '0x5a17c0de9e21b3f4' }, id)],
    ['pools', 'pools_created', () => services.pools.listPools({ cursor })],
    ['pools of a customer', 'pools_customer', () => services.pools.listPools({ customerId: id, cursor })],
    ['orders', 'orders_submitted', () => services.orders.listOrders({ cursor })],
    ['orders of a customer', 'orders_customer', () => services.orders.listOrders({ customerId: id, cursor })],
    ['orders by status', 'orders_status', () => services.orders.listOrders({ status: 'submitted', cursor })],
    ['overdue orders', 'orders_status', () => services.orders.listOrders({ overdue: true })],
    ['trials', 'trials_submitted', () => services.trials.listTrials({ cursor })],
    ['trials of a customer', 'trials_customer', () => services.trials.listTrials({ customerId: id })],
    ['trials by status', 'trials_status', () => services.trials.listTrials({ status: 'approved', cursor })],
    ['customers', 'customers_created', () => services.customers.listCustomers({ cursor })],
    ['audit events', null, () => services.audit.listEvents({ cursor: encodeCursor([1_000_000]) })],
    ['audit events of a customer', 'audit_events_customer', () => services.audit.listEvents({ cursor: encodeCursor([1_000_000]) }, id)],
  ];

  it.each(cases)('%s', async (_name, index, list) => {
    logger.statements = [];
    // The tables are empty: a search finds nothing, after running its queries.
    await list().catch((error: unknown) => {
      if (!isSeatlockError(error, 'NOT_FOUND')) throw error;
    });
    expect(logger.statements.length).toBeGreaterThan(0);
    for (const { sql, parameters } of logger.statements) {
      const lines = await plan(dataSource, runner, sql, parameters);
      // The device count may read every pool (one row per purchase, not per device).
      const page = sql === logger.statements.at(-1)!.sql;
      expect(unindexed(lines).filter((line) => page || !/\bpools\b/.test(line)), `${sql}\n${lines.join('\n')}`).toEqual([]);
    }
    // The page itself (the count before it may read a smaller covering index).
    const page = logger.statements.at(-1)!;
    if (index) expect(usesIndex(await plan(dataSource, runner, page.sql, page.parameters), index), page.sql).toBe(true);
  });

  // The overview's aggregates: never a full read of a table; a grouping of what the index range gave is fine.
  const aggregates: [string, string | null, () => Promise<unknown>][] = [
    ['activations per day, every customer', null, () => services.overview.activations({ days: 90 })],
    ['activations per day, one customer', 'devices_customer', () => services.overview.activations({ days: 90 }, id)],
    ['pools at 80 % or more', 'pools_fill', () => services.overview.seats({ minPercent: 80, limit: 100 })],
    ['pools of a customer by fill', 'pools_customer', () => services.overview.seats({ minPercent: 0, limit: 100 }, id)],
    ['trials ending within 7 days', 'pools_trial_end', () => services.overview.trials({ withinDays: 7, limit: 100 })],
    ['review queue counts', 'orders_status', () => services.overview.review()],
  ];

  it.each(aggregates)('overview: %s', async (_name, index, aggregate) => {
    logger.statements = [];
    await aggregate();
    expect(logger.statements.length).toBeGreaterThan(0);
    let read = false;
    for (const { sql, parameters } of logger.statements) {
      const lines = await plan(dataSource, runner, sql, parameters);
      expect(lines.filter((line) => /^SCAN \S+$/.test(line) || /Seq Scan/.test(line)), `${sql}\n${lines.join('\n')}`).toEqual([]);
      if (index && usesIndex(lines, index)) read = true;
    }
    if (index) expect(read, index).toBe(true);
  });

  // The periodic scan for reminders reads, however many applications were decided and trials ended, only what may still be reminded.
  it.each(remindersAt(clock.now()).map((reminder) => [`reminders: ${reminder.table} ${reminder.to}`, reminder] as const))('%s', async (_name, reminder) => {
    const { sql, params } = dueRows(reminder);
    let n = 0;
    const lines = await plan(dataSource, runner, dataSource.options.type === 'postgres' ? sql.replace(/\?/g, () => `$${++n}`) : sql, params);
    expect(unindexed(lines), lines.join('\n')).toEqual([]);
    expect(usesIndex(lines, `${reminder.table}_${reminder.column}`), lines.join('\n')).toBe(true);
  });

  // Every activation asks whether its device is bound already: a few index entries, however many devices the pool has.
  it('finds a bound device by one index lookup per strong component, not a read of its pool', async () => {
    const fingerprint = buildFingerprint([
      { name: 'soc.serial', value: '0x5a17c0de9e21b3f4' },
      { name: 'emmc.cid', value: '150100524d4d4d30303030' },
      { name: 'android.serial', value: 'R58M12ABCDE' },
    ]);
    logger.statements = [];
    await db.read((manager) => findSameDevice(db, manager, id, fingerprint));
    expect(logger.statements).toHaveLength(1);
    const [{ sql, parameters }] = logger.statements;
    const lines = await plan(dataSource, runner, sql, parameters);
    expect(unindexed(lines), lines.join('\n')).toEqual([]);
    // Each read of the components is a lookup of one hash (the primary key, or the hash index the
    // console's search uses), never the pool's range with the hashes left to a filter.
    const reads = lines.flatMap((line, at) => (/SEARCH c\b|SCAN c\b|Scan .* on device_components\b/.test(line) ? [dataSource.options.type === 'postgres' ? (lines[at + 1] ?? '') : line] : []));
    expect(reads, lines.join('\n')).toHaveLength(3);
    for (const read of reads) expect(read, lines.join('\n')).toMatch(/hash=\?|Index Cond: .*\bhash\b/);
  });

  it('notices a list whose index is missing', async () => {
    await dataSource.query('DROP INDEX devices_revoked');
    logger.statements = [];
    // A query not planned before: the ORM keeps statements prepared, with the plans they had.
    await services.devices.listDevices({ status: 'revoked', limit: 7 });
    const page = logger.statements.at(-1)!;
    expect(usesIndex(await plan(dataSource, runner, page.sql, page.parameters), 'devices_revoked')).toBe(false);
  });
});
