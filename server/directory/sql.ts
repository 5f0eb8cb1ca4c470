import 'server-only';
import type Database from 'better-sqlite3';
import { dbState, type Db } from '@/db/client';

/*
 * The directory lists are written in SQL rather than with drizzle's builder because they need
 * `INDEXED BY` (SQLite keeps no statistics here and would otherwise guess which index drives a
 * combined filter) and the exact keyset predicates of MACHINE.md.
 */

const MAX_CACHED = 128;

/** Prepared statements, cached per connection: each filter shape compiles once. */
export function statement(db: Db, sql: string): Database.Statement {
  const cache = dbState(db, 'directory-statements', () => {
    // SQLite's lower() folds ASCII only; names such as "Ärzte Nord" need JavaScript's
    db.$client.function('ice_lower', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v));
    return new Map<string, Database.Statement>();
  });
  let stmt = cache.get(sql);
  if (!stmt) {
    if (cache.size >= MAX_CACHED) cache.clear();
    stmt = db.$client.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

/** `EXPLAIN QUERY PLAN` of a statement, one line per step (tests and the benchmark). */
export function queryPlan(db: Db, sql: string, params: unknown[]): string[] {
  statement(db, 'SELECT 1');
  return (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
}
