import type BetterSqlite3 from 'better-sqlite3';

/**
 * The better-sqlite3 this Node can run; everything that opens a SQLite file takes it from here.
 *
 * 12.x wraps its objects in node::ObjectWrap, which Node 24 makes register an environment cleanup
 * hook: a statement collected once the environment is gone (at exit, or by a collection off the
 * main context) aborts the process with `RemoveEnvironmentCleanupHook ... (env) != nullptr`. 13.x
 * is built on Node-API and does not, but it crashes on Node 20. Both are installed (13.x under
 * the alias `better-sqlite3-13`, from its own prebuilt binaries); Node 22 and later load 13.x.
 * 13.x is an optional dependency, which an install on Node 20 skips.
 */
export const Sqlite: typeof BetterSqlite3 = Number(process.versions.node.split('.')[0]) >= 22 ? betterSqlite13() : require('better-sqlite3');

function betterSqlite13(): typeof BetterSqlite3 {
  try {
    return require('better-sqlite3-13');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    throw new Error(`better-sqlite3 13, which Node ${process.versions.node} needs, is not installed (the install ran on an older Node): run npm ci with this Node.`);
  }
}

export type SqliteDatabase = BetterSqlite3.Database;
