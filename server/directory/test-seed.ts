import 'server-only';
import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { users } from '@/db/schema';
import { writeTransaction } from '@/db/transaction';
import { recordLoginEvent, type LoginAttempt } from '@/server/audit/logins';
import { subjectOf } from '@/server/entra/claims';
import { createSession } from '@/server/sessions/sessions';
import { replaceMemberships } from './groups';
import { findUserByObjectId, searchTextOf, upsertUserFromToken, type UserRow } from './users';

/**
 * Seeding for tests of the directory and the console API (not itself a test). Users go
 * through the login path's own functions; bulk users through plain inserts.
 */

export const TEST_TENANT = '8eaef023-2b34-4da1-9baa-8bc8c9d6a490';

export interface SeedUser {
  displayName?: string | null;
  email?: string | null;
  username?: string | null;
  objectId?: string;
  tenantId?: string;
  status?: 'active' | 'disabled';
  groups?: string[];
  groupsOverage?: boolean;
  amr?: string[];
  now?: number;
}

/** A user as a sign-in creates it: upsert from token claims, then memberships. */
export function seedUser(db: Db, u: SeedUser = {}): UserRow {
  const now = u.now ?? Date.now();
  const objectId = u.objectId ?? crypto.randomUUID();
  const claims = {
    ver: '1.0',
    tid: u.tenantId ?? TEST_TENANT,
    oid: objectId,
    ...(u.displayName === null ? {} : { name: u.displayName ?? 'Test User' }),
    ...(u.username === null ? {} : { upn: u.username ?? `${objectId.slice(0, 8)}@contoso.com` }),
    // seeded addresses are verified ones: with xms_edov the login prefers email over upn
    ...(u.email ? { email: u.email, xms_edov: true } : {}),
    amr: u.amr ?? ['pwd'],
    ...(u.groups ? { groups: u.groups } : {}),
    scp: 'UserProfile.ReadWrite',
    uti: crypto.randomBytes(8).toString('base64url'),
    aio: 'secret-ish',
  };
  const subject = subjectOf(claims);
  const user = writeTransaction(db, () => {
    const id = upsertUserFromToken(db, { ...subject, tenantId: claims.tid, objectId }, claims, { now, groupsOverage: u.groupsOverage ?? false });
    if (u.groups)
      replaceMemberships(
        db,
        id,
        u.groups.map((g) => g.toLowerCase()),
        now,
      );
    if (u.status === 'disabled') db.update(users).set({ status: 'disabled' }).where(eq(users.id, id)).run();
    return findUserByObjectId(db, claims.tid, objectId)!;
  });
  return { ...user, status: u.status ?? user.status };
}

export interface BulkUser {
  displayName: string | null;
  email: string;
  status: 'active' | 'disabled';
  groups: string[];
}

/** Many users at once, with plain inserts in one transaction; returns their IDs in order. */
export function seedUsersBulk(db: Db, list: BulkUser[], now = Date.now()): string[] {
  const insertUser = db.$client.prepare(
    'INSERT INTO users (id, tenant_id, object_id, display_name, email, username, search_text, status, created_at, updated_at, last_login_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertGroup = db.$client.prepare('INSERT OR IGNORE INTO groups (id, created_at, updated_at, last_seen_at) VALUES (?, ?, ?, ?)');
  const insertMember = db.$client.prepare('INSERT INTO user_groups (user_id, group_id, added_at) VALUES (?, ?, ?)');
  return writeTransaction(db, () =>
    list.map((u) => {
      const id = crypto.randomUUID();
      const objectId = crypto.randomUUID();
      const searchText = searchTextOf({ displayName: u.displayName, email: u.email, username: u.email, objectId });
      insertUser.run(id, TEST_TENANT, objectId, u.displayName, u.email, u.email, searchText, u.status, now, now, now);
      for (const g of u.groups) {
        insertGroup.run(g, now, now, now);
        insertMember.run(id, g, now);
      }
      return id;
    }),
  );
}

/** An open session of a user (what POST /api/login issues). */
export function seedSession(db: Db, userId: string, opts: { now?: number; lifetimeMinutes?: number } = {}) {
  return createSession(db, userId, {
    lifetimeMinutes: opts.lifetimeMinutes ?? 60,
    now: opts.now ?? Date.now(),
    clientAppId: 'client-app',
    ip: '10.0.0.1',
    userAgent: 'ICE-PTT/5.2',
  });
}

/** One row of login history, written as the login path writes it. */
export function seedLogin(db: Db, attempt: Partial<LoginAttempt> & { ts?: number } = {}) {
  const { ts, ...rest } = attempt;
  return writeTransaction(db, () => recordLoginEvent(db, { outcome: 'accepted', reason: null, status: 200, ...rest }, ts ?? Date.now()));
}
