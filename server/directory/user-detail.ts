import 'server-only';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { groups, userGroups, users } from '@/db/schema';
import { activeSessionsOf } from '@/server/sessions/sessions';
import { isGuestUser } from './guest';
import { UserNotFoundError } from './errors';
import type { z } from 'zod';
import type { userDetailSchema } from './schemas';
import { recentSignIns, type SignInItem } from './sign-ins';

export type { UserGroup, UserSession } from './schemas';

/** Everything a user's page shows (the sign-ins with every list field; the router's output keeps those in {@link userDetailSchema}). */
export type UserDetail = Omit<z.infer<typeof userDetailSchema>, 'signIns'> & { signIns: SignInItem[] };

export const USER_SIGN_INS_SHOWN = 20;

/** A user's profile, groups, active sessions, last sign-ins and claim snapshot. Throws {@link UserNotFoundError}. */
export function getUserDetail(db: Db, id: string, now = Date.now()): UserDetail {
  const user = db
    .select({
      id: users.id,
      tenantId: users.tenantId,
      objectId: users.objectId,
      displayName: users.displayName,
      email: users.email,
      username: users.username,
      status: users.status,
      groupsOverage: users.groupsOverage,
      groupsSource: users.groupsSource,
      lastLoginAt: users.lastLoginAt,
      createdAt: users.createdAt,
      updatedAt: users.updatedAt,
      lastAuthMethods: users.lastAuthMethods,
      claims: users.claims,
    })
    .from(users)
    .where(eq(users.id, id))
    .get();
  if (!user) throw new UserNotFoundError(id);
  const memberships = db
    .select({
      id: groups.id,
      displayName: groups.displayName,
      graphName: groups.graphName,
      name: sql<string | null>`coalesce(${groups.displayName}, ${groups.graphName})`,
      assignmentGroup: groups.assignmentGroup,
    })
    .from(userGroups)
    .innerJoin(groups, eq(groups.id, userGroups.groupId))
    .where(eq(userGroups.userId, id))
    .orderBy(sql`coalesce(${groups.displayName}, ${groups.graphName}) IS NULL`, sql`coalesce(${groups.displayName}, ${groups.graphName})`, groups.id)
    .all();
  const claims = isRecord(user.claims) ? user.claims : null;
  return {
    ...user,
    guest: isGuestUser({ ...user, claims }),
    lastAuthMethods: Array.isArray(user.lastAuthMethods) ? user.lastAuthMethods.map(String) : [],
    claims,
    groups: memberships,
    sessions: activeSessionsOf(db, id, now).sort((a, b) => b.createdAt - a.createdAt),
    signIns: recentSignIns(db, { userId: id, limit: USER_SIGN_INS_SHOWN }),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
