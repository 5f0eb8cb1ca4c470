import 'server-only';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { writeTransaction } from '@/db/transaction';
import { recordChange, type Actor } from '@/server/audit/changes';
import { userTargetSnapshot } from '@/server/audit/change-target';
import { revokeUserSessions } from '@/server/sessions/sessions';
import { UserNotFoundError } from './errors';

import type { UserStatus, UserStatusChange } from './schemas';
export type { UserStatus, UserStatusChange } from './schemas';

/** Comments in the change log: trimmed, at most 500 characters, empty means none. */
export function changeComment(comment: string | null | undefined): string | null {
  const c = comment?.trim();
  return c ? c.slice(0, 500) : null;
}

/**
 * Disables or enables a user. Disabling revokes every active session, and the login path
 * then refuses the user with 403 `user_disabled`. The change, the revocations and the
 * change-log event (`user.disable` / `user.enable`) commit together. Setting the status a
 * user already has changes and records nothing. Throws {@link UserNotFoundError}.
 */
export function setUserStatus(db: Db, id: string, status: UserStatus, actor: Actor, comment?: string | null, now = Date.now()): UserStatusChange {
  return writeTransaction(db, () => {
    const user = db
      .select({
        status: users.status,
        displayName: users.displayName,
        username: users.username,
        email: users.email,
        objectId: users.objectId,
        tenantId: users.tenantId,
      })
      .from(users)
      .where(eq(users.id, id))
      .get();
    if (!user) throw new UserNotFoundError(id);
    if (user.status === status) return { id, status, changed: false, sessionsRevoked: 0 };
    db.update(users).set({ status, updatedAt: now }).where(eq(users.id, id)).run();
    const sessionsRevoked = status === 'disabled' ? revokeUserSessions(db, id, 'user_disabled', now) : 0;
    recordChange(
      db,
      actor,
      {
        action: status === 'disabled' ? 'user.disable' : 'user.enable',
        targetType: 'user',
        targetId: id,
        before: { status: user.status },
        after: status === 'disabled' ? { status, sessionsRevoked } : { status },
        comment: changeComment(comment),
        targetSnapshot: userTargetSnapshot(user),
      },
      now,
    );
    return { id, status, changed: true, sessionsRevoked };
  });
}

/** The `tid:oid` a console actor of this user would carry, or null for an unknown user. */
export function entraIdOfUser(db: Db, id: string): string | null {
  const user = db.select({ tenantId: users.tenantId, objectId: users.objectId }).from(users).where(eq(users.id, id)).get();
  return user ? `${user.tenantId}:${user.objectId}` : null;
}
