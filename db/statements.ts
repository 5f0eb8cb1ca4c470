import 'server-only';
import type Database from 'better-sqlite3';
import { dbState, type Db } from './client';

/*
 * Statements are prepared once per connection, by one of two doors:
 * - `prepared` for drizzle queries built once (the login path: drizzle otherwise rebuilds the
 *   SQL and better-sqlite3 re-prepares it on every call, about 10x the cost of a small
 *   statement; see bench/login.ts);
 * - `statement` for hand-written SQL that needs `INDEXED BY` and the exact keyset predicates
 *   of docs/platform.md (the directory and audit lists), cached by its text.
 */

/** A value built once per connection, e.g. an object of drizzle `.prepare()`d queries. */
export function prepared<T>(db: Db, key: string, build: () => T): T {
  return dbState(db, `prepared.${key}`, build);
}

const MAX_CACHED = 512;

/**
 * A prepared statement for `sql`, cached per connection: filters of one shape share one
 * statement. `raw` statements return arrays, about twice as fast as objects for long walks
 * (export, verify), where better-sqlite3's row objects cost more than SQLite itself.
 */
export function statement(db: Db, sql: string, options: { raw?: boolean } = {}): Database.Statement {
  const cache = dbState(db, 'statements', () => new Map<string, Database.Statement>());
  const key = options.raw ? `raw:${sql}` : sql;
  let stmt = cache.get(key);
  if (!stmt) {
    if (cache.size >= MAX_CACHED) cache.clear();
    stmt = db.$client.prepare(sql);
    if (options.raw) stmt.raw(true);
    cache.set(key, stmt);
  }
  return stmt;
}

/** `EXPLAIN QUERY PLAN` of a statement, one line per step (tests and benchmarks). */
export function queryPlan(db: Db, sql: string, params: unknown[]): string[] {
  return (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
}
