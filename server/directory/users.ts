import 'server-only';
import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { JWTPayload } from 'jose';
import type { Db } from '@/db/client';
import { prepared } from '@/db/statements';
import { users } from '@/db/schema';
import { claimSnapshot, type TokenSubject } from '@/server/entra/claims';

export type UserRow = typeof users.$inferSelect;

/** What the login reads of a user before its policy verdicts. */
export interface LoginUserState {
  id: string;
  status: UserRow['status'];
  displayName: string | null;
}

/*
 * The login's statements are hand-prepared (positional values, only the columns it needs):
 * drizzle's prepared queries map every value in and every column out, and a full row read
 * parses the claims snapshot's JSON; on the login path that was a measured part of its cost
 * (docs/benchmarks.md, "Sixth pass"). The same SQL text runs on PostgreSQL through db/pg-bridge.ts.
 */
const statements = (db: Db) =>
  prepared(db, 'users', () => ({
    find: db
      .select()
      .from(users)
      .where(and(eq(users.tenantId, sql.placeholder('tenantId')), eq(users.objectId, sql.placeholder('objectId'))))
      .prepare(),
    loginState: db.$client.prepare('SELECT id, status, display_name AS "displayName" FROM users WHERE tenant_id = ? AND object_id = ?'),
    upsert: db.$client.prepare(
      `INSERT INTO users (id, tenant_id, object_id, display_name, email, username, search_text, status, groups_overage, groups_source, claims,
         last_auth_methods, created_at, updated_at, last_login_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'active', coalesce(?, 0), ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tenant_id, object_id) DO UPDATE SET display_name = excluded.display_name, email = excluded.email,
         username = excluded.username, search_text = excluded.search_text,
         groups_overage = coalesce(?, users.groups_overage), groups_source = coalesce(?, users.groups_source),
         claims = excluded.claims, last_auth_methods = excluded.last_auth_methods, updated_at = excluded.updated_at,
         last_login_at = excluded.last_login_at
       RETURNING id`,
    ),
  }));

export function findUserByObjectId(db: Db, tenantId: string, objectId: string): UserRow | undefined {
  return statements(db).find.get({ tenantId, objectId });
}

/** The user's ID, status and display name, for the login's verdicts (one index read, no JSON parsed). */
export function loginStateOf(db: Db, tenantId: string, objectId: string): LoginUserState | undefined {
  return statements(db).loginState.get(tenantId, objectId) as LoginUserState | undefined;
}

export function searchTextOf(u: { displayName: string | null; email: string | null; username: string | null; objectId: string }): string {
  return [u.displayName, u.email, u.username, u.objectId].filter(Boolean).join(' ').toLowerCase();
}

/**
 * Creates or updates the user identified by (tid, oid) from a validated token: display name,
 * email (email, else preferred_username, else upn), user name and a snapshot of the
 * non-secret claims. Runs inside the login transaction. Returns the user's ID (the row's other
 * columns are what the subject says: each is overwritten from it).
 */
export function upsertUserFromToken(
  db: Db,
  subject: TokenSubject & { tenantId: string; objectId: string },
  claims: JWTPayload,
  opts: { now: number; groupsOverage: boolean | null; groupsSource?: 'token' | 'graph' | 'unresolved' | null },
): string {
  // null: group import is off, the flag and the last source stay as they were
  const overage = opts.groupsOverage === null ? null : opts.groupsOverage ? 1 : 0;
  const source = opts.groupsSource ?? null;
  const row = statements(db).upsert.get(
    crypto.randomUUID(),
    subject.tenantId,
    subject.objectId,
    subject.displayName,
    subject.email,
    subject.username,
    searchTextOf(subject),
    overage,
    source,
    JSON.stringify(claimSnapshot(claims)),
    subject.amr == null ? null : JSON.stringify(subject.amr),
    opts.now,
    opts.now,
    opts.now,
    overage,
    source,
  ) as { id: string };
  return row.id;
}
