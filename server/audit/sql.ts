import 'server-only';
import type Database from 'better-sqlite3';
import { dbState, type Db } from '@/db/client';
import type { Keyset } from './paging';

/*
 * The audit lists are written in SQL rather than with drizzle's builder because they need
 * `INDEXED BY` (SQLite has no statistics here and would otherwise guess which index drives
 * a combined filter) and the exact keyset predicate below.
 */

/** A compiled filter: WHERE terms with `?` parameters, and the index that drives the scan. */
export interface CompiledFilter {
  index: string | null;
  where: string[];
  params: unknown[];
}

const MAX_CACHED = 256;

/** Prepared statements are cached per connection; filters of one shape share one statement. */
export function statement(db: Db, sql: string): Database.Statement {
  const cache = dbState(db, 'audit-statements', () => new Map<string, Database.Statement>());
  let stmt = cache.get(sql);
  if (!stmt) {
    if (cache.size >= MAX_CACHED) cache.clear();
    stmt = db.$client.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

/** `SELECT ... ORDER BY ts DESC, id DESC LIMIT ?` for one page after `after`. */
export function pageSql(table: string, columns: string, filter: CompiledFilter, withCursor: boolean): string {
  const where = [...filter.where];
  // Not `(ts, id) < (?, ?)`: SQLite does not use a row value as an index bound (MACHINE.md).
  if (withCursor) where.push('ts <= ? AND (ts < ? OR id < ?)');
  return (
    `SELECT ${columns} FROM ${table}${filter.index ? ` INDEXED BY ${filter.index}` : ''}` +
    `${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ts DESC, id DESC LIMIT ?`
  );
}

/** One page of rows newest first, and the keyset after its last row when more rows follow. */
export function keysetPage<R extends Keyset>(
  db: Db,
  table: string,
  columns: string,
  filter: CompiledFilter,
  after: Keyset | null,
  limit: number,
): { rows: R[]; next: Keyset | null } {
  const sql = pageSql(table, columns, filter, after !== null);
  const params = after ? [...filter.params, after.ts, after.ts, after.id, limit + 1] : [...filter.params, limit + 1];
  const rows = statement(db, sql).all(...params) as R[];
  const more = rows.length > limit;
  if (more) rows.pop();
  const last = rows.at(-1);
  return { rows, next: more && last ? { ts: last.ts, id: last.id } : null };
}

/** The query plan of a page query, for tests and the benchmark (`EXPLAIN QUERY PLAN`). */
export function explainPage(db: Db, table: string, columns: string, filter: CompiledFilter, withCursor: boolean): string[] {
  const sql = pageSql(table, columns, filter, withCursor);
  const params = withCursor ? [...filter.params, 0, 0, 0, 1] : [...filter.params, 1];
  return (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
}

/** Escapes `%`, `_` and `\` for `LIKE ? ESCAPE '\'`. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Lets other work on the event loop run between pages of a long walk. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
