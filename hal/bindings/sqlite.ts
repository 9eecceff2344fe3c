/**
 * The call manager's SQLite driver, better-sqlite3 (synchronous, one connection; compiled from
 * source by node-gyp), loaded lazily like every native package (native.ts): a failed build
 * turns into HalError UNAVAILABLE naming the fix when the database is opened, not at import.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { loadNative } from './native.js';

export type SqliteDatabase = BetterSqlite3.Database;
export type SqliteStatement = BetterSqlite3.Statement;

/** Opens (creating) the database at `path`; ':memory:' is a private in-memory database. */
export async function openSqlite(path: string): Promise<SqliteDatabase> {
  const Database = await loadNative<typeof BetterSqlite3>('better-sqlite3', 'callmanager storage');
  return new Database(path);
}
