import 'server-only';
import type { Db } from '@/db/client';
import type { NameKeyset } from '@/server/lib/paging';
import { statement } from '@/db/statements';

/** Which index drives a page of the users list. */
export type Driver =
  /** users_display_name_idx: (display_name, id, search_text), the list order itself. */
  | 'name'
  /** users_status_idx: (status, display_name). */
  | 'status'
  /** user_groups_group_idx: every member of a small group, then sorted. */
  | 'members'
  /** No index: one pass over the table, then sorted (searches for rare text). */
  | 'table';

export interface UserListFilter {
  status?: 'active' | 'disabled';
  groupId?: string;
  /** Lower-cased search text; searched in users.search_text. */
  search?: string;
}

/**
 * A group with at most this many members drives the scan from its memberships (read them all,
 * sort); a larger one is checked row by row while walking the display-name order, which finds
 * a page after about limit × users / members rows. √(50 × 100,000) ≈ 2,200; measured even at 2,000.
 */
export const MEMBER_DRIVEN_MAX = 2000;

/** Users with no display name come first (SQLite's NULL order), then by display name and ID. */
export type Segment = 'unnamed' | 'named';

export const USER_LIST_COLUMNS =
  'u.id, u.tenant_id AS tenantId, u.object_id AS objectId, u.display_name AS displayName, u.email, u.username, ' +
  'u.status, u.groups_overage AS groupsOverage, u.last_login_at AS lastLoginAt, ' +
  // the two claims that tell a guest (guest.ts), read only for the rows of the page
  "json_extract(u.claims, '$.acct') AS acct, json_extract(u.claims, '$.idp') AS idp";

export interface UserListRow {
  id: string;
  tenantId: string;
  objectId: string;
  displayName: string | null;
  email: string | null;
  username: string | null;
  status: 'active' | 'disabled';
  groupsOverage: number;
  lastLoginAt: number | null;
  acct: unknown;
  idp: unknown;
  /** Only when asked for (`withSearchText`). */
  searchText?: string;
}

/** The index that reads the fewest rows for a filter (without the search, which no index serves). */
export function chooseDriver(db: Db, filter: UserListFilter): Exclude<Driver, 'table'> {
  if (filter.groupId !== undefined && membersUpTo(db, filter.groupId, MEMBER_DRIVEN_MAX + 1) <= MEMBER_DRIVEN_MAX) return 'members';
  return filter.status ? 'status' : 'name';
}

const FROM: Record<Driver, string> = {
  name: 'users AS u INDEXED BY users_display_name_idx',
  status: 'users AS u INDEXED BY users_status_idx',
  members: 'user_groups AS m INDEXED BY user_groups_group_idx CROSS JOIN users AS u ON u.id = m.user_id',
  table: 'users AS u NOT INDEXED',
};

export interface SegmentQuery {
  driver: Driver;
  filter: UserListFilter;
  segment: Segment;
  after: NameKeyset | null;
  limit: number;
  /** Leave the search out of the SQL (the caller searches the rows) and return search_text. */
  withSearchText?: boolean;
}

/** `SELECT ... ORDER BY display_name, id LIMIT ?` for one segment of one page. */
export function segmentSql(q: SegmentQuery): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const { filter } = q;
  const searchTerm = () => {
    // search_text is lower-cased by JavaScript when the user is saved (searchTextOf)
    where.push('instr(u.search_text, ?) > 0');
    params.push(filter.search);
  };
  // in a pass over the table the cheap text test goes first, so only matches pay for the group lookup
  if (filter.search && !q.withSearchText && q.driver === 'table') searchTerm();
  if (q.driver === 'members') {
    where.push('m.group_id = ?');
    params.push(filter.groupId);
  } else if (filter.groupId !== undefined) {
    where.push('EXISTS (SELECT 1 FROM user_groups AS g WHERE g.user_id = u.id AND g.group_id = ?)');
    params.push(filter.groupId);
  }
  if (filter.status) {
    where.push('u.status = ?');
    params.push(filter.status);
  }
  if (filter.search && !q.withSearchText && q.driver !== 'table') searchTerm();
  let order: string;
  if (q.segment === 'unnamed') {
    where.push('u.display_name IS NULL');
    if (q.after) {
      where.push('u.id > ?');
      params.push(q.after.id);
    }
    order = 'u.id';
  } else {
    // Not `(display_name, id) > (?, ?)`: SQLite does not use a row value as an index bound (docs/platform.md).
    if (q.after) {
      where.push('u.display_name >= ? AND (u.display_name > ? OR u.id > ?)');
      params.push(q.after.displayName, q.after.displayName, q.after.id);
    } else {
      where.push('u.display_name IS NOT NULL');
    }
    order = 'u.display_name, u.id';
  }
  params.push(q.limit);
  const columns = q.withSearchText ? `${USER_LIST_COLUMNS}, u.search_text AS searchText` : USER_LIST_COLUMNS;
  return { sql: `SELECT ${columns} FROM ${FROM[q.driver]} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`, params };
}

export function segmentRows(db: Db, q: SegmentQuery): UserListRow[] {
  const { sql, params } = segmentSql(q);
  return statement(db, sql).all(...params) as UserListRow[];
}

/** The rows of a segment one at a time, so that a caller can stop early. */
export function iterateSegment(db: Db, q: SegmentQuery): IterableIterator<UserListRow> {
  const { sql, params } = segmentSql(q);
  return statement(db, sql).iterate(...params) as IterableIterator<UserListRow>;
}

/** Members of a group, counted up to `cap` (an index range, stopped early). */
function membersUpTo(db: Db, groupId: string, cap: number): number {
  const sql = 'SELECT count(*) AS n FROM (SELECT 1 FROM user_groups INDEXED BY user_groups_group_idx WHERE group_id = ? LIMIT ?)';
  return (statement(db, sql).get(groupId, cap) as { n: number }).n;
}
