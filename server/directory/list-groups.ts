import 'server-only';
import type { Db } from '@/db/client';
import { encodeCursor, readPage, type NameKeyset, type Page } from '@/server/lib/paging';
import { statement } from '@/db/statements';
import type { GroupListItem } from './schemas';

export type { GroupListItem } from './schemas';

export interface ListGroupsOptions {
  /** Part of the shown name (admin's or Graph's), assignment group name or object ID; case-insensitive. */
  search?: string;
  cursor?: string | null;
  limit?: number;
}

/** The name shown: the admin's over Graph's (they are kept apart: Graph never overwrites an admin's name). */
export const SHOWN_NAME_SQL = 'coalesce(display_name, graph_name)';

export const GROUP_COLUMNS = `id, display_name AS displayName, graph_name AS graphName, ${SHOWN_NAME_SQL} AS name, assignment_group AS assignmentGroup, created_at AS createdAt, updated_at AS updatedAt, last_seen_at AS lastSeenAt`;

export type GroupRow = Omit<GroupListItem, 'memberCount'>;

const SEARCH_SQL =
  "instr(ice_lower(coalesce(display_name, '') || ' ' || coalesce(graph_name, '') || ' ' || coalesce(assignment_group, '') || ' ' || id), ?) > 0";

/**
 * One page of groups: named ones (admin's or Graph's name) first by name, then unnamed ones by object ID, with member
 * counts (one grouped index query per page). Groups number in the hundreds or thousands, so
 * the page is sorted without an index. Throws {@link PageCursorError} on a bad cursor.
 */
export function listGroups(db: Db, options: ListGroupsOptions = {}): Page<GroupListItem> {
  const { after, limit } = readPage('groups', options);
  const where: string[] = [];
  const params: unknown[] = [];
  const search = options.search?.trim().toLowerCase();
  if (search) {
    where.push(SEARCH_SQL);
    params.push(search);
  }
  if (after) where.push(...afterTerms(after, params));
  params.push(limit + 1);
  const sql = `SELECT ${GROUP_COLUMNS} FROM groups${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${SHOWN_NAME_SQL} IS NULL, ${SHOWN_NAME_SQL}, id LIMIT ?`;
  const rows = statement(db, sql).all(...params) as GroupRow[];
  const more = rows.length > limit;
  if (more) rows.length = limit;
  const counts = memberCounts(
    db,
    rows.map((r) => r.id),
  );
  const last = rows.at(-1);
  return {
    items: rows.map((r) => ({ ...r, memberCount: counts.get(r.id) ?? 0 })),
    nextCursor: more && last ? encodeCursor('groups', { displayName: last.name, id: last.id }) : null,
  };
}

function afterTerms(after: NameKeyset, params: unknown[]): string[] {
  if (after.displayName === null) {
    params.push(after.id);
    return [`${SHOWN_NAME_SQL} IS NULL AND id > ?`];
  }
  params.push(after.displayName, after.displayName, after.id);
  return [`(${SHOWN_NAME_SQL} IS NULL OR ${SHOWN_NAME_SQL} > ? OR (${SHOWN_NAME_SQL} = ? AND id > ?))`];
}

/** Members of each group, counted in one grouped query over the (group, user) index. */
export function memberCounts(db: Db, ids: string[]): Map<string, number> {
  if (ids.length === 0) return new Map();
  const rows = statement(
    db,
    'SELECT group_id AS id, count(*) AS n FROM user_groups INDEXED BY user_groups_group_idx WHERE group_id IN (SELECT value FROM json_each(?)) GROUP BY group_id',
  ).all(JSON.stringify(ids)) as Array<{ id: string; n: number }>;
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** How many groups match the search (all pages together), for the list's total. */
export function countGroups(db: Db, search?: string): number {
  const term = search?.trim().toLowerCase();
  if (!term) return (statement(db, 'SELECT count(*) AS n FROM groups').get() as { n: number }).n;
  const sql = `SELECT count(*) AS n FROM groups WHERE ${SEARCH_SQL}`;
  return (statement(db, sql).get(term) as { n: number }).n;
}
