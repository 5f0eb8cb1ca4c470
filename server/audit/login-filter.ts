import 'server-only';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { statement } from '@/db/statements';
import { containsIgnoringCase, likeContains, type CompiledFilter } from './sql';
import { timeFromSchema, timeToSchema } from './time-range';

/** Filter value of `signInMethod` for sign-ins whose token reported no method (v2 tokens). */
export const SIGN_IN_METHOD_NOT_REPORTED = 'none';

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Filters of the login history. Every field is optional; given fields combine with AND.
 * - `from`/`to`: see time-range.ts (from inclusive, to exclusive).
 * - `userId`: the directory user's ID (exact).
 * - `user`: text: an object ID or user ID, or part of a user name, e-mail or display name.
 *   Names are looked up in the directory (users), then the history is searched by object ID,
 *   so that the search uses an index. When no directory user (or more than 25) matches,
 *   the user names and display names recorded in the history itself are searched instead.
 * - `signInMethod`: an `amr` code (`wia`, `pwd`, `mfa`, ...) or `none` for "not reported".
 */
export const loginEventFilterSchema = z
  .object({
    from: timeFromSchema.optional(),
    to: timeToSchema.optional(),
    outcome: z.enum(['accepted', 'refused']).optional(),
    reason: z
      .string()
      .trim()
      .regex(/^[a-z_]{1,64}$/, 'must be a reason code such as token_expired')
      .optional(),
    userId: z.string().trim().min(1).max(128).optional(),
    user: z.string().trim().min(1).max(256).optional(),
    clientAppId: z.string().trim().min(1).max(64).optional(),
    signInMethod: z
      .string()
      .trim()
      .regex(/^[a-z0-9_]{1,32}$/, 'must be a sign-in method code such as wia, pwd, mfa, or none')
      .optional(),
    ip: z.string().trim().min(1).max(64).optional(),
  })
  .strict();
export type LoginEventFilterInput = z.input<typeof loginEventFilterSchema>;
export type LoginEventFilter = z.output<typeof loginEventFilterSchema>;

interface IndexedTerm {
  index: string;
  sql: string;
  params: unknown[];
}

/** Most selective first, for when the probe cannot tell (see chooseIndex). */
const INDEX = {
  user: 'login_events_user_ts_idx',
  object: 'login_events_object_ts_idx',
  ip: 'login_events_ip_ts_idx',
  client: 'login_events_client_ts_idx',
  reason: 'login_events_reason_ts_idx',
  method: 'login_events_method_ts_idx',
  outcome: 'login_events_outcome_ts_idx',
  ts: 'login_events_ts_idx',
} as const;

/** Directory users a text may name before it is searched as text in the history instead. */
export const MAX_RESOLVED_USERS = 25;
/** Index entries counted per candidate index when several filters could drive the scan. */
const PROBE_LIMIT = 5000;

/** Turns a parsed filter into SQL terms, choosing the index that reads the fewest rows. */
export function compileLoginFilter(db: Db, filter: LoginEventFilter): CompiledFilter {
  const range: string[] = [];
  const rangeParams: unknown[] = [];
  if (filter.from !== undefined) {
    range.push('ts >= ?');
    rangeParams.push(filter.from);
  }
  if (filter.to !== undefined) {
    range.push('ts < ?');
    rangeParams.push(filter.to);
  }
  const terms: IndexedTerm[] = [];
  const residual: string[] = [];
  const residualParams: unknown[] = [];
  const eq = (index: string, column: string, value: string) => terms.push({ index, sql: `${column} = ?`, params: [value] });

  if (filter.userId !== undefined) eq(INDEX.user, 'user_id', filter.userId);
  if (filter.user !== undefined) {
    const resolved = resolveUserText(db, filter.user);
    if (resolved.objectIds) {
      const ids = resolved.objectIds;
      terms.push({ index: INDEX.object, sql: ids.length === 1 ? 'object_id = ?' : `object_id IN (${ids.map(() => '?').join(',')})`, params: ids });
    } else {
      const name = containsIgnoringCase('username', filter.user);
      const display = containsIgnoringCase('display_name', filter.user);
      residual.push(`(${name.sql} OR ${display.sql})`);
      residualParams.push(name.param, display.param);
    }
  }
  if (filter.ip !== undefined) eq(INDEX.ip, 'ip', filter.ip);
  if (filter.clientAppId !== undefined) eq(INDEX.client, 'client_app_id', filter.clientAppId);
  if (filter.reason !== undefined) eq(INDEX.reason, 'reason', filter.reason);
  if (filter.signInMethod !== undefined) {
    if (filter.signInMethod === SIGN_IN_METHOD_NOT_REPORTED) terms.push({ index: INDEX.method, sql: 'sign_in_method IS NULL', params: [] });
    else eq(INDEX.method, 'sign_in_method', filter.signInMethod);
  }
  if (filter.outcome !== undefined) eq(INDEX.outcome, 'outcome', filter.outcome);

  const driving = terms.length === 0 ? null : chooseIndex(db, terms, range, rangeParams);
  const others = terms.filter((t) => t !== driving);
  residual.unshift(...others.map((t) => t.sql));
  residualParams.unshift(...others.flatMap((t) => t.params));
  return {
    index: driving?.index ?? INDEX.ts,
    where: [...(driving ? [driving.sql] : []), ...range],
    params: [...(driving?.params ?? []), ...rangeParams],
    ...(residual.length ? { residual: { where: residual, params: residualParams } } : {}),
  };
}

/**
 * With several filters, SQLite (which has no statistics here) could pick the index of a
 * filter that matches half the table. Count up to PROBE_LIMIT entries of each candidate
 * index inside the time range (a covering index read of about 0.3 ms) and let the smallest
 * drive the scan; on a tie (all beyond the limit) the first in the order above wins. The
 * other filters are checked on the rows it yields, within the scan window of keysetPage.
 */
function chooseIndex(db: Db, terms: IndexedTerm[], range: string[], rangeParams: unknown[]): IndexedTerm {
  if (terms.length === 1) return terms[0]!;
  let best = terms[0]!;
  let bestCount = Infinity;
  for (const term of terms) {
    const where = [term.sql, ...range].join(' AND ');
    const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM login_events INDEXED BY ${term.index} WHERE ${where} LIMIT ${PROBE_LIMIT})`;
    const { n } = statement(db, sql).get(...term.params, ...rangeParams) as { n: number };
    if (n < bestCount) {
      best = term;
      bestCount = n;
    }
  }
  return best;
}

/**
 * Object IDs that a user text names: a GUID is taken as an object ID (and, when it is a
 * directory user's ID, that user's object ID); other text is matched against the directory's
 * search text (display name, e-mail, user name, object ID). `null` means "search as text".
 */
function resolveUserText(db: Db, text: string): { objectIds: string[] | null } {
  const lower = text.toLowerCase();
  if (GUID_RE.test(lower)) {
    const rows = statement(db, 'SELECT object_id AS objectId FROM users WHERE id = ? OR object_id = ?').all(text, lower) as Array<{ objectId: string }>;
    return { objectIds: [...new Set([lower, ...rows.map((r) => r.objectId.toLowerCase())])] };
  }
  const rows = statement(db, `SELECT DISTINCT object_id AS objectId FROM users WHERE search_text LIKE ? ESCAPE '\\' LIMIT ${MAX_RESOLVED_USERS + 1}`).all(
    likeContains(lower),
  ) as Array<{ objectId: string }>;
  if (rows.length === 0 || rows.length > MAX_RESOLVED_USERS) return { objectIds: null };
  return { objectIds: rows.map((r) => r.objectId) };
}
