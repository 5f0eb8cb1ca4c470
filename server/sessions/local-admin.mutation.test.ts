import { describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { changeEvents, consoleSessions } from '@/db/schema';
import { tempDbFile } from '@/test/support/tmp';
import {
  completeSetup,
  endConsoleSession,
  hasLocalAdmin,
  inspectSetupToken,
  issueSetupToken,
  lookupConsoleSession,
  SETUP_LINK_TTL_MS,
  setupLink,
} from './local-admin';
import { LocalAuthError } from './local-auth-error';

const ADMIN = { username: 'breakglass', password: 'correct horse battery staple 42' };

async function refusal(p: Promise<unknown>): Promise<{ reason: string; message: string }> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LocalAuthError);
  return { reason: (err as LocalAuthError).reason, message: (err as Error).message };
}

describe('break-glass setup links, at their edges', () => {
  it('builds the link with the token in the fragment', () => {
    expect(setupLink('https://sso.example', 'abc')).toBe('https://sso.example/setup#token=abc');
  });

  it('tells an unknown, a used and an expired link apart, expiring at exactly one hour', async () => {
    const db = openDb(tempDbFile());
    const t0 = Date.now();
    const { token } = issueSetupToken(db, 'reset', t0);
    expect(inspectSetupToken(db, token, t0 + SETUP_LINK_TTL_MS - 1)).toEqual({ ok: true, purpose: 'reset' });
    expect(inspectSetupToken(db, token, t0 + SETUP_LINK_TTL_MS)).toEqual({ ok: false, reason: 'setup_link_expired' });
    expect(inspectSetupToken(db, 'no-such-token', t0)).toEqual({ ok: false, reason: 'setup_link_invalid' });
    // a newer link makes the older one used
    issueSetupToken(db, 'setup', t0);
    expect(inspectSetupToken(db, token, t0)).toEqual({ ok: false, reason: 'setup_link_used' });
  });

  it('refuses setup with each link problem, a bad user name and a weak password, each with its own message, and creates no admin', async () => {
    const db = openDb(tempDbFile());
    const t0 = Date.now();
    const used = issueSetupToken(db, 'setup', t0).token;
    const { token } = issueSetupToken(db, 'setup', t0);
    expect(await refusal(completeSetup(db, { ...ADMIN, token: 'no-such-token' }, t0))).toEqual({
      reason: 'setup_link_invalid',
      message: 'This setup link is not valid. Run `npx ice-sso admin reset` for a new one.',
    });
    expect(await refusal(completeSetup(db, { ...ADMIN, token: used }, t0))).toEqual({
      reason: 'setup_link_used',
      message: 'This setup link was already used. Run `npx ice-sso admin reset` for a new one.',
    });
    expect(await refusal(completeSetup(db, { ...ADMIN, token }, t0 + SETUP_LINK_TTL_MS))).toEqual({
      reason: 'setup_link_expired',
      message: 'This setup link has expired (links last one hour). Run `npx ice-sso admin reset` for a new one.',
    });
    expect(await refusal(completeSetup(db, { ...ADMIN, username: 'a b', token }, t0))).toEqual({
      reason: 'bad_username',
      message: 'User name: 3 to 64 letters, digits or . _ @ -',
    });
    expect(await refusal(completeSetup(db, { ...ADMIN, password: 'short', token }, t0))).toEqual({
      reason: 'weak_password',
      message: 'Password must be at least 12 characters.',
    });
    expect(hasLocalAdmin(db)).toBe(false);
    expect(inspectSetupToken(db, token, t0)).toEqual({ ok: true, purpose: 'setup' });
  });

  it('lets one of two concurrent uses of a link succeed; the other is told the link was used', async () => {
    const db = openDb(tempDbFile());
    const { token } = issueSetupToken(db, 'setup');
    const results = await Promise.allSettled([completeSetup(db, { ...ADMIN, token }), completeSetup(db, { ...ADMIN, token })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toMatchObject({ reason: 'setup_link_used', message: 'This setup link was already used. Run `npx ice-sso admin reset` for a new one.' });
    expect(hasLocalAdmin(db)).toBe(true);
  });

  it('ends a console session: its cookie no longer finds the admin', async () => {
    const db = openDb(tempDbFile());
    const { sessionToken } = await completeSetup(db, { ...ADMIN, token: issueSetupToken(db, 'setup').token });
    const found = lookupConsoleSession(db, sessionToken);
    expect(found).toMatchObject({ username: ADMIN.username });
    endConsoleSession(db, found!.sessionId);
    expect(lookupConsoleSession(db, sessionToken)).toBeNull();
  });
});

describe('what the change log says about setup links, and console sessions at their edges', () => {
  const rows = (db: ReturnType<typeof openDb>) =>
    db
      .select()
      .from(changeEvents)
      .orderBy(changeEvents.id)
      .all()
      .map((r) => ({
        actor: r.actor,
        actorKind: r.actorKind,
        actorId: r.actorId,
        action: r.action,
        targetType: r.targetType,
        targetId: r.targetId,
        ip: r.ip,
        after: JSON.parse(r.after!),
      }));

  it('records each link issued: by the system at first start, by the CLI for a reset, with its purpose and expiry', () => {
    const db = openDb(tempDbFile());
    const now = Date.UTC(2026, 11, 2, 3, 0, 0);
    expect(issueSetupToken(db, 'setup', now).expiresAt).toBe(now + SETUP_LINK_TTL_MS);
    expect(issueSetupToken(db, 'reset', now + 1000).expiresAt).toBe(now + 1000 + SETUP_LINK_TTL_MS);
    const expires = (t: number) => new Date(t + SETUP_LINK_TTL_MS).toISOString();
    expect(rows(db)).toEqual([
      {
        actor: 'system',
        actorKind: 'system',
        actorId: null,
        action: 'breakglass.link_issued',
        targetType: 'local_admin',
        targetId: null,
        ip: null,
        after: { purpose: 'setup', expiresAt: expires(now) },
      },
      {
        actor: 'cli',
        actorKind: 'cli',
        actorId: null,
        action: 'breakglass.link_issued',
        targetType: 'local_admin',
        targetId: null,
        ip: null,
        after: { purpose: 'reset', expiresAt: expires(now + 1000) },
      },
    ]);
  });

  it('records a setup, then a reset, each with the sign-in it opens, by the admin from their address', async () => {
    const db = openDb(tempDbFile());
    const first = await completeSetup(db, { ...ADMIN, token: issueSetupToken(db, 'setup').token, ip: '192.0.2.10', userAgent: 'Firefox' });
    await completeSetup(db, { ...ADMIN, password: 'a brand new passphrase 2026', token: issueSetupToken(db, 'reset').token });
    expect(first.username).toBe(ADMIN.username);
    const byAdmin = rows(db).filter((r) => r.actorKind === 'local');
    const row = (action: string, ip: string | null, after: object) => ({
      actor: ADMIN.username,
      actorKind: 'local',
      actorId: expect.any(String),
      action,
      targetType: 'local_admin',
      targetId: expect.any(String),
      ip,
      after,
    });
    expect(byAdmin).toEqual([
      row('breakglass.setup', '192.0.2.10', { username: ADMIN.username }),
      row('breakglass.sign_in', '192.0.2.10', { via: 'setup link' }),
      row('breakglass.password_reset', null, { username: ADMIN.username }),
      row('breakglass.sign_in', null, { via: 'setup link' }),
    ]);
    // the reset ended the session the setup opened
    expect(lookupConsoleSession(db, first.sessionToken)).toBeNull();
  });

  it('stores the session’s address and user agent (cut at 512 characters), and nulls when there are none', async () => {
    const db = openDb(tempDbFile());
    await completeSetup(db, { ...ADMIN, token: issueSetupToken(db, 'setup').token, ip: '192.0.2.11', userAgent: 'x'.repeat(600) });
    await completeSetup(db, { ...ADMIN, token: issueSetupToken(db, 'reset').token });
    const stored = db
      .select({ ip: consoleSessions.ip, userAgent: consoleSessions.userAgent })
      .from(consoleSessions)
      .orderBy(consoleSessions.createdAt, consoleSessions.ip)
      .all();
    expect(stored).toHaveLength(2);
    expect(stored).toEqual(
      expect.arrayContaining([
        { ip: '192.0.2.11', userAgent: 'x'.repeat(512) },
        { ip: null, userAgent: null },
      ]),
    );
  });

  it('ends a console session at exactly its expiry', async () => {
    const db = openDb(tempDbFile());
    const now = Date.now();
    const { sessionToken, expiresAt } = await completeSetup(db, { ...ADMIN, token: issueSetupToken(db, 'setup', now).token }, now);
    expect(lookupConsoleSession(db, sessionToken, expiresAt - 1)).toMatchObject({ username: ADMIN.username });
    expect(lookupConsoleSession(db, sessionToken, expiresAt)).toBeNull();
    expect(lookupConsoleSession(db, sessionToken, expiresAt + 60_000)).toBeNull();
  });
});
