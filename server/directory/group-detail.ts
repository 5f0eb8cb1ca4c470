import 'server-only';
import type { Db } from '@/db/client';
import { GroupNotFoundError } from './errors';
import { GROUP_COLUMNS, memberCounts, type GroupListItem, type GroupRow } from './list-groups';
import { listUsers, type UserListItem } from './list-users';
import type { Page } from '@/server/lib/paging';
import { statement } from '@/db/statements';

/** A group and a page of its members, ordered like the users list. */
export type GroupDetail = GroupListItem & { members: Page<UserListItem> };

/** One group (by object ID) without its members; throws {@link GroupNotFoundError}. */
export function getGroup(db: Db, id: string): GroupListItem {
  const row = statement(db, `SELECT ${GROUP_COLUMNS} FROM groups WHERE id = ?`).get(id) as GroupRow | undefined;
  if (!row) throw new GroupNotFoundError(id);
  return { ...row, memberCount: memberCounts(db, [id]).get(id) ?? 0 };
}

/** A group with a page of its members; throws {@link GroupNotFoundError}. */
export function getGroupDetail(db: Db, id: string, members: { cursor?: string | null; limit?: number } = {}): GroupDetail {
  const group = getGroup(db, id);
  return { ...group, members: listUsers(db, { groupId: id, cursor: members.cursor, limit: members.limit }) };
}
