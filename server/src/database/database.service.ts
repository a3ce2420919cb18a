import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';

/**
 * The one way services touch storage. SQLite has a single connection, so on SQLite transactions
 * (and reads, which must not see another transaction's uncommitted rows) take turns; PostgreSQL
 * runs them concurrently on its pool.
 */
@Injectable()
export class Database {
  private tail: Promise<unknown> = Promise.resolve();
  readonly sqlite: boolean;

  constructor(@InjectDataSource() readonly dataSource: DataSource) {
    this.sqlite = dataSource.options.type === 'better-sqlite3';
  }

  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.inTurn(() => this.dataSource.transaction(work));
  }

  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.inTurn(() => work(this.dataSource.manager));
  }

  /**
   * Plain SQL for hot paths, skipping the ORM's query building and entity mapping. Written with
   * `?` placeholders; PostgreSQL gets them numbered. Runs in `manager`'s transaction when it has one.
   */
  async execute(manager: EntityManager, sql: string, params: readonly unknown[] = []): Promise<{ rows: Record<string, any>[]; affected: number }> {
    const runner = manager.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(this.sqlite ? sql : this.numbered(sql), [...params], true);
      return { rows: result.records ?? [], affected: result.affected ?? 0 };
    } finally {
      if (!manager.queryRunner) await runner.release();
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

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (!this.sqlite) return work();
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** Whether a query failed on a UNIQUE or PRIMARY KEY constraint (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: string } | undefined)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
