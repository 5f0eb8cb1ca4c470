import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { GRAPH_APP_ID, OTHER_CLIENT_ID, OTHER_TENANT_ID } from '@/dev-entra';
import { sessions, users } from '@/db/schema';
import { useLoginFixture, type LoginFixture } from '@/test/support/login-fixture';

interface RefusalCase {
  reason: string;
  status: number;
  error: string;
  /** Runs before the history is counted (e.g. the first, accepted use of a token to replay). */
  prepare?: (f: LoginFixture) => Promise<string>;
  request: (f: LoginFixture, prepared: string) => Promise<Response>;
}

async function tamper(token: string): Promise<string> {
  const [h, p, s] = token.split('.');
  const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
  payload.name = 'Mallory';
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
}

const cases: RefusalCase[] = [
  { reason: 'missing_token', status: 400, error: 'invalid_request', request: (f) => f.login({}) },
  { reason: 'malformed_request', status: 400, error: 'invalid_request', request: (f) => f.login({ headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' } }) },
  { reason: 'malformed_token', status: 401, error: 'invalid_token', request: (f) => f.login('not-a.jwt') },
  {
    reason: 'unsupported_alg',
    status: 401,
    error: 'invalid_token',
    request: async (f) => f.login(await f.entra.signRaw({}, { tid: f.entra.tenantId, oid: 'x', exp: Math.floor(Date.now() / 1000) + 600 }, 'none')),
  },
  { reason: 'unknown_key', status: 401, error: 'invalid_token', request: async (f) => f.login(await f.entra.mintAccessToken({ signWith: 'unpublished' })) },
  { reason: 'bad_signature', status: 401, error: 'invalid_token', request: async (f) => f.login(await tamper(await f.entra.mintAccessToken())) },
  {
    reason: 'token_expired',
    status: 401,
    error: 'invalid_token',
    request: async (f) => f.login(await f.entra.mintAccessToken({ expiresInSeconds: -3600, issuedAtSeconds: -7200 })),
  },
  {
    reason: 'token_not_yet_valid',
    status: 401,
    error: 'invalid_token',
    request: async (f) => f.login(await f.entra.mintAccessToken({ notBeforeSeconds: 3600 })),
  },
  {
    reason: 'issuer_mismatch',
    status: 401,
    error: 'invalid_token',
    request: async (f) => f.login(await f.entra.mintAccessToken({ claims: { iss: `https://sts.evil.example/${f.entra.tenantId}/` } })),
  },
  {
    reason: 'tenant_mismatch',
    status: 401,
    error: 'invalid_token',
    request: async (f) => f.login(await f.entra.mintAccessToken({ user: 'fabrikam', tenantId: OTHER_TENANT_ID })),
  },
  {
    reason: 'audience_mismatch',
    status: 401,
    error: 'invalid_token',
    request: async (f) => f.login(await f.entra.mintAccessToken({ audience: GRAPH_APP_ID, scopes: ['User.Read'] })),
  },
  { reason: 'missing_scope', status: 401, error: 'invalid_token', request: async (f) => f.login(await f.entra.mintAccessToken({ scopes: ['User.Read'] })) },
  {
    reason: 'client_not_allowed',
    status: 401,
    error: 'invalid_token',
    request: async (f) => f.login(await f.entra.mintAccessToken({ clientId: OTHER_CLIENT_ID })),
  },
  { reason: 'missing_claim', status: 401, error: 'invalid_token', request: async (f) => f.login(await f.entra.mintAccessToken({ omitClaims: ['oid'] })) },
  {
    reason: 'token_replayed',
    status: 401,
    error: 'invalid_token',
    prepare: async (f) => {
      const token = await f.entra.mintAccessToken({ user: 'mfa' });
      expect((await f.login(token)).status).toBe(200);
      return token;
    },
    request: (f, token) => f.login(token),
  },
  {
    reason: 'user_disabled',
    status: 403,
    error: 'access_denied',
    prepare: async (f) => {
      expect((await f.login(await f.entra.mintAccessToken({ user: 'plain' }))).status).toBe(200);
      f.db.update(users).set({ status: 'disabled' }).where(eq(users.objectId, f.entra.users.plain.oid)).run();
      return f.entra.mintAccessToken({ user: 'plain' });
    },
    request: (f, token) => f.login(token),
  },
  {
    reason: 'group_required',
    status: 403,
    error: 'access_denied',
    request: async (f) => {
      await f.setSettings({ requiredGroupIds: ['0f0f0f0f-0000-4000-8000-000000000001'] });
      try {
        return await f.login(await f.entra.mintAccessToken({ user: 'seamless' }));
      } finally {
        await f.setSettings({ requiredGroupIds: [] });
      }
    },
  },
  {
    reason: 'request_too_large',
    status: 413,
    error: 'invalid_request',
    request: (f) => f.login({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'x'.repeat(100_000) }) }),
  },
];

describe('POST /api/login refuses each reason code of docs/contract.md', () => {
  const f = useLoginFixture();
  it.each(cases)('$reason → $status $error, with its history row', async ({ reason, status, error, prepare, request }) => {
    const prepared = prepare ? await prepare(f) : '';
    const before = f.loginEventCount();
    const res = await request(f, prepared);
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body).toEqual({ error, reason, message: expect.any(String) });
    expect(JSON.stringify(body)).not.toMatch(/eyJ[\w-]+\.eyJ/); // never the token
    if (status === 401) expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token", error_description="[^"]+"$/);
    else expect(res.headers.get('www-authenticate')).toBeNull();
    const row = f.lastLoginEvent();
    expect(row).toMatchObject({ outcome: 'refused', reason, status });
    // exactly one history row for one attempt
    expect(f.loginEventCount()).toBe(before + 1);
  });

  it('answers 431 request_too_large for oversized headers', async () => {
    const res = await f.login({ headers: { authorization: `Bearer ${'a'.repeat(20_000)}`, 'x-pad': 'b'.repeat(20_000) } });
    expect(res.status).toBe(431);
    expect(await res.json()).toMatchObject({ error: 'invalid_request', reason: 'request_too_large' });
  });
});

describe('POST /api/login accepts Entra tokens for this server', () => {
  const f = useLoginFixture();

  it('accepts a v1 token (aud api://…) and records its auth methods', async () => {
    const token = await f.entra.mintAccessToken({ user: 'seamless', version: 1 });
    const res = await f.login(token);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Date(body.session.expiresAt).getTime()).toBeGreaterThan(Date.now() + 60 * 60_000);
    expect(body.user).toMatchObject({
      tenantId: f.entra.tenantId,
      objectId: f.entra.users.seamless.oid,
      displayName: 'Diego Siciliani',
      email: f.entra.users.seamless.upn,
    });
    expect(Object.keys(body.user)).toEqual(['id', 'tenantId', 'objectId', 'displayName', 'email', 'groups']);
    expect(f.lastLoginEvent()).toMatchObject({
      outcome: 'accepted',
      reason: null,
      status: 200,
      tokenVersion: '1.0',
      amr: '["wia"]',
      signInMethod: 'wia',
      userId: body.user.id,
    });
    const stored = f.db.select().from(users).where(eq(users.id, body.user.id)).get()!;
    expect(stored.lastAuthMethods).toEqual(['wia']);
    expect(stored.claims).toMatchObject({ name: 'Diego Siciliani', ver: '1.0', amr: ['wia'] });
    expect(stored.claims).not.toHaveProperty('uti');
  });

  it('accepts a v2 token (aud = client ID), which reports no auth method', async () => {
    const res = await f.login(await f.entra.mintAccessToken({ user: 'mfa', version: 2 }));
    expect(res.status).toBe(200);
    expect(f.lastLoginEvent()).toMatchObject({ outcome: 'accepted', tokenVersion: '2.0', amr: null, signInMethod: null, username: f.entra.users.mfa.upn });
  });

  it('accepts the token as a JSON body too', async () => {
    const token = await f.entra.mintAccessToken({ user: 'password' });
    const res = await f.login({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    expect(res.status).toBe(200);
  });

  it('accepts a B2B guest, identified by (tid, oid) in the resource tenant', async () => {
    const res = await f.login(await f.entra.mintAccessToken({ user: 'guest' }));
    expect(res.status).toBe(200);
    expect((await res.json()).user.objectId).toBe(f.entra.users.guest.oid);
  });

  it('updates the same user on the next sign-in, keyed by (tid, oid) and not by e-mail', async () => {
    const first = await (await f.login(await f.entra.mintAccessToken({ user: 'password' }))).json();
    const second = await (
      await f.login(
        await f.entra.mintAccessToken({
          user: 'password',
          claims: { name: 'Alice A. Andersen', upn: 'alice.new@contoso.example', unique_name: 'alice.new@contoso.example' },
        }),
      )
    ).json();
    expect(second.user.id).toBe(first.user.id);
    expect(second.user.displayName).toBe('Alice A. Andersen');
    expect(second.user.email).toBe('alice.new@contoso.example');
  });

  it('opens a session that GET /api/session reads and DELETE /api/session revokes', async () => {
    const { session, user } = await (await f.login(await f.entra.mintAccessToken({ user: 'mfa' }))).json();
    const auth = { authorization: `Bearer ${session.token}` };
    const me = await fetch(`${f.server.origin}/api/session`, { headers: auth });
    expect(me.status).toBe(200);
    expect((await me.json()).user.id).toBe(user.id);
    const stored = f.db.select().from(sessions).where(eq(sessions.userId, user.id)).all();
    expect(stored.every((s) => s.tokenHash !== session.token && s.tokenHash.length === 64)).toBe(true);
    expect((await fetch(`${f.server.origin}/api/session`, { method: 'DELETE', headers: auth })).status).toBe(204);
    const after = await fetch(`${f.server.origin}/api/session`, { headers: auth });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ reason: 'session_revoked' });
    expect((await fetch(`${f.server.origin}/api/session`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(`${f.server.origin}/api/session`)).status).toBe(400);
  });
});
