import 'server-only';
import { eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { prepared } from '@/db/statements';
import { groups, userGroups } from '@/db/schema';
import type { EffectiveSettings } from '@/server/settings/derive';

export interface GroupRef {
  id: string;
  name: string | null;
}

/** Which of a token's groups are imported under the group rules. */
export function importableGroups(tokenGroups: readonly string[], s: EffectiveSettings): string[] {
  const ids = [...new Set(tokenGroups.map((g) => g.toLowerCase()))];
  return s.groupImportMode === 'listed' ? ids.filter((g) => s.importGroupIds.includes(g)) : ids;
}

/** How far a group's last_seen_at may lag the latest sign-in that named it. */
export const LAST_SEEN_STEP_MS = 60_000;

const statements = (db: Db) =>
  prepared(db, 'groups', () => ({
    // one statement for all of a login's groups, not one per group: on PostgreSQL each statement is a round trip
    // (docs/benchmarks.md); `WHERE true` lets SQLite read the upsert after a SELECT. last_seen_at moves
    // at most once a minute: a fleet's every login names the same few groups, and rewriting their rows
    // each time would dirty their pages in every login's commit
    seen: db.$client.prepare(
      `INSERT INTO groups (id, created_at, updated_at, last_seen_at)
       SELECT value, CAST(? AS INTEGER), CAST(? AS INTEGER), CAST(? AS INTEGER) FROM json_each(?) WHERE true
       ON CONFLICT (id) DO UPDATE SET last_seen_at = excluded.last_seen_at
       WHERE groups.last_seen_at IS NULL OR groups.last_seen_at <= excluded.last_seen_at - ${LAST_SEEN_STEP_MS}`,
    ),
    join: db.$client.prepare(
      `INSERT INTO user_groups (user_id, group_id, added_at)
       SELECT CAST(? AS TEXT), value, CAST(? AS INTEGER) FROM json_each(?) WHERE true
       ON CONFLICT DO NOTHING`,
    ),
    // hand-prepared like the two above: the login's path (users.ts says why)
    leaveOthers: db.$client.prepare('DELETE FROM user_groups WHERE user_id = ? AND group_id NOT IN (SELECT value FROM json_each(?))'),
    memberships: db.$client.prepare(
      `SELECT g.id AS id, g.display_name AS name FROM user_groups ug INNER JOIN groups g ON g.id = ug.group_id
       WHERE ug.user_id = ? ORDER BY coalesce(g.display_name, g.id)`,
    ),
  }));

/**
 * Makes the user's memberships exactly `groupIds`, creating groups on first sight, and returns
 * them with their names, doing only the writes a change needs: a returning user whose groups
 * are unchanged (the common sign-in) costs the group upsert and one read, not four statements
 * (docs/benchmarks.md, "Sixth pass"); a user created in this transaction (`isNew`) has no
 * memberships to read or leave. Runs inside the login transaction.
 */
export function replaceMemberships(db: Db, userId: string, groupIds: string[], now: number, { isNew = false }: { isNew?: boolean } = {}): GroupRef[] {
  const q = statements(db);
  const keep = JSON.stringify(groupIds);
  // groups are created on first sight and their last_seen_at moved, changed memberships or not
  if (groupIds.length > 0) q.seen.run(now, now, now, keep);
  if (!isNew) {
    const current = membershipsOf(db, userId);
    if (sameIds(current, groupIds)) return current;
  }
  if (groupIds.length > 0) q.join.run(userId, now, keep);
  if (!isNew) q.leaveOthers.run(userId, keep);
  return membershipsOf(db, userId);
}

/** Whether `current` holds exactly the IDs of `wanted` (a list without repeats). */
function sameIds(current: GroupRef[], wanted: string[]): boolean {
  if (current.length !== wanted.length) return false;
  const ids = new Set(wanted);
  return current.every((g) => ids.has(g.id));
}

/** The user's groups with the names admins gave them (tokens carry only object IDs). */
export function membershipsOf(db: Db, userId: string): GroupRef[] {
  return statements(db).memberships.all(userId) as GroupRef[];
}

export function membershipIds(db: Db, userId: string): string[] {
  return db
    .select({ id: userGroups.groupId })
    .from(userGroups)
    .where(eq(userGroups.userId, userId))
    .all()
    .map((r) => r.id);
}

export function groupsByIds(db: Db, ids: string[]): GroupRef[] {
  if (ids.length === 0) return [];
  return db.select({ id: groups.id, name: groups.displayName }).from(groups).where(inArray(groups.id, ids)).all();
}
