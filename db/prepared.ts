import 'server-only';
import { dbState, type Db } from './client';

/**
 * Statements built and prepared once per database connection. drizzle otherwise rebuilds
 * the SQL and better-sqlite3 re-prepares it on every call: about 10x the cost of running a
 * small statement, which the login path cannot afford (bench/login.ts).
 */
export function prepared<T>(db: Db, key: string, build: () => T): T {
  return dbState(db, `prepared.${key}`, build);
}
