import type BetterSqlite3 from 'better-sqlite3';

/**
 * The better-sqlite3 this Node can run; everything that opens a SQLite file takes it from here.
 *
 * 12.x wraps its objects in node::ObjectWrap, which Node 24 makes register an environment cleanup
 * hook: a statement collected once the environment is gone (at exit, or by a collection off the
 * main context) aborts the process with `RemoveEnvironmentCleanupHook ... (env) != nullptr`. 13.x
 * is built on Node-API and does not, but it crashes on Node 20. Both are installed (13.x under
 * the alias `better-sqlite3-13`, from its own prebuilt binaries); Node 22 and later load 13.x.
 */
export const Sqlite: typeof BetterSqlite3 =
  Number(process.versions.node.split('.')[0]) >= 22 ? require('better-sqlite3-13') : require('better-sqlite3');

export type SqliteDatabase = BetterSqlite3.Database;
