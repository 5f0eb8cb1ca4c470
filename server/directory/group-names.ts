import 'server-only';
import type { Db } from '@/db/client';
import { statement } from '@/db/statements';

/** At most this many IDs per call: the largest group rule list (settings allow 500). */
export const MAX_GROUP_NAME_LOOKUP = 500;

/**
 * The known groups among these object IDs, with the names shown for them: the admin's, else
 * the one read from Microsoft Graph (null while neither is known). IDs never seen in a token are left out. One indexed lookup per ID (primary key).
 */
export function groupNames(db: Db, ids: readonly string[]): Array<{ id: string; displayName: string | null }> {
  const lookup = statement(db, 'SELECT id, coalesce(display_name, graph_name) AS displayName FROM groups WHERE id = ?');
  const out: Array<{ id: string; displayName: string | null }> = [];
  for (const id of new Set(ids)) {
    const row = lookup.get(id) as { id: string; displayName: string | null } | undefined;
    if (row) out.push(row);
  }
  return out;
}
