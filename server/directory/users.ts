import 'server-only';
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { JWTPayload } from 'jose';
import type { Db } from '@/db/client';
import { prepared } from '@/db/statements';
import { users } from '@/db/schema';
import { claimSnapshot, type TokenSubject } from '@/server/entra/claims';

export type UserRow = typeof users.$inferSelect;

const statements = (db: Db) =>
  prepared(db, 'users', () => ({
    find: db
      .select()
      .from(users)
      .where(and(eq(users.tenantId, sql.placeholder('tenantId')), eq(users.objectId, sql.placeholder('objectId'))))
      .prepare(),
    upsert: db
      .insert(users)
      .values({
        id: sql.placeholder('id'),
        tenantId: sql.placeholder('tenantId'),
        objectId: sql.placeholder('objectId'),
        displayName: sql.placeholder('displayName'),
        email: sql.placeholder('email'),
        username: sql.placeholder('username'),
        searchText: sql.placeholder('searchText'),
        groupsOverage: sql`coalesce(${sql.placeholder('groupsOverage')}, 0)`,
        groupsSource: sql.placeholder('groupsSource'),
        claims: sql.placeholder('claims'),
        lastAuthMethods: sql.placeholder('lastAuthMethods'),
        createdAt: sql.placeholder('now'),
        updatedAt: sql.placeholder('now'),
        lastLoginAt: sql.placeholder('now'),
      })
      .onConflictDoUpdate({
        target: [users.tenantId, users.objectId],
        set: {
          displayName: sql.raw('excluded.display_name'),
          email: sql.raw('excluded.email'),
          username: sql.raw('excluded.username'),
          searchText: sql.raw('excluded.search_text'),
          // null: group import is off, the flag stays as it was
          groupsOverage: sql`coalesce(${sql.placeholder('groupsOverage')}, ${users.groupsOverage})`,
          groupsSource: sql`coalesce(${sql.placeholder('groupsSource')}, ${users.groupsSource})`,
          claims: sql.raw('excluded.claims'),
          lastAuthMethods: sql.raw('excluded.last_auth_methods'),
          updatedAt: sql.raw('excluded.updated_at'),
          lastLoginAt: sql.raw('excluded.last_login_at'),
        },
      })
      .returning()
      .prepare(),
  }));

export function findUserByObjectId(db: Db, tenantId: string, objectId: string): UserRow | undefined {
  return statements(db).find.get({ tenantId, objectId });
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
  opts: { now: number; groupsOverage: boolean | null; groupsSource?: 'token' | 'graph' | 'unresolved' | null },
): UserRow {
  return statements(db).upsert.get({
    id: crypto.randomUUID(),
    tenantId: subject.tenantId,
    objectId: subject.objectId,
    displayName: subject.displayName,
    email: subject.email,
    username: subject.username,
    searchText: searchTextOf({ ...subject }),
    groupsOverage: opts.groupsOverage === null ? null : opts.groupsOverage ? 1 : 0,
    // null: group import is off, the last source stays as it was
    groupsSource: opts.groupsSource ?? null,
    // json columns: drizzle encodes placeholder values with the column's mapping
    claims: claimSnapshot(claims),
    lastAuthMethods: subject.amr,
    now: opts.now,
  })!;
}
