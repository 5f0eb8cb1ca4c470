import 'server-only';
import type { Db } from '@/db/client';
import { encodeCursor, readPage, type NameKeyset, type Page } from '@/server/lib/paging';
import { queryPlan } from '@/db/statements';
import { isGuestUser } from './guest';
import type { UserListItem } from './schemas';
import { chooseDriver, iterateSegment, segmentRows, segmentSql, type Driver, type UserListFilter, type UserListRow } from './user-list-sql';

export { MEMBER_DRIVEN_MAX } from './user-list-sql';

export type { UserListItem } from './schemas';

export interface ListUsersOptions {
  /** Part of a display name, e-mail, user name or object ID; case-insensitive. */
  search?: string;
  status?: 'active' | 'disabled';
  /** Only members of this group (object ID). */
  groupId?: string;
  /** `nextCursor` of the previous page. */
  cursor?: string | null;
  /** 1 to 200, default 50. */
  limit?: number;
}

/**
 * A search walks this many users in list order and searches them itself; when they hold too
 * few matches (rare text), one sequential pass over the table is cheaper than walking on,
 * since every step of the walk is a random read of a table row.
 */
export const SEARCH_WINDOW = 4000;

/**
 * One page of users ordered by (display name, id), users without a name first; filtered by
 * search text, status and group. Keyset paging: a page without search is one or two index
 * range scans, so a deep page costs what the first one does. Throws
 * {@link PageCursorError} on a cursor this list did not issue.
 */
export function listUsers(db: Db, options: ListUsersOptions = {}): Page<UserListItem> {
  const { after, limit } = readPage('users', options);
  const filter = filterOf(options);
  const driver = chooseDriver(db, filter);
  const rows: UserListRow[] = [];
  if (after === null || after.displayName === null) rows.push(...segmentRows(db, { driver, filter, segment: 'unnamed', after, limit: limit + 1 }));
  if (rows.length <= limit) rows.push(...namedRows(db, driver, filter, after?.displayName != null ? after : null, limit + 1 - rows.length));
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const last = rows.at(-1);
  return {
    items: rows.map(toItem),
    nextCursor: more && last ? encodeCursor('users', { displayName: last.displayName, id: last.id }) : null,
  };
}

function namedRows(db: Db, driver: Driver, filter: UserListFilter, after: NameKeyset | null, n: number): UserListRow[] {
  // users_display_name_idx carries search_text: the search reads the index, not the table
  if (!filter.search || driver === 'members' || driver === 'name') return segmentRows(db, { driver, filter, segment: 'named', after, limit: n });
  const search = filter.search;
  const hits: UserListRow[] = [];
  let walked = 0;
  for (const row of iterateSegment(db, { driver, filter, segment: 'named', after, limit: SEARCH_WINDOW, withSearchText: true })) {
    walked++;
    if (!row.searchText!.includes(search)) continue;
    hits.push(row);
    if (hits.length === n) return hits; // leaving the loop resets the statement
  }
  if (walked < SEARCH_WINDOW) return hits;
  return segmentRows(db, { driver: 'table', filter, segment: 'named', after, limit: n });
}

function filterOf(options: ListUsersOptions): UserListFilter {
  const search = options.search?.trim().toLowerCase();
  return {
    ...(options.status ? { status: options.status } : {}),
    ...(options.groupId !== undefined ? { groupId: options.groupId } : {}),
    ...(search ? { search } : {}),
  };
}

function toItem(r: UserListRow): UserListItem {
  return {
    id: r.id,
    tenantId: r.tenantId,
    objectId: r.objectId,
    displayName: r.displayName,
    email: r.email,
    username: r.username,
    status: r.status,
    groupsOverage: r.groupsOverage === 1,
    lastLoginAt: r.lastLoginAt,
    guest: isGuestUser(r),
  };
}

/** The query plan of a page of named users (without search), for tests and the benchmark. */
export function explainListUsers(db: Db, options: Pick<ListUsersOptions, 'status' | 'groupId'>, withCursor: boolean): string[] {
  const filter = filterOf(options);
  const after = withCursor ? { displayName: 'm', id: '0' } : null;
  const { sql, params } = segmentSql({ driver: chooseDriver(db, filter), filter, segment: 'named', after, limit: 1 });
  return queryPlan(db, sql, params);
}
