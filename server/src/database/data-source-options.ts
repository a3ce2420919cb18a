import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ApiToken } from '../auth/api-token.entity';
import { AuditCheckpoint } from '../audit/audit-checkpoint.entity';
import { Session } from '../auth/session.entity';
import { User } from '../auth/user.entity';
import { AuditEvent, AuditHead } from '../audit/audit-event.entity';
import { type ServerConfig, sqlitePath } from '../config/config';
import { Customer } from '../customers/customer.entity';
import { Sqlite } from './sqlite';
import { DeviceComponent } from '../devices/device-component.entity';
import { Device } from '../devices/device.entity';
import { Order } from '../orders/order.entity';
import { Pool } from '../pools/pool.entity';
import { SigningKey } from '../signing/signing-key.entity';
import { Trial } from '../trials/trial.entity';
import { RevocationListRecord } from '../revocations/revocation-list.entity';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { OfflineRootAndRevocationLists1764200000000 } from './migrations/1764200000000-offline-root-and-revocation-lists';
import { ReviewAndTokenControl1764300000000 } from './migrations/1764300000000-review-and-token-control';
import { AuditCheckpoints1764400000000 } from './migrations/1764400000000-audit-checkpoints';
import { CustomerAccounts1764600000000 } from './migrations/1764600000000-customer-accounts';
import { KeysetPagingIndexes1765100000000 } from './migrations/1765100000000-keyset-paging-indexes';
import { CredentialOwners1765300000000 } from './migrations/1765300000000-credential-owners';
import { KeyCompromiseAndAuditHashVersions1765400000000 } from './migrations/1765400000000-key-compromise-and-audit-hash-versions';
import { UserNames1765500000000 } from './migrations/1765500000000-user-names';
import { SignInsInFlight1765600000000 } from './migrations/1765600000000-sign-ins-in-flight';
import { DecisionReasonsAndFen1766200000000 } from './migrations/1766200000000-decision-reasons-and-fen';
import { OutboxAndWebhooks1766300000000 } from './migrations/1766300000000-outbox-and-webhooks';
import { UserLanguages1766300000001 } from './migrations/1766300000001-user-languages';
import { Reminders1766400000000 } from './migrations/1766400000000-reminders';
import { OverviewAggregates1766600000000 } from './migrations/1766600000000-overview-aggregates';

export const ENTITIES = [Customer, Pool, Order, Trial, Device, DeviceComponent, SigningKey, ApiToken, User, Session, AuditEvent, AuditHead, RevocationListRecord, AuditCheckpoint];
export const MIGRATIONS = [
  InitialSchema1764000000000,
  OfflineRootAndRevocationLists1764200000000,
  ReviewAndTokenControl1764300000000,
  AuditCheckpoints1764400000000,
  CustomerAccounts1764600000000,
  KeysetPagingIndexes1765100000000,
  CredentialOwners1765300000000,
  KeyCompromiseAndAuditHashVersions1765400000000,
  UserNames1765500000000,
  SignInsInFlight1765600000000,
  DecisionReasonsAndFen1766200000000,
  OutboxAndWebhooks1766300000000,
  UserLanguages1766300000001,
  Reminders1766400000000,
  OverviewAggregates1766600000000,
];

/** SQLite by default (one file in the data dir), PostgreSQL when DATABASE_URL says so. Schema only through migrations. */
export function dataSourceOptions(config: ServerConfig): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: true, synchronize: false, logging: false } as const;
  if (config.databaseUrl) {
    // Several instances may start at once: they take turns applying migrations (see initializeDataSource).
    return { ...common, migrationsRun: false, type: 'postgres', url: config.databaseUrl };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    driver: Sqlite,
    database: sqlitePath(config),
    enableWAL: true,
    timeout: 10_000,
    // The cache is first-in first-out: big enough that hot statements are prepared once.
    statementCacheSize: 1000,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      // Commits are made durable by Database.write(), which fsyncs the log off the event loop
      // before it answers: a license is never handed out for a row a power cut could lose.
      db.pragma('synchronous = NORMAL');
      // The server checkpoints on a worker thread (Database); a short-lived CLI checkpoints when it closes.
      db.pragma('wal_autocheckpoint = 0');
    },
  };
}

/**
 * The data directory 0700 and the database file 0600, made so before SQLite opens it (SQLite gives
 * its -wal and -shm files the database file's mode). Existing ones are narrowed too: the file
 * holds the signing keys and every license.
 */
function privateSqliteFile(path: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir applies the umask and leaves an existing directory as it was.
  chmodSync(dir, 0o700);
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}

/** Arbitrary, fixed: the PostgreSQL advisory lock that instances hold while applying migrations. */
const MIGRATION_LOCK = 0x5ea7_10c;

/**
 * Connects and brings the schema up to date. On PostgreSQL the migrations run under an advisory
 * lock, so instances started together apply them once instead of racing to create the same tables.
 */
export async function initializeDataSource(options: DataSourceOptions): Promise<DataSource> {
  if (options.type === 'better-sqlite3') privateSqliteFile(options.database as string);
  const dataSource = await new DataSource(options).initialize();
  if (options.type !== 'postgres') return dataSource;
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}
