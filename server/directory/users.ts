import 'server-only';
import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { JWTPayload } from 'jose';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { claimSnapshot, type TokenSubject } from '@/server/entra/claims';

export type UserRow = typeof users.$inferSelect;

export function findUserByObjectId(db: Db, tenantId: string, objectId: string): UserRow | undefined {
  return db.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.objectId, objectId))).get();
}

export function searchTextOf(u: { displayName: string | null; email: string | null; username: string | null; objectId: string }): string {
  return [u.displayName, u.email, u.username, u.objectId].filter(Boolean).join(' ').toLowerCase();
}

/**
 * Creates or updates the user identified by (tid, oid) from a validated token: display name,
 * email (email, else preferred_username, else upn), user name and a snapshot of the
 * non-secret claims. Runs inside the login transaction.
 */
export function upsertUserFromToken(
  db: Db,
  subject: TokenSubject & { tenantId: string; objectId: string },
  claims: JWTPayload,
  opts: { now: number; groupsOverage: boolean | null },
): UserRow {
  const profile = {
    displayName: subject.displayName,
    email: subject.email,
    username: subject.username,
    searchText: searchTextOf({ ...subject }),
    claims: claimSnapshot(claims),
    lastAuthMethods: subject.amr,
    updatedAt: opts.now,
    lastLoginAt: opts.now,
    ...(opts.groupsOverage === null ? {} : { groupsOverage: opts.groupsOverage }),
  };
  return db
    .insert(users)
    .values({ id: crypto.randomUUID(), tenantId: subject.tenantId, objectId: subject.objectId, createdAt: opts.now, ...profile })
    .onConflictDoUpdate({ target: [users.tenantId, users.objectId], set: profile })
    .returning()
    .get();
}
