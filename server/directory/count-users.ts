import 'server-only';
import type { Db } from '@/db/client';
import { statement } from '@/db/statements';
import type { ListUsersOptions } from './list-users';

/**
 * How many users match the users list's filter (all pages together), for the list's total.
 * Same terms as the list (user-list-sql.ts); a search reads users_display_name_idx, which
 * carries search_text (about 30 ms at 100,000 users), the rest are index counts.
 */
export function countUsers(db: Db, options: Pick<ListUsersOptions, 'search' | 'status' | 'groupId'> = {}): number {
  const where: string[] = [];
  const params: unknown[] = [];
  const search = options.search?.trim().toLowerCase();
  if (options.groupId !== undefined) {
    where.push('EXISTS (SELECT 1 FROM user_groups AS g WHERE g.user_id = u.id AND g.group_id = ?)');
    params.push(options.groupId);
  }
  if (options.status) {
    where.push('u.status = ?');
    params.push(options.status);
  }
  if (search) {
    where.push('instr(u.search_text, ?) > 0');
    params.push(search);
  }
  const from = search && !options.status ? 'users AS u INDEXED BY users_display_name_idx' : 'users AS u';
  const sql = `SELECT count(*) AS n FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  return (statement(db, sql).get(...params) as { n: number }).n;
}
