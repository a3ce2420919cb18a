import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type FileHandle, open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { Statement } from 'better-sqlite3';
import { workerScript } from '../common/worker-script';
import type { SqliteDatabase } from './sqlite';
import { DataSource, type EntityManager, QueryFailedError, type QueryRunner } from 'typeorm';
import type { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';

/**
 * The one way services touch storage. SQLite has a single connection, so on SQLite transactions
 * (and reads, which must not see another transaction's uncommitted rows) take turns; PostgreSQL
 * runs them concurrently on its pool.
 *
 * Durability on SQLite: better-sqlite3 is synchronous, so a commit that fsyncs (synchronous=FULL)
 * would stall the event loop for the whole disk flush. Instead commits do not fsync
 * (synchronous=NORMAL, still consistent in WAL mode) and `write()` resolves only after an fsync
 * of the write-ahead log, run off the event loop, that started after its commit. One fsync covers
 * every commit made before it, so concurrent writes share flushes and the next transaction runs
 * while the previous one is being flushed. Checkpoints run on a worker thread of their own
 * (see checkpoint-worker.ts) for the same reason.
 */
const CHECKPOINT_INTERVAL_MS = 250;
/** Pages the log may hold before it is started over (4,096 pages of 4 KiB: 16 MiB). */
const LOG_RESTART_FRAMES = 4_096;

@Injectable()
export class Database implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private checkpointer?: Worker;
  private tail: Promise<unknown> = Promise.resolve();
  readonly sqlite: boolean;
  private wal?: Promise<FileHandle>;
  private flushing?: Promise<void>;
  private nextFlush?: Promise<void>;

  constructor(@InjectDataSource() readonly dataSource: DataSource) {
    this.sqlite = dataSource.options.type === 'better-sqlite3';
  }

  /** Runs `work` in a transaction; resolves once the commit is on disk. */
  async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.commit(work);
    await this.flushed();
    return result;
  }

  /**
   * Runs `work` in a transaction and resolves at commit, before the commit is surely on disk:
   * for callers that go on writing and answer only after {@link flushed} (group commit).
   */
  commit<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.inTurn(async () => {
      try {
        return await this.dataSource.transaction(work);
      } catch (error) {
        if (this.sqlite) this.endFailedSqliteTransaction();
        throw error;
      }
    });
  }

  /**
   * Leaves no transaction open after a failed one, and the ORM's count of open ones at zero.
   * A full disk makes SQLite roll the whole transaction back by itself; the ORM's ROLLBACK then
   * fails and the ORM takes the next transaction for a nested one, a savepoint whose release
   * commits nothing: answers would go out for rows that a later rollback takes away.
   */
  private endFailedSqliteTransaction(): void {
    const connection = this.sqliteConnection();
    if (connection.inTransaction) connection.exec('ROLLBACK');
    const runner = this.dataSource.driver.createQueryRunner('master') as unknown as { isTransactionActive: boolean; transactionDepth: number };
    runner.isTransactionActive = false;
    runner.transactionDepth = 0;
  }

  private sqliteConnection(): SqliteDatabase {
    return (this.dataSource.driver as BetterSqlite3Driver).databaseConnection as SqliteDatabase;
  }

  async read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.sqlite) return this.inTurn(() => work(this.dataSource.manager));
    // PostgreSQL: one connection for the whole read rather than one per statement: under load
    // every checkout waits in the pool's queue (an activation's read made two).
    const runner = this.dataSource.createQueryRunner();
    try {
      return await work(runner.manager);
    } finally {
      await runner.release();
    }
  }

  private readonly ownConnections = new Set<QueryRunner>();

  /**
   * {@link commit} for one caller whose transactions follow each other back to back (the
   * activation writer): on PostgreSQL on a connection of its own, kept between them, so that its
   * transactions do not wait in the pool's queue behind the reads of the requests they answer.
   * A failed transaction gives its connection back (it may be broken); the next takes another.
   */
  committer(): <T>(work: (manager: EntityManager) => Promise<T>) => Promise<T> {
    let runner: QueryRunner | undefined;
    return async (work) => {
      if (this.sqlite) return this.commit(work);
      runner ??= this.dataSource.createQueryRunner();
      const current = runner;
      this.ownConnections.add(current);
      try {
        return await current.manager.transaction(work);
      } catch (error) {
        runner = undefined;
        this.ownConnections.delete(current);
        await current.release();
        throw error;
      }
    };
  }

  /**
   * Plain SQL for hot paths, skipping the ORM's query building and entity mapping. Written with
   * `?` placeholders; PostgreSQL gets them numbered. Runs in `manager`'s transaction when it has one.
   */
  async execute(manager: EntityManager, sql: string, params: readonly unknown[] = []): Promise<{ rows: Record<string, any>[]; affected: number }> {
    if (this.sqlite) return this.executeOnSqlite(sql, params);
    const runner = manager.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(this.numbered(sql), [...params], true);
      return { rows: result.records ?? [], affected: result.affected ?? 0 };
    } finally {
      if (!manager.queryRunner) await runner.release();
    }
  }

  private readonly sqliteStatements = new Map<string, Statement>();

  /**
   * On SQLite, straight to better-sqlite3 with statements prepared once: the ORM's query runner
   * adds several promise turns and a logger and subscriber call to every statement, and the
   * activation writer runs several per device. Safe inside a transaction: SQLite has one
   * connection and transactions take turns on it. The texts are the code's own, so the cache stays small.
   */
  private executeOnSqlite(sql: string, params: readonly unknown[]): { rows: Record<string, any>[]; affected: number } {
    try {
      let statement = this.sqliteStatements.get(sql);
      if (!statement) {
        statement = this.sqliteConnection().prepare(sql);
        this.sqliteStatements.set(sql, statement);
      }
      if (statement.reader) return { rows: statement.all(...params) as Record<string, any>[], affected: 0 };
      return { rows: [], affected: statement.run(...params).changes };
    } catch (error) {
      throw new QueryFailedError(sql, [...params], error as Error);
    }
  }

  private readonly numberedSql = new Map<string, string>();

  private numbered(sql: string): string {
    let text = this.numberedSql.get(sql);
    if (text === undefined) {
      let n = 0;
      text = sql.replace(/\?/g, () => `$${++n}`);
      this.numberedSql.set(sql, text);
    }
    return text;
  }

  onModuleInit(): void {
    if (!this.sqlite) return;
    const worker = new Worker(workerScript(__dirname, 'checkpoint-worker.js'), {
      workerData: { path: this.dataSource.options.database, intervalMs: CHECKPOINT_INTERVAL_MS, restartFrames: LOG_RESTART_FRAMES },
    });
    worker.unref();
    worker.on('message', (message: { error?: string }) => message.error && this.logger.warn(`Checkpoint failed: ${message.error}`));
    worker.on('error', (error) => this.logger.error(`Checkpoint worker failed: ${error.message}`));
    this.checkpointer = worker;
  }

  async onApplicationShutdown(): Promise<void> {
    for (const runner of this.ownConnections) await runner.release();
    this.ownConnections.clear();
    const worker = this.checkpointer;
    this.checkpointer = undefined;
    if (worker) {
      // Referenced again, so the process waits for the worker to close its connection.
      worker.ref();
      const exited = new Promise((done) => worker.once('exit', done));
      worker.postMessage({ type: 'stop' });
      const deadline = setTimeout(() => void worker.terminate(), 2_000);
      await exited;
      clearTimeout(deadline);
    }
    await (await this.wal?.catch(() => undefined))?.close();
  }

  /** Resolves after an fsync of the SQLite log that started after this call (PostgreSQL commits durably by itself). */
  flushed(): Promise<void> {
    if (!this.sqlite) return Promise.resolve();
    if (!this.flushing) {
      this.flushing = this.fsyncLog().finally(() => (this.flushing = undefined));
      return this.flushing;
    }
    // The flush under way may have started before this commit: wait for the one after it.
    this.nextFlush ??= this.flushing.then(() => {
      this.nextFlush = undefined;
      return this.flushed();
    });
    return this.nextFlush;
  }

  private async fsyncLog(): Promise<void> {
    this.wal ??= open(`${this.dataSource.options.database as string}-wal`, 'r');
    await (await this.wal).sync();
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (!this.sqlite) return work();
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** The database's disk is full: SQLite's SQLITE_FULL, PostgreSQL's disk_full, or ENOSPC from a write of our own (the log's fsync). */
export function isStorageFull(error: unknown): boolean {
  const code = error instanceof QueryFailedError ? (error.driverError as { code?: unknown } | undefined)?.code : (error as { code?: unknown } | undefined)?.code;
  return code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC';
}

/** Whether a query failed on a UNIQUE or PRIMARY KEY constraint (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: string } | undefined)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
