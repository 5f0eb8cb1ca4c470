import 'server-only';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { groups } from '@/db/schema';
import { writeTransaction } from '@/db/transaction';
import { recordChange, type Actor } from '@/server/audit/changes';
import { GroupNotFoundError } from './errors';
import { getGroup } from './group-detail';
import { groupPatchSchema, type GroupPatchInput, type GroupUpdate } from './schemas';
export type { GroupUpdate } from './schemas';
import { changeComment } from './user-status';

/**
 * Gives a group a display name and/or maps it to an assignment group. Names are trimmed
 * (at most 256 characters); an empty name or null clears it. The change and its change-log
 * event (`group.update`, with the changed fields before and after) commit together.
 * Throws {@link GroupNotFoundError}, or zod's error for a bad patch.
 */
export function updateGroup(db: Db, id: string, patch: GroupPatchInput, actor: Actor, comment?: string | null, now = Date.now()): GroupUpdate {
  const parsed = groupPatchSchema.parse(patch);
  return writeTransaction(db, () => {
    const current = db.select({ displayName: groups.displayName, assignmentGroup: groups.assignmentGroup }).from(groups).where(eq(groups.id, id)).get();
    if (!current) throw new GroupNotFoundError(id);
    const before: Record<string, string | null> = {};
    const after: Record<string, string | null> = {};
    for (const key of ['displayName', 'assignmentGroup'] as const) {
      const value = parsed[key];
      if (value === undefined || value === current[key]) continue;
      before[key] = current[key];
      after[key] = value;
    }
    if (Object.keys(after).length === 0) return { group: getGroup(db, id), changed: false };
    db.update(groups)
      .set({ ...after, updatedAt: now })
      .where(eq(groups.id, id))
      .run();
    recordChange(db, actor, { action: 'group.update', targetType: 'group', targetId: id, before, after, comment: changeComment(comment) }, now);
    return { group: getGroup(db, id), changed: true };
  });
}
