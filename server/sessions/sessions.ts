import 'server-only';
import crypto from 'node:crypto';
import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { prepared } from '@/db/statements';
import { sessions, usedTokenIds, users } from '@/db/schema';
import { hashToken, randomToken } from '@/server/lib/tokens';
import type { UserRow } from '@/server/directory/users';

export interface IssuedSession {
  id: string;
  token: string;
  expiresAt: number;
}

// hand-prepared, positional: the login's path (server/directory/users.ts says why); the same SQL on PostgreSQL
const statements = (db: Db) =>
  prepared(db, 'sessions', () => ({
    create: db.$client.prepare(
      'INSERT INTO sessions (id, token_hash, user_id, client_app_id, ip, user_agent, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    claimUti: db.$client.prepare('INSERT INTO used_token_ids (uti, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING'),
  }));

/** Issues a session: a 256-bit random token, of which only the hash is stored. */
export function createSession(
  db: Db,
  userId: string,
  opts: { lifetimeMinutes: number; now: number; clientAppId?: string | null; ip?: string | null; userAgent?: string | null },
): IssuedSession {
  const token = randomToken();
  const id = crypto.randomUUID();
  const expiresAt = opts.now + opts.lifetimeMinutes * 60_000;
  statements(db).create.run(
    id,
    hashToken(token),
    userId,
    opts.clientAppId ?? null,
    opts.ip ?? null,
    opts.userAgent?.slice(0, 512) ?? null,
    opts.now,
    expiresAt,
  );
  return { id, token, expiresAt };
}

export type SessionLookup =
  | { ok: true; session: typeof sessions.$inferSelect; user: UserRow }
  | { ok: false; reason: 'session_not_found' | 'session_expired' | 'session_revoked' | 'user_disabled' };

/** Finds the session of an opaque token; a revoked or expired one, or a disabled user's, is refused. */
export function lookupSession(db: Db, token: string, now = Date.now()): SessionLookup {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: spares a query; without it the lookup finds no session for these tokens either
  if (!token || token.length > 256) return { ok: false, reason: 'session_not_found' };
  const row = db
    .select()
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, hashToken(token)))
    .get();
  if (!row) return { ok: false, reason: 'session_not_found' };
  if (row.sessions.revokedAt !== null) return { ok: false, reason: 'session_revoked' };
  if (row.sessions.expiresAt <= now) return { ok: false, reason: 'session_expired' };
  if (row.users.status === 'disabled') return { ok: false, reason: 'user_disabled' };
  return { ok: true, session: row.sessions, user: row.users };
}

/** Revokes one session (logout). Returns whether an active session was revoked. */
export function revokeSession(db: Db, sessionId: string, reason: string, now = Date.now()): boolean {
  const r = db
    .update(sessions)
    .set({ revokedAt: now, revokeReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .run();
  return r.changes > 0;
}

/** Revokes every active session of a user (disable). Returns how many. */
export function revokeUserSessions(db: Db, userId: string, reason: string, now = Date.now()): number {
  return db
    .update(sessions)
    .set({ revokedAt: now, revokeReason: reason })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .run().changes;
}

export function activeSessionsOf(db: Db, userId: string, now = Date.now()) {
  return db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      expiresAt: sessions.expiresAt,
      clientAppId: sessions.clientAppId,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .all();
}

/**
 * Claims a token ID (`uti`) for login. Returns false when it was used before (replay).
 * Kept until the token itself would have expired.
 */
export function claimTokenId(db: Db, uti: string, expiresAt: number): boolean {
  return statements(db).claimUti.run(uti, expiresAt).changes > 0;
}

/** Housekeeping: forget token IDs and sessions that can no longer matter. */
export function purgeExpired(db: Db, now = Date.now()): { tokenIds: number; sessions: number } {
  const tokenIds = db.delete(usedTokenIds).where(lt(usedTokenIds.expiresAt, now)).run().changes;
  const week = 7 * 24 * 3600_000;
  const old = db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, now - week), lt(sessions.revokedAt, now - week)))
    .run().changes;
  return { tokenIds, sessions: old };
}
