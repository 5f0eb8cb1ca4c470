import { beforeAll, describe, expect, it } from 'vitest';
import { desc, eq } from 'drizzle-orm';
import { GROUP_IDS } from '@/dev-entra';
import { userGroups, loginEvents, sessions, usedTokenIds, users } from '@/db/schema';
import { LoginRefusedError } from '@/server/entra/errors';
import { hashToken } from '@/server/lib/tokens';
import { saveLoginSettings, useValidatorFixture } from '@/test/support/validator-fixture';
import { loginWithToken } from './login';

let ipSeq = 0;
/** Each test its own client address: the refusal counter is per address and per process. */
const nextIp = () => `198.51.100.${++ipSeq}`;

describe('loginWithToken: a validated token becomes a user, a session and one history row', () => {
  const f = useValidatorFixture();
  const configure = (patch: Record<string, unknown> = {}) => saveLoginSettings(f, patch);
  beforeAll(() => {
    configure();
  });
  const lastEvent = () => f.db.select().from(loginEvents).orderBy(desc(loginEvents.id)).limit(1).get()!;
  const refusal = async (token: string, ip = nextIp(), now?: number) => {
    try {
      await loginWithToken(f.db, { token, ip, userAgent: 'test' }, now);
    } catch (err) {
      if (err instanceof LoginRefusedError) return err;
      throw err;
    }
    throw new Error('the login was accepted');
  };

  it('accepts a token: the session (hash stored), the user with groups, and an accepted history row', async () => {
    const now = Date.now();
    const token = await f.entra.mintAccessToken({ user: 'mfa', version: 2 });
    const ip = nextIp();
    const r = await loginWithToken(f.db, { token, ip, userAgent: 'ua/1' }, now);
    expect(r.user).toMatchObject({ tenantId: f.entra.tenantId, objectId: f.entra.users.mfa.oid, displayName: 'Megan Bowen' });
    expect(r.user.groups.map((g) => g.id).sort()).toEqual([GROUP_IDS.fieldOps, GROUP_IDS.supervisors].sort());
    expect(r.session.expiresAt).toBe(new Date(now + 720 * 60_000).toISOString());
    const row = f.db
      .select()
      .from(sessions)
      .where(eq(sessions.tokenHash, hashToken(r.session.token)))
      .get()!;
    expect(row).toMatchObject({ userId: r.user.id, clientAppId: f.entra.clientId, ip, userAgent: 'ua/1', createdAt: now });
    expect(lastEvent()).toMatchObject({
      outcome: 'accepted',
      reason: null,
      status: 200,
      userId: r.user.id,
      objectId: f.entra.users.mfa.oid,
      tokenVersion: '2.0',
      ip,
      displayName: 'Megan Bowen',
    });
  });

  it('refuses the same token a second time as token_replayed, with its history row naming the user', async () => {
    const token = await f.entra.mintAccessToken({ user: 'plain' });
    const first = await loginWithToken(f.db, { token, ip: nextIp(), userAgent: null });
    const r = await refusal(token);
    expect([r.reason, r.status]).toEqual(['token_replayed', 401]);
    expect(lastEvent()).toMatchObject({ outcome: 'refused', reason: 'token_replayed', status: 401, userId: first.user.id, objectId: f.entra.users.plain.oid });
  });

  it('remembers the uti until the token expires plus the clock skew', async () => {
    const token = await f.entra.mintAccessToken({ claims: { uti: 'uti-lifetime-check' } });
    await loginWithToken(f.db, { token, ip: nextIp(), userAgent: null });
    const exp = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number;
    expect(f.db.select().from(usedTokenIds).where(eq(usedTokenIds.uti, 'uti-lifetime-check')).get()!.expiresAt).toBe(exp * 1000 + 300_000);
  });

  it('refuses a token without uti as missing_claim while replay protection is on, and accepts it (twice) when off', async () => {
    const token = await f.entra.mintAccessToken({ omitClaims: ['uti'] });
    const r = await refusal(token);
    expect(r.reason).toBe('missing_claim');
    expect(r.detail).toContain('uti');
    const again = await f.entra.mintAccessToken({ claims: { uti: 'reused-uti' } });
    configure({ replayProtection: false });
    try {
      await loginWithToken(f.db, { token, ip: nextIp(), userAgent: null });
      await loginWithToken(f.db, { token: again, ip: nextIp(), userAgent: null });
      await loginWithToken(f.db, { token: again, ip: nextIp(), userAgent: null });
      expect(f.db.select().from(usedTokenIds).where(eq(usedTokenIds.uti, 'reused-uti')).get()).toBeUndefined();
    } finally {
      configure();
    }
  });

  it('refuses a disabled user as user_disabled (403), after validating the token', async () => {
    const first = await loginWithToken(f.db, { token: await f.entra.mintAccessToken({ user: 'guest' }), ip: nextIp(), userAgent: null });
    f.db.update(users).set({ status: 'disabled' }).where(eq(users.id, first.user.id)).run();
    const r = await refusal(await f.entra.mintAccessToken({ user: 'guest' }));
    expect([r.reason, r.status]).toEqual(['user_disabled', 403]);
    expect(lastEvent()).toMatchObject({ reason: 'user_disabled', status: 403, userId: first.user.id });
  });

  it('with required groups, accepts a member (group IDs compared without case) and refuses others as group_required', async () => {
    configure({ requiredGroupIds: [GROUP_IDS.dispatch] });
    try {
      expect((await loginWithToken(f.db, { token: await f.entra.mintAccessToken({ user: 'password' }), ip: nextIp(), userAgent: null })).user.objectId).toBe(
        f.entra.users.password.oid,
      );
      const upper = await f.entra.mintAccessToken({ user: 'password', groups: [GROUP_IDS.dispatch.toUpperCase()] });
      expect((await loginWithToken(f.db, { token: upper, ip: nextIp(), userAgent: null })).user.objectId).toBe(f.entra.users.password.oid);
      const r = await refusal(await f.entra.mintAccessToken({ user: 'auditor' }));
      expect([r.reason, r.status]).toEqual(['group_required', 403]);
      expect((await refusal(await f.entra.mintAccessToken({ user: 'mfa' }))).reason).toBe('group_required');
    } finally {
      configure();
    }
  });

  it("makes the user's groups the token's at each sign-in, and leaves them alone when group import is off", async () => {
    const sign = async (groups: string[]) =>
      (await loginWithToken(f.db, { token: await f.entra.mintAccessToken({ user: 'seamless', groups }), ip: nextIp(), userAgent: null })).user;
    const u = await sign([GROUP_IDS.dispatch, GROUP_IDS.fieldOps]);
    expect(u.groups.map((g) => g.id).sort()).toEqual([GROUP_IDS.dispatch, GROUP_IDS.fieldOps].sort());
    expect((await sign([GROUP_IDS.supervisors])).groups.map((g) => g.id)).toEqual([GROUP_IDS.supervisors]);
    configure({ importUserGroups: false });
    try {
      expect((await sign([GROUP_IDS.dispatch])).groups.map((g) => g.id)).toEqual([GROUP_IDS.supervisors]);
      expect(f.db.select().from(userGroups).where(eq(userGroups.userId, u.id)).all()).toHaveLength(1);
    } finally {
      configure();
    }
  });

  it('records a refused attempt with what the token claims (unverified), and nothing for a token it cannot read', async () => {
    await refusal(await f.entra.mintAccessToken({ user: 'auditor', version: 1, scopes: ['Other.Scope'] }));
    expect(lastEvent()).toMatchObject({
      outcome: 'refused',
      reason: 'missing_scope',
      status: 401,
      tenantId: f.entra.tenantId,
      displayName: 'Alex Wilber',
      amr: JSON.stringify(['pwd']),
      objectId: f.entra.users.auditor.oid,
      username: 'alex@contoso.example',
      clientAppId: f.entra.clientId,
      tokenVersion: '1.0',
      userId: null,
    });
    expect(lastEvent().uti).toBeTruthy();
    await refusal('not.a.token');
    expect(lastEvent()).toMatchObject({ outcome: 'refused', reason: 'malformed_token', tenantId: null, objectId: null, userId: null, uti: null });
    await refusal(await f.entra.mintAccessToken({ omitClaims: ['oid'] }));
    expect(lastEvent()).toMatchObject({ reason: 'missing_claim', objectId: null, userId: null });
  });

  it('answers sso_not_configured while SSO is disabled, with its history row', async () => {
    configure({ enabled: false });
    try {
      const r = await refusal(await f.entra.mintAccessToken());
      expect([r.reason, r.status]).toEqual(['sso_not_configured', 503]);
      expect(lastEvent()).toMatchObject({ reason: 'sso_not_configured', status: 503 });
    } finally {
      configure();
    }
  });

  it('after the limit of refusals from one address, refuses even a valid token with too_many_attempts and Retry-After', async () => {
    configure({ loginRateLimitPerMinute: 2 });
    try {
      const ip = nextIp();
      const now = Date.now();
      expect((await refusal('x.y.z', ip, now)).reason).toBe('malformed_token');
      expect((await refusal('x.y.z', ip, now + 1)).reason).toBe('malformed_token');
      const r = await refusal(await f.entra.mintAccessToken(), ip, now + 1000);
      expect([r.reason, r.status]).toEqual(['too_many_attempts', 429]);
      expect(r.retryAfterSeconds).toBe(59);
      // a rate-limited attempt has no row of its own: it is counted into its address's summary row (docs/audit.md)
      expect(lastEvent()).toMatchObject({ reason: 'malformed_token', status: 401, ip });
      // another address is not affected, and the window ends after a minute
      expect((await loginWithToken(f.db, { token: await f.entra.mintAccessToken(), ip: nextIp(), userAgent: null })).user).toBeTruthy();
      expect((await loginWithToken(f.db, { token: await f.entra.mintAccessToken(), ip, userAgent: null }, now + 60_000)).user).toBeTruthy();
    } finally {
      configure();
    }
  });

  it("does not count refusals that are not the caller's fault (SSO off, keys unavailable) towards the limit", async () => {
    const ip = nextIp();
    configure({ loginRateLimitPerMinute: 1, enabled: false });
    try {
      expect((await refusal(await f.entra.mintAccessToken(), ip)).reason).toBe('sso_not_configured');
      configure({ loginRateLimitPerMinute: 1 });
      expect((await loginWithToken(f.db, { token: await f.entra.mintAccessToken(), ip, userAgent: null })).user).toBeTruthy();
      expect((await refusal('a.b.c', ip)).reason).toBe('malformed_token');
      expect((await refusal('a.b.c', ip)).reason).toBe('too_many_attempts');
      // a 429 does not extend the window: the count stays at the limit
      expect((await refusal('a.b.c', ip)).reason).toBe('too_many_attempts');
    } finally {
      configure();
    }
    const other = nextIp();
    configure({ loginRateLimitPerMinute: 1 });
    f.entra.setOutage(true);
    try {
      // nothing cached for an authority host it never saw: keys_unavailable, twice
      const host = { authorityHost: f.entra.authorityHost.replace('127.0.0.1', 'localhost') };
      configure({ loginRateLimitPerMinute: 1, ...host });
      expect((await refusal(await f.entra.mintAccessToken(), other)).reason).toBe('keys_unavailable');
      expect((await refusal(await f.entra.mintAccessToken(), other)).reason).toBe('keys_unavailable');
    } finally {
      f.entra.setOutage(false);
      configure();
    }
  });
});
