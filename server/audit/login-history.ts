import 'server-only';
import type { Db } from '@/db/client';
import { AuditEventNotFoundError } from './errors';
import { compileLoginFilter, loginEventFilterSchema, type LoginEventFilterInput } from './login-filter';
import { auditPageSchema, decodeCursor, encodeCursor, type AuditPage, type AuditPageInput, type Keyset } from './paging';
import { loginReasonLabel } from './reasons';
import { signInMethodLabel } from './sign-in-methods';
import { keysetPage, statement, type CompiledFilter } from './sql';

export { loginEventFilterSchema, SIGN_IN_METHOD_NOT_REPORTED, type LoginEventFilter, type LoginEventFilterInput } from './login-filter';

/** One row of the login history as the console and the export show it (no chain hashes). */
export interface LoginEventListItem {
  id: number;
  /** Epoch milliseconds. */
  ts: number;
  outcome: 'accepted' | 'refused';
  /** Reason code of DESIGN.md; null when accepted. */
  reason: string | null;
  /** The reason in words ("Token expired"; "Accepted" when accepted). */
  reasonLabel: string;
  status: number;
  tenantId: string | null;
  objectId: string | null;
  userId: string | null;
  username: string | null;
  displayName: string | null;
  clientAppId: string | null;
  tokenVersion: string | null;
  /** Primary `amr` method (`wia`, `pwd`, ...); null when the token reported none. */
  signInMethod: string | null;
  /** The method in words; "not reported" for null. */
  signInMethodLabel: string;
  ip: string | null;
  userAgent: string | null;
}

/** The detail panel: every recorded field, `amr` as a list, and the chain hashes when asked. */
export interface LoginEventDetail extends LoginEventListItem {
  amr: string[];
  uti: string | null;
  prevHash?: string;
  hash?: string;
}

type LoginListRow = Omit<LoginEventListItem, 'reasonLabel' | 'signInMethodLabel'>;

export const LOGIN_LIST_COLUMNS =
  'id, ts, outcome, reason, status, tenant_id AS tenantId, object_id AS objectId, user_id AS userId, username, ' +
  'display_name AS displayName, client_app_id AS clientAppId, token_version AS tokenVersion, sign_in_method AS signInMethod, ' +
  'ip, user_agent AS userAgent';

function toListItem(row: LoginListRow): LoginEventListItem {
  return {
    ...row,
    reasonLabel: loginReasonLabel(row.reason),
    signInMethodLabel: signInMethodLabel(row.signInMethod),
  };
}

/**
 * One page of the login history, newest first (ts DESC, id DESC), filtered. Keyset paging:
 * pass `nextCursor` back as `page.cursor` for the next page; rows written meanwhile never
 * shift a page. Throws zod's error on a bad filter and {@link AuditCursorError} on a bad cursor.
 */
export function listLoginEvents(db: Db, filter: LoginEventFilterInput = {}, page: AuditPageInput = {}): AuditPage<LoginEventListItem> {
  const parsedFilter = loginEventFilterSchema.parse(filter);
  const { cursor, limit } = auditPageSchema.parse(page);
  const compiled = compileLoginFilter(db, parsedFilter);
  const { rows, next } = keysetPage<LoginListRow>(db, 'login_events', LOGIN_LIST_COLUMNS, compiled, cursor ? decodeCursor(cursor) : null, limit);
  return { items: rows.map(toListItem), nextCursor: next ? encodeCursor(next) : null };
}

/** One login event for the detail panel; throws {@link AuditEventNotFoundError}. */
export function getLoginEvent(db: Db, id: number, options: { includeChain?: boolean } = {}): LoginEventDetail {
  const row = statement(db, `SELECT ${LOGIN_LIST_COLUMNS}, amr, uti, prev_hash AS prevHash, hash FROM login_events WHERE id = ?`).get(id) as
    | (LoginListRow & { amr: string | null; uti: string | null; prevHash: string; hash: string })
    | undefined;
  if (!row) throw new AuditEventNotFoundError('Login event', id);
  const { amr, uti, prevHash, hash, ...listRow } = row;
  return {
    ...toListItem(listRow),
    amr: parseAmr(amr),
    uti,
    ...(options.includeChain ? { prevHash, hash } : {}),
  };
}

function parseAmr(amr: string | null): string[] {
  if (!amr) return [];
  try {
    const value: unknown = JSON.parse(amr);
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}

/** Export rows: the list columns plus `amr` and `uti`. */
export type LoginEventExportRow = LoginEventListItem & { amr: string[]; uti: string | null };

/**
 * Every row a filter selects, in list order, page by page (flat memory). The filter is
 * compiled once, so the whole walk reads the same rows the list shows.
 */
export function* loginEventPages(db: Db, filter: LoginEventFilterInput, pageSize = 1000): Generator<LoginEventExportRow[]> {
  const compiled: CompiledFilter = compileLoginFilter(db, loginEventFilterSchema.parse(filter));
  const columns = `${LOGIN_LIST_COLUMNS}, amr, uti`;
  let after: Keyset | null = null;
  do {
    const page: { rows: Array<LoginListRow & { amr: string | null; uti: string | null }>; next: Keyset | null } = keysetPage(
      db,
      'login_events',
      columns,
      compiled,
      after,
      pageSize,
    );
    if (page.rows.length) yield page.rows.map(({ amr, uti, ...row }) => ({ ...toListItem(row), amr: parseAmr(amr), uti }));
    after = page.next;
  } while (after);
}
