import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_IDS } from './groups';
import { startEntraEmulator } from './server';
import type { EntraEmulator } from './server';
import { SPA_REDIRECT, appToken, graph, postToken, signIn } from './test-support';

let entra: EntraEmulator;
beforeAll(async () => {
  entra = await startEntraEmulator();
});
afterEach(async () => {
  await control('POST', 'reset');
});
afterAll(async () => {
  await entra.stop();
});

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${entra.origin}/_dev/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function newAppToken(): Promise<string> {
  const { status, body } = await appToken(entra);
  expect(status).toBe(200);
  return String(body.access_token);
}

async function groupIdsOf(token: string, oid: string): Promise<string[]> {
  const response = await graph(entra, token, `users/${oid}/transitiveMemberOf/microsoft.graph.group?$select=id&$top=999`);
  return (response.body.value as { id: string }[]).map((g) => g.id);
}

/** The groups claim of a fresh sign-in's access token (auth code flow, as the ICE SPA does). */
async function signInGroups(upn: string): Promise<unknown> {
  const { code, verifier } = await signIn(entra, upn);
  const { body } = await postToken(entra, {
    grant_type: 'authorization_code',
    client_id: entra.clientId,
    code,
    code_verifier: verifier,
    redirect_uri: SPA_REDIRECT,
  });
  return decodeJwt(String(body.access_token)).groups;
}

describe('control API: the directory', () => {
  it('disables an account and revokes sessions, as Graph then reports', async () => {
    const alice = entra.users.password;
    const before = Date.now() - 1000;
    expect((await control('PATCH', `users/${alice.key}`, { accountEnabled: false, revokeSignInSessions: true })).status).toBe(200);
    const token = await newAppToken();
    const user = await graph(entra, token, `users/${alice.oid}?$select=id,accountEnabled,signInSessionsValidFromDateTime`);
    expect(user.body.accountEnabled).toBe(false);
    expect(Date.parse(String(user.body.signInSessionsValidFromDateTime))).toBeGreaterThanOrEqual(before);
    expect(String(user.body.signInSessionsValidFromDateTime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await control('PATCH', `users/${alice.upn}`, { signInSessionsValidFromDateTime: '2026-03-01T10:00:00+01:00' });
    expect((await control('GET', `users/${alice.oid}`)).json).toMatchObject({ key: 'password', signInSessionsValidFromDateTime: '2026-03-01T09:00:00Z' });
  });

  it('removes a membership: Graph and the next sign-in no longer show it; adding one shows it', async () => {
    const megan = entra.users.mfa;
    expect(await signInGroups(megan.upn)).toEqual([GROUP_IDS.fieldOps, GROUP_IDS.supervisors]);
    const changed = await control('POST', 'memberships', { user: 'mfa', remove: [GROUP_IDS.supervisors], add: [GROUP_IDS.dispatch] });
    expect(changed.json.groups).toEqual([GROUP_IDS.fieldOps, GROUP_IDS.dispatch]);
    expect(await groupIdsOf(await newAppToken(), megan.oid)).toEqual([GROUP_IDS.fieldOps, GROUP_IDS.dispatch]);
    expect(await signInGroups(megan.upn)).toEqual([GROUP_IDS.fieldOps, GROUP_IDS.dispatch]);
    expect(decodeJwt(await entra.mintAccessToken({ user: 'mfa' })).groups).toEqual([GROUP_IDS.fieldOps, GROUP_IDS.dispatch]);
  });

  it('takes one group from the overage user: transitiveMemberOf pages 240', async () => {
    const olivia = entra.users.overage;
    const removed = olivia.groups[17] ?? '';
    entra.changeMemberships('overage', { remove: [removed] });
    const ids = await groupIdsOf(await newAppToken(), olivia.oid);
    expect(ids).toHaveLength(240);
    expect(ids).not.toContain(removed);
  });

  it('stops a disabled user at sign-in and a revoked user at refresh, as Entra does', async () => {
    const { code, verifier } = await signIn(entra, entra.users.mfa.upn);
    const first = await postToken(entra, {
      grant_type: 'authorization_code',
      client_id: entra.clientId,
      code,
      code_verifier: verifier,
      redirect_uri: SPA_REDIRECT,
    });
    const refreshToken = String(first.body.refresh_token);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    entra.setUser('mfa', { revokeSignInSessions: true });
    const refreshed = await postToken(entra, { grant_type: 'refresh_token', client_id: entra.clientId, refresh_token: refreshToken, scope: 'openid' });
    expect([refreshed.status, refreshed.body.error, (refreshed.body.error_codes as number[])[0]]).toEqual([400, 'invalid_grant', 50173]);
    entra.setUser('mfa', { accountEnabled: false });
    await expect(signIn(entra, entra.users.mfa.upn)).rejects.toThrow(/expected a redirect, got 400/);
  });

  it('refuses unknown users and groups and malformed bodies with 400', async () => {
    expect((await control('PATCH', 'users/nobody', { accountEnabled: false })).status).toBe(400);
    expect((await control('PATCH', 'users/password', { accountEnabled: 'no' })).status).toBe(400);
    expect((await control('POST', 'memberships', { user: 'password', add: ['not-a-group'] })).status).toBe(400);
    expect((await control('POST', 'memberships', { user: 'password', surprise: 1 })).status).toBe(400);
  });
});

describe('control API: the app registration', () => {
  it('grants and withdraws application permissions: a token without GroupMember.Read.All gets 403 Authorization_RequestDenied', async () => {
    await control('POST', 'app', { applicationPermissions: ['User.Read.All'] });
    const token = await newAppToken();
    expect(decodeJwt(token).roles).toEqual(['User.Read.All']);
    const denied = await graph(entra, token, `users/${entra.users.overage.oid}/transitiveMemberOf/microsoft.graph.group`);
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' });
    expect((await graph(entra, token, `users/${entra.users.overage.oid}?$select=id,accountEnabled`)).status).toBe(200);
    await control('POST', 'app', { applicationPermissions: [] });
    const none = await newAppToken();
    expect(decodeJwt(none)).not.toHaveProperty('roles');
    expect((await graph(entra, none, `users/${entra.users.overage.oid}`)).status).toBe(403);
  });

  it('rotates secrets: a new one works, a revoked one gets AADSTS7000215, an expired one AADSTS7000222', async () => {
    const added = await control('POST', 'app-secrets', {});
    expect(added.status).toBe(201);
    const secretText = String(added.json.secretText);
    expect(secretText).toMatch(/^.{3}8Q~.{34}$/);
    expect((await appToken(entra, { client_secret: secretText })).status).toBe(200);
    const app = await control('GET', 'app');
    const listed = app.json.passwordCredentials as { keyId: string; hint: string }[];
    expect(listed.map((c) => c.hint)).toEqual(['Ice', secretText.slice(0, 3)]);
    expect(JSON.stringify(app.json)).not.toContain(secretText);
    expect((await control('DELETE', `app-secrets/${listed[0]?.keyId}`)).status).toBe(204);
    const revoked = await appToken(entra);
    expect([revoked.status, (revoked.body.error_codes as number[])[0]]).toEqual([401, 7000215]);
    await control('POST', 'app-secrets', { secretText: 'expired-secret', expiresInSeconds: -60 });
    const expired = await appToken(entra, { client_secret: 'expired-secret' });
    expect([expired.status, (expired.body.error_codes as number[])[0]]).toEqual([401, 7000222]);
    expect((await control('DELETE', 'app-secrets/unknown')).status).toBe(400);
  });

  it('disables the service principal (unauthorized_client AADSTS7000112) and shortens app token lifetimes', async () => {
    await control('POST', 'app', { enabled: false });
    const disabled = await appToken(entra);
    expect([disabled.status, disabled.body.error, (disabled.body.error_codes as number[])[0]]).toEqual([400, 'unauthorized_client', 7000112]);
    await control('POST', 'app', { enabled: true, accessTokenLifetimeSeconds: 5 });
    const short = await appToken(entra);
    expect(short.body.expires_in).toBe(5);
    const claims = decodeJwt(String(short.body.access_token));
    expect(claims.exp! - claims.iat!).toBe(5);
  });

  it('refuses credentials on the public client', async () => {
    expect((await control('POST', 'app-secrets', { clientId: 'b1f3c9e2-5a47-4d8e-9c21-0e6f7a8b9c0d' })).status).toBe(400);
  });
});

describe('control API: Graph faults and counters', () => {
  const path = () => `users/${entra.users.password.oid}/transitiveMemberOf/microsoft.graph.group`;

  it('throttles the next N calls with 429 and Retry-After, then serves again', async () => {
    const token = await newAppToken();
    await control('POST', 'graph-faults', { mode: 'throttle', status: 429, retryAfterSeconds: 7, count: 2 });
    for (let i = 0; i < 2; i += 1) {
      const throttled = await graph(entra, token, path());
      expect([throttled.status, throttled.headers.get('retry-after'), (throttled.body.error as { code: string }).code]).toEqual([429, '7', 'TooManyRequests']);
    }
    expect((await graph(entra, token, path())).status).toBe(200);
    expect((await control('GET', 'graph-faults')).json).toEqual({ mode: 'none' });
  });

  it('answers 503 with Retry-After when throttling with 503, and while down until cleared', async () => {
    const token = await newAppToken();
    await control('POST', 'graph-faults', { mode: 'throttle', status: 503, retryAfterSeconds: 3, count: 1 });
    const unavailable = await graph(entra, token, path());
    expect([unavailable.status, unavailable.headers.get('retry-after')]).toEqual([503, '3']);
    await control('POST', 'graph-faults', { mode: 'down' });
    for (let i = 0; i < 3; i += 1) expect((await graph(entra, token, path())).status).toBe(503);
    expect((await control('DELETE', 'graph-faults')).status).toBe(204);
    expect((await graph(entra, token, path())).status).toBe(200);
  });

  it('drops connections while down with reset, and delays answers while slow', async () => {
    const token = await newAppToken();
    entra.setGraphFault({ mode: 'down', reset: true });
    await expect(graph(entra, token, path())).rejects.toThrow();
    entra.setGraphFault({ mode: 'slow', delayMs: 400 });
    const started = Date.now();
    expect((await graph(entra, token, path())).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect((await appToken(entra)).status).toBe(200);
  });

  it('counts Graph calls by endpoint and token grants by kind, and clears them', async () => {
    await control('DELETE', 'counters');
    const token = await newAppToken();
    await newAppToken();
    await graph(entra, token, path());
    await graph(entra, token, path());
    await graph(entra, token, `users/${entra.users.password.oid}`);
    await graph(entra, undefined, `users/${entra.users.password.oid}`);
    const counters = (await control('GET', 'counters')).json;
    expect(counters).toEqual({
      graph: { 'users.transitiveMemberOf': 2, 'users.get': 2 },
      graphTotal: 4,
      tokenGrants: { 'client_credentials:client_secret': 2 },
      tokenGrantTotal: 2,
    });
    await control('DELETE', 'counters');
    expect(entra.counters().graphTotal).toBe(0);
  });

  it('validates fault bodies', async () => {
    for (const body of [{ mode: 'throttle', status: 500 }, { mode: 'explode' }, { mode: 'slow' }, { mode: 'down', extra: true }]) {
      expect((await control('POST', 'graph-faults', body)).status).toBe(400);
    }
  });
});
