import { describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
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
