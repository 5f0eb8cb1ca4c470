import 'server-only';
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
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

/**
 * Makes the user's memberships exactly `groupIds`, creating groups on first sight.
 * Runs inside the login transaction.
 */
export function replaceMemberships(db: Db, userId: string, groupIds: string[], now: number): void {
  if (groupIds.length > 0) {
    for (let i = 0; i < groupIds.length; i += 500) {
      const chunk = groupIds.slice(i, i + 500);
      db.insert(groups)
        .values(chunk.map((id) => ({ id, createdAt: now, updatedAt: now, lastSeenAt: now })))
        .onConflictDoUpdate({ target: groups.id, set: { lastSeenAt: now } })
        .run();
      db.insert(userGroups)
        .values(chunk.map((groupId) => ({ userId, groupId, addedAt: now })))
        .onConflictDoNothing()
        .run();
    }
    db.delete(userGroups).where(and(eq(userGroups.userId, userId), notInArray(userGroups.groupId, groupIds))).run();
  } else {
    db.delete(userGroups).where(eq(userGroups.userId, userId)).run();
  }
}

/** The user's groups with the names admins gave them (tokens carry only object IDs). */
export function membershipsOf(db: Db, userId: string): GroupRef[] {
  return db
    .select({ id: groups.id, name: groups.displayName })
    .from(userGroups)
    .innerJoin(groups, eq(groups.id, userGroups.groupId))
    .where(eq(userGroups.userId, userId))
    .orderBy(sql`coalesce(${groups.displayName}, ${groups.id})`)
    .all();
}

export function membershipIds(db: Db, userId: string): string[] {
  return db.select({ id: userGroups.groupId }).from(userGroups).where(eq(userGroups.userId, userId)).all().map((r) => r.id);
}

export function groupsByIds(db: Db, ids: string[]): GroupRef[] {
  if (ids.length === 0) return [];
  return db.select({ id: groups.id, name: groups.displayName }).from(groups).where(inArray(groups.id, ids)).all();
}
