import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { changeEvents, users } from '@/db/schema';
import type { Actor } from '@/server/audit/changes';
import { lookupSession } from '@/server/sessions/sessions';
import { tempDbFile } from '@/test/support/tmp';
import { UserNotFoundError } from './errors';
import { seedSession, seedUser } from './test-seed';
import { setUserStatus } from './user-status';

const admin: Actor = { kind: 'entra', name: 'ada.admin@contoso.com', id: 't:o', ip: '10.1.2.3' };
const freshDb = () => openDb(tempDbFile());
const changesOf = (db: ReturnType<typeof freshDb>) => db.select().from(changeEvents).all();

describe('setUserStatus', () => {
  it('disables a user: revokes every active session and writes one change event', () => {
    const db = freshDb();
    const user = seedUser(db, { displayName: 'Dana Berg' });
    const other = seedUser(db, { displayName: 'Bo Dahl' });
    const s1 = seedSession(db, user.id);
    const s2 = seedSession(db, user.id);
    const expired = seedSession(db, user.id, { now: Date.now() - 3 * 3600_000, lifetimeMinutes: 60 });
    const theirs = seedSession(db, other.id);

    const result = setUserStatus(db, user.id, 'disabled', admin, '  left the company  ');

    expect(result).toEqual({ id: user.id, status: 'disabled', changed: true, sessionsRevoked: 2 });
    expect(db.select({ status: users.status }).from(users).where(eq(users.id, user.id)).get()?.status).toBe('disabled');
    expect(lookupSession(db, s1.token)).toMatchObject({ ok: false, reason: 'session_revoked' });
    expect(lookupSession(db, s2.token)).toMatchObject({ ok: false, reason: 'session_revoked' });
    expect(lookupSession(db, expired.token)).toMatchObject({ ok: false, reason: 'session_expired' });
    expect(lookupSession(db, theirs.token).ok).toBe(true);
    const events = changesOf(db);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'user.disable',
      targetType: 'user',
      targetId: user.id,
      actor: 'ada.admin@contoso.com',
      actorKind: 'entra',
      ip: '10.1.2.3',
      comment: 'left the company',
    });
    expect(JSON.parse(events[0]!.before!)).toEqual({ status: 'active' });
    // with a snapshot of who was disabled, so the change log names them even after a rename
    expect(JSON.parse(events[0]!.after!)).toEqual({
      status: 'disabled',
      sessionsRevoked: 2,
      _target: { displayName: 'Dana Berg', upn: user.username, objectId: user.objectId, tenantId: user.tenantId },
    });
  });

  it('does nothing and records nothing when the status is already the one asked for', () => {
    const db = freshDb();
    const user = seedUser(db);
    expect(setUserStatus(db, user.id, 'active', admin)).toEqual({ id: user.id, status: 'active', changed: false, sessionsRevoked: 0 });
    setUserStatus(db, user.id, 'disabled', admin);
    expect(setUserStatus(db, user.id, 'disabled', admin).changed).toBe(false);
    expect(changesOf(db).map((e) => e.action)).toEqual(['user.disable']);
  });

  it('enables a disabled user with a user.enable event; revoked sessions stay revoked', () => {
    const db = freshDb();
    const user = seedUser(db);
    const session = seedSession(db, user.id);
    setUserStatus(db, user.id, 'disabled', admin);
    const result = setUserStatus(db, user.id, 'active', admin);
    expect(result).toEqual({ id: user.id, status: 'active', changed: true, sessionsRevoked: 0 });
    expect(lookupSession(db, session.token)).toMatchObject({ ok: false, reason: 'session_revoked' });
    const enable = changesOf(db).at(-1)!;
    expect(enable).toMatchObject({ action: 'user.enable', targetId: user.id, comment: null });
    expect(JSON.parse(enable.before!)).toEqual({ status: 'disabled' });
    expect(JSON.parse(enable.after!)).toMatchObject({ status: 'active', _target: { objectId: user.objectId } });
  });

  it('refuses an unknown user and writes nothing', () => {
    const db = freshDb();
    expect(() => setUserStatus(db, 'no-such-user', 'disabled', admin)).toThrow(UserNotFoundError);
    expect(changesOf(db)).toHaveLength(0);
  });
});
