import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { openDb } from '@/db/client';
import { sessions, usedTokenIds, users } from '@/db/schema';
import { seedUser } from '@/server/directory/test-seed';
import { hashToken } from '@/server/lib/tokens';
import { tempDbFile } from '@/test/support/tmp';
import { activeSessionsOf, claimTokenId, createSession, lookupSession, purgeExpired, revokeSession, revokeUserSessions } from './sessions';

const db = openDb(tempDbFile());
const NOW = 1_800_000_000_000;
const WEEK = 7 * 24 * 3600_000;

describe('sessions issued after login', () => {
  it('issues a 256-bit random token of which only the SHA-256 is stored, with its lifetime and client', () => {
    const user = seedUser(db);
    const s = createSession(db, user.id, { lifetimeMinutes: 90, now: NOW, clientAppId: 'app', ip: '203.0.113.9', userAgent: 'x'.repeat(600) });
    expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.expiresAt).toBe(NOW + 90 * 60_000);
    const row = db.select().from(sessions).where(eq(sessions.id, s.id)).get()!;
    expect(row).toMatchObject({
      tokenHash: hashToken(s.token),
      userId: user.id,
      clientAppId: 'app',
      ip: '203.0.113.9',
      createdAt: NOW,
      expiresAt: s.expiresAt,
      revokedAt: null,
    });
    expect(row.userAgent).toHaveLength(512);
    expect(JSON.stringify(row)).not.toContain(s.token);
    const bare = createSession(db, user.id, { lifetimeMinutes: 5, now: NOW });
    expect(db.select().from(sessions).where(eq(sessions.id, bare.id)).get()).toMatchObject({ clientAppId: null, ip: null, userAgent: null });
    expect(bare.token).not.toBe(s.token);
  });

  it('finds an active session by its token until the instant it expires', () => {
    const user = seedUser(db, { displayName: 'Lookup' });
    const s = createSession(db, user.id, { lifetimeMinutes: 10, now: NOW });
    const found = lookupSession(db, s.token, s.expiresAt - 1);
    expect(found.ok && [found.session.id, found.user.id, found.user.displayName]).toEqual([s.id, user.id, 'Lookup']);
    expect(lookupSession(db, s.token, s.expiresAt)).toEqual({ ok: false, reason: 'session_expired' });
  });

  it('refuses an empty, oversized or unknown token as session_not_found', () => {
    const user = seedUser(db);
    const s = createSession(db, user.id, { lifetimeMinutes: 10, now: NOW });
    expect(lookupSession(db, '', NOW)).toEqual({ ok: false, reason: 'session_not_found' });
    expect(lookupSession(db, 'a'.repeat(257), NOW)).toEqual({ ok: false, reason: 'session_not_found' });
    expect(lookupSession(db, `${s.token}x`, NOW)).toEqual({ ok: false, reason: 'session_not_found' });
    // 256 characters is still a token that is looked up (and here found)
    const long = 'b'.repeat(256);
    db.update(sessions)
      .set({ tokenHash: hashToken(long) })
      .where(eq(sessions.id, s.id))
      .run();
    expect(lookupSession(db, long, NOW).ok).toBe(true);
  });

  it("refuses a revoked session, and a disabled user's, with their reasons", () => {
    const user = seedUser(db);
    const s = createSession(db, user.id, { lifetimeMinutes: 10, now: NOW });
    expect(revokeSession(db, s.id, 'logout', NOW + 1)).toBe(true);
    expect(revokeSession(db, s.id, 'again', NOW + 2)).toBe(false);
    expect(db.select().from(sessions).where(eq(sessions.id, s.id)).get()).toMatchObject({ revokedAt: NOW + 1, revokeReason: 'logout' });
    expect(lookupSession(db, s.token, NOW + 3)).toEqual({ ok: false, reason: 'session_revoked' });
    const other = createSession(db, user.id, { lifetimeMinutes: 10, now: NOW });
    db.update(users).set({ status: 'disabled' }).where(eq(users.id, user.id)).run();
    expect(lookupSession(db, other.token, NOW)).toEqual({ ok: false, reason: 'user_disabled' });
  });

  it('revokes every active session of a user, counting only those still active, and lists the active ones', () => {
    const user = seedUser(db);
    const bystander = seedUser(db);
    const a = createSession(db, user.id, { lifetimeMinutes: 10, now: NOW, clientAppId: 'c', ip: '192.0.2.1', userAgent: 'ua' });
    createSession(db, user.id, { lifetimeMinutes: 10, now: NOW });
    const ended = createSession(db, user.id, { lifetimeMinutes: 1, now: NOW - 60_000 });
    const revoked = createSession(db, user.id, { lifetimeMinutes: 10, now: NOW });
    revokeSession(db, revoked.id, 'logout', NOW);
    const theirs = createSession(db, bystander.id, { lifetimeMinutes: 10, now: NOW });
    const active = activeSessionsOf(db, user.id, NOW);
    expect(active.map((s) => s.id)).toHaveLength(2);
    expect(active.find((s) => s.id === a.id)).toEqual({ id: a.id, createdAt: NOW, expiresAt: a.expiresAt, clientAppId: 'c', ip: '192.0.2.1', userAgent: 'ua' });
    expect(active.map((s) => s.id)).not.toContain(ended.id);
    expect(revokeUserSessions(db, user.id, 'disabled', NOW)).toBe(2);
    expect(activeSessionsOf(db, user.id, NOW)).toEqual([]);
    expect(db.select().from(sessions).where(eq(sessions.id, a.id)).get()).toMatchObject({ revokedAt: NOW, revokeReason: 'disabled' });
    expect(db.select().from(sessions).where(eq(sessions.id, ended.id)).get()!.revokedAt).toBeNull();
    expect(lookupSession(db, theirs.token, NOW).ok).toBe(true);
  });

  it('claims a token ID once: a second claim is a replay', () => {
    expect(claimTokenId(db, 'uti-once', NOW + 1000)).toBe(true);
    expect(claimTokenId(db, 'uti-once', NOW + 5000)).toBe(false);
    expect(db.select().from(usedTokenIds).where(eq(usedTokenIds.uti, 'uti-once')).get()!.expiresAt).toBe(NOW + 1000);
  });
});

describe('housekeeping', () => {
  it('forgets token IDs past expiry and sessions that ended or were revoked over a week ago, and nothing younger', () => {
    const hdb = openDb(tempDbFile());
    const user = seedUser(hdb);
    claimTokenId(hdb, 'expired', NOW - 1);
    claimTokenId(hdb, 'expiring-now', NOW);
    claimTokenId(hdb, 'live', NOW + 1);
    const old = createSession(hdb, user.id, { lifetimeMinutes: 5, now: NOW - WEEK - 5 * 60_000 - 1 });
    const weekOld = createSession(hdb, user.id, { lifetimeMinutes: 5, now: NOW - WEEK - 5 * 60_000 });
    const revokedLongAgo = createSession(hdb, user.id, { lifetimeMinutes: 60 * 24 * 30, now: NOW - 2 * WEEK });
    revokeSession(hdb, revokedLongAgo.id, 'logout', NOW - WEEK - 1);
    const revokedRecently = createSession(hdb, user.id, { lifetimeMinutes: 60 * 24 * 30, now: NOW - 2 * WEEK });
    revokeSession(hdb, revokedRecently.id, 'logout', NOW - WEEK);
    const live = createSession(hdb, user.id, { lifetimeMinutes: 5, now: NOW });
    expect(purgeExpired(hdb, NOW)).toEqual({ tokenIds: 1, sessions: 2 });
    expect(
      hdb
        .select({ uti: usedTokenIds.uti })
        .from(usedTokenIds)
        .all()
        .map((r) => r.uti)
        .sort(),
    ).toEqual(['expiring-now', 'live']);
    expect(
      hdb
        .select({ id: sessions.id })
        .from(sessions)
        .all()
        .map((r) => r.id)
        .sort(),
    ).toEqual([weekOld.id, revokedRecently.id, live.id].sort());
    expect(old.id).toBeTruthy();
    expect(purgeExpired(hdb, NOW)).toEqual({ tokenIds: 0, sessions: 0 });
  });
});
