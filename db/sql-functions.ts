import 'server-only';
import type Database from 'better-sqlite3';

/**
 * SQL functions every connection gets. `ice_lower` folds case with JavaScript: SQLite's
 * lower() and LIKE fold ASCII only, so "ZOË" would not find "zoë".
 */
export function registerSqlFunctions(client: Database.Database): void {
  client.function('ice_lower', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v));
}
