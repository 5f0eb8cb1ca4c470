import 'server-only';
import type { Db } from '@/db/client';
import { queryPlan, statement } from '@/db/statements';
import type { Page, TimeKeyset as Keyset } from '@/server/lib/paging';

/*
 * The audit lists are written in SQL rather than with drizzle's builder because they need
 * `INDEXED BY` (SQLite has no statistics here and would otherwise guess which index drives
 * a combined filter), the exact keyset predicate below, and a bounded scan window.
 */

/**
 * A compiled filter. `where` are the terms the driving `index` answers by itself (its
 * equality and the time range); `residual` are the other filters, checked on each row the
 * index yields.
 */
export interface CompiledFilter {
  index: string | null;
  where: string[];
  params: unknown[];
  residual?: { where: string[]; params: unknown[] };
}

// Not `(ts, id) < (?, ?)`: SQLite does not reliably use a row value as an index bound (docs/platform.md).
const AFTER = 'ts <= ? AND (ts < ? OR id < ?)';
const FROM_FLOOR = 'ts >= ? AND (ts > ? OR id >= ?)';
const from = (table: string, index: string | null) => `${table}${index ? ` INDEXED BY ${index}` : ''}`;
const whereOf = (terms: string[]) => (terms.length ? ` WHERE ${terms.join(' AND ')}` : '');

/** `SELECT ... ORDER BY ts DESC, id DESC LIMIT ?` for one page. */
export function pageSql(table: string, columns: string, filter: CompiledFilter, withCursor: boolean, withFloor = false): string {
  const terms = [...filter.where, ...(filter.residual?.where ?? [])];
  if (withCursor) terms.push(AFTER);
  if (withFloor) terms.push(FROM_FLOOR);
  return `SELECT ${columns} FROM ${from(table, filter.index)}${whereOf(terms)} ORDER BY ts DESC, id DESC LIMIT ?`;
}

export interface PageOptions {
  /** Rows as arrays in the order of `columns`, which must then start with `id, ts`. */
  raw?: boolean;
  /**
   * With residual filters, read at most this many entries of the driving index per page.
   * When the window holds fewer matches than the page size, the page comes back short
   * (even empty) with a cursor that continues after the window, so that no page of a rare
   * combination of broad filters costs more than the window.
   */
  scanLimit?: number;
}

/** A page of an audit list. */
export type AuditPage<T> = Page<T> & {
  /**
   * Set when a rare combination of filters ended the page before it was full: the search
   * has read back to this time (epoch ms) and goes on with `nextCursor`. Such a page may
   * hold fewer rows than asked, even none; show "searched back to ..." and a "more" button.
   */
  searchedBackTo: number | null;
};

export interface RawPage<R> {
  rows: R[];
  next: Keyset | null;
  /** Set when the scan window ended the page early: the time the search has reached. */
  searchedBackTo: number | null;
}

/** One page of rows newest first (ts DESC, id DESC) after `after`, and the keyset to continue from. */
export function keysetPage<R>(
  db: Db,
  table: string,
  columns: string,
  filter: CompiledFilter,
  after: Keyset | null,
  limit: number,
  options: PageOptions = {},
): RawPage<R> {
  const cursorParams = after ? [after.ts, after.ts, after.id] : [];
  const floor = filter.residual && options.scanLimit ? windowFloor(db, table, filter, cursorParams, options.scanLimit) : null;
  const sql = pageSql(table, columns, filter, after !== null, floor !== null);
  const params = [...filter.params, ...(filter.residual?.params ?? []), ...cursorParams, ...(floor ? [floor.ts, floor.ts, floor.id] : []), limit + 1];
  const rows = statement(db, sql, { raw: options.raw }).all(...params) as R[];
  const more = rows.length > limit;
  if (more) rows.pop();
  const last = rows.at(-1) as unknown;
  if (more && last) {
    const next = options.raw
      ? { id: (last as unknown[])[0] as number, ts: (last as unknown[])[1] as number }
      : { id: (last as Keyset).id, ts: (last as Keyset).ts };
    return { rows, next, searchedBackTo: null };
  }
  // the window is used up: continue after its last entry
  return floor ? { rows, next: floor, searchedBackTo: floor.ts } : { rows, next: null, searchedBackTo: null };
}

/**
 * The last entry of the scan window: the `scanLimit`-th entry of the driving index after the
 * cursor (a covering index read, no table access), or null when fewer entries are left.
 */
function windowFloor(db: Db, table: string, filter: CompiledFilter, cursorParams: unknown[], scanLimit: number): Keyset | null {
  const terms = [...filter.where, ...(cursorParams.length ? [AFTER] : [])];
  const sql = `SELECT id, ts FROM ${from(table, filter.index)}${whereOf(terms)} ORDER BY ts DESC, id DESC LIMIT 1 OFFSET ?`;
  return (statement(db, sql).get(...filter.params, ...cursorParams, scanLimit - 1) as Keyset | undefined) ?? null;
}

/** The query plan of a page query, for tests and the benchmark (`EXPLAIN QUERY PLAN`). */
export function explainPage(db: Db, table: string, columns: string, filter: CompiledFilter, withCursor: boolean): string[] {
  const sql = pageSql(table, columns, filter, withCursor);
  const params = [...filter.params, ...(filter.residual?.params ?? []), ...(withCursor ? [0, 0, 0] : []), 1];
  return queryPlan(db, sql, params);
}

/** Escapes `%`, `_` and `\` for `LIKE ? ESCAPE '\'`. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * SQL for "`column` contains `text`, ignoring case", with its parameter. SQLite's LIKE and
 * lower() fold ASCII only ("ZOË" would not find "zoë"), so the column is folded by a
 * JavaScript function registered on every connection (`ice_lower`, db/statements.ts). Only for scans that are bounded
 * anyway (the small change log, the scan window of the login history).
 */
export function containsIgnoringCase(column: string, text: string): { sql: string; param: string } {
  return { sql: `instr(ice_lower(${column}), ?) > 0`, param: text.toLowerCase() };
}

/** Lets other work on the event loop run between pages of a long walk. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
