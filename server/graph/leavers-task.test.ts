import crypto from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEntraEmulator, type EntraEmulator } from '@/dev-entra';
import { openDb, type Db } from '@/db/client';
import { changeEvents, sessions } from '@/db/schema';
import { seedUser } from '@/server/directory/test-seed';
import { captureLogLines } from '@/test/support/log-capture';
import { createSession, lookupSession } from '@/server/sessions/sessions';
import { setGraphClientSecret } from '@/server/settings/graph-credential';
import { updateSettings } from '@/server/settings/service';
import { tempDbFile } from '@/test/support/tmp';
import { checkLeavers, leaversTask } from './leavers-task';

const cli = { kind: 'cli' as const, name: 'test' };
const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

// the process's logger, writing to memory
const logLines = captureLogLines();

describe('leavers signed out: the check asks the emulator Graph about users with live sessions', () => {
  let entra: EntraEmulator;
  let db: Db;
  const file = tempDbFile();

  beforeAll(async () => {
    entra = await startEntraEmulator();
    db = openDb(file);
    updateSettings(
      db,
      {
        cloud: 'custom',
        authorityHost: entra.authorityHost,
        graphHost: entra.graphHost,
        tenantId: entra.tenantId,
        clientId: entra.clientId,
        enabled: true,
        graphLeaverCheckMinutes: 5,
      },
      cli,
    );
    setGraphClientSecret(db, entra.clientSecret, cli);
  });
  afterAll(async () => {
    await entra?.stop();
    db?.$client.close();
  });
  afterEach(() => {
    entra.resetGraph();
    db.$client.prepare('UPDATE sessions SET revoked_at = 1, revoke_reason = ? WHERE revoked_at IS NULL').run('test_cleanup');
  });

  /** A user as a sign-in from the emulator's tenant creates it, with one session begun `ageMs` ago. */
  const signedIn = (key: keyof EntraEmulator['users'] | { oid: string; tenantId?: string }, ageMs = 60_000) => {
    const who = typeof key === 'string' ? { oid: entra.users[key].oid, tenantId: entra.tenantId } : { tenantId: entra.tenantId, ...key };
    const user = seedUser(db, { objectId: who.oid, tenantId: who.tenantId });
    const session = createSession(db, user.id, { lifetimeMinutes: 720, now: Date.now() - ageMs });
    return { user, session };
  };
  const liveSessions = (userId: string) =>
    db
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, Date.now())))
      .all()
      .filter((s) => s.revokedAt === null);
  const signOutRows = (userId: string) =>
    db
      .select()
      .from(changeEvents)
      .where(and(eq(changeEvents.action, 'user.entra_sign_out'), eq(changeEvents.targetId, userId)))
      .all();

  it("ends a disabled user's session within one interval, with a change-log row (actor system, reason entra_account_disabled), and leaves others signed in", async () => {
    const clock = { now: Date.now() };
    const task = leaversTask({ tickMs: 20, clock: () => clock.now });
    const stop = task.start(db)!;
    try {
      const alice = signedIn('password');
      const megan = signedIn('mfa');
      // the first tick runs the check; nobody is disabled yet
      await new Promise((r) => setTimeout(r, 300));
      expect(liveSessions(alice.user.id)).toHaveLength(1);
      entra.setUser('password', { accountEnabled: false });
      clock.now += 4 * 60_000;
      await new Promise((r) => setTimeout(r, 300));
      // 4 minutes into a 5-minute interval: not checked again yet
      expect(liveSessions(alice.user.id)).toHaveLength(1);
      clock.now += 60_000;
      const deadline = Date.now() + 5_000;
      while (liveSessions(alice.user.id).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(lookupSession(db, alice.session.token)).toEqual({ ok: false, reason: 'session_revoked' });
      expect(db.select().from(sessions).where(eq(sessions.id, alice.session.id)).get()!.revokeReason).toBe('entra_account_disabled');
      const rows = signOutRows(alice.user.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor: 'system', actorKind: 'system', targetType: 'user' });
      expect(JSON.parse(rows[0]!.after!)).toMatchObject({ reason: 'entra_account_disabled', sessionsEnded: 1 });
      expect(lookupSession(db, megan.session.token).ok).toBe(true);
    } finally {
      await stop();
    }
  });

  it('ends the sessions begun before a revocation in Entra (entra_sessions_revoked) and keeps the session opened after it', async () => {
    const { user, session: older } = signedIn('mfa', 5 * 60_000);
    entra.setUser('mfa', { revokeSignInSessions: true });
    // Graph gives whole seconds: open the new session in the next second
    await new Promise((r) => setTimeout(r, 1_100));
    const newer = createSession(db, user.id, { lifetimeMinutes: 720, now: Date.now() });
    const run = await checkLeavers(db);
    expect(run.outcome).toBe('done');
    expect(run.signedOut).toEqual([{ userId: user.id, reason: 'entra_sessions_revoked', sessions: 1 }]);
    expect(lookupSession(db, older.token)).toEqual({ ok: false, reason: 'session_revoked' });
    expect(lookupSession(db, newer.token).ok).toBe(true);
    const after = JSON.parse(signOutRows(user.id).at(-1)!.after!);
    expect(after).toMatchObject({ reason: 'entra_sessions_revoked', sessionsEnded: 1 });
    expect(Date.parse(after.signInSessionsValidFrom)).toBeGreaterThan(older.expiresAt - 720 * 60_000);
    // asked again: nothing more ends, no second row
    expect((await checkLeavers(db)).signedOut).toEqual([]);
    expect(signOutRows(user.id)).toHaveLength(1);
  });

  it('signs out a user Graph does not find (404 Request_ResourceNotFound: entra_user_deleted), and never asks about users of another tenant', async () => {
    const gone = signedIn({ oid: crypto.randomUUID() });
    const elsewhere = signedIn({ oid: crypto.randomUUID(), tenantId: crypto.randomUUID() });
    entra.clearCounters();
    const run = await checkLeavers(db);
    expect(run.signedOut).toContainEqual({ userId: gone.user.id, reason: 'entra_user_deleted', sessions: 1 });
    expect(JSON.parse(signOutRows(gone.user.id)[0]!.after!)).toMatchObject({ reason: 'entra_user_deleted' });
    expect(lookupSession(db, elsewhere.session.token).ok).toBe(true);
    // one GET per user of the tenant with a live session: the deleted one only
    expect(entra.counters().graph['users.get']).toBe(1);
  });

  it('signs nobody out while Graph is down, logs why without the secret or a token, and signs the leaver out at the next run', async () => {
    const pat = signedIn('plain');
    entra.setUser('plain', { accountEnabled: false });
    entra.setGraphFault({ mode: 'down' });
    logLines.length = 0;
    const run = await checkLeavers(db);
    expect(run).toMatchObject({ outcome: 'failed', reason: 'graph_unavailable', signedOut: [] });
    expect(lookupSession(db, pat.session.token).ok).toBe(true);
    expect(signOutRows(pat.user.id)).toHaveLength(0);
    const logged = logLines.join('\n');
    expect(logged).toContain('leaver check stopped');
    expect(logged).toContain('graph_unavailable');
    expect(logged).not.toContain(entra.clientSecret);
    expect(logged).not.toMatch(JWT);
    entra.setGraphFault({ mode: 'none' });
    const next = await checkLeavers(db);
    expect(next.signedOut).toEqual([{ userId: pat.user.id, reason: 'entra_account_disabled', sessions: 1 }]);
  });

  it('does nothing while graphLeaverCheckMinutes is 0, and refuses an interval under 5 minutes', async () => {
    const alice = signedIn('password');
    entra.setUser('password', { accountEnabled: false });
    updateSettings(db, { graphLeaverCheckMinutes: 0 }, cli);
    try {
      entra.clearCounters();
      expect((await checkLeavers(db)).outcome).toBe('off');
      expect(lookupSession(db, alice.session.token).ok).toBe(true);
      expect(entra.counters().graphTotal).toBe(0);
      expect(() => updateSettings(db, { graphLeaverCheckMinutes: 4 }, cli)).toThrow();
    } finally {
      updateSettings(db, { graphLeaverCheckMinutes: 5 }, cli);
    }
  });
});
