import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANT_ID, GRAPH_APP_ID, OTHER_CLIENT_ID, OTHER_TENANT_ID } from './ids';
import { startEntraEmulator } from './server';
import type { EntraEmulator } from './server';
import { BROWSER_ORIGIN, SPA_REDIRECT, authorize, pkcePair, postToken, replyParams, signIn } from './test-support';

let entra: EntraEmulator;
beforeAll(async () => {
  entra = await startEntraEmulator();
});
afterAll(async () => {
  await entra.stop();
});

const codeForm = (code: string, verifier: string, extra: Record<string, string> = {}) => ({
  grant_type: 'authorization_code',
  client_id: entra.clientId,
  code,
  redirect_uri: SPA_REDIRECT,
  code_verifier: verifier,
  scope: `api://${entra.clientId}/UserProfile.ReadWrite openid profile offline_access`,
  client_info: '1',
  ...extra,
});

describe('authorization code flow with PKCE', () => {
  it('signs the hinted user in without a click and redirects back with code, state and client_info', async () => {
    const { challenge } = pkcePair();
    const response = await authorize(entra, {
      client_id: entra.clientId,
      response_type: 'code',
      redirect_uri: SPA_REDIRECT,
      scope: 'openid',
      state: 'xyz',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      login_hint: 'megan@contoso.example',
      client_info: '1',
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')?.startsWith(`${SPA_REDIRECT}?`)).toBe(true);
    const params = replyParams(response);
    expect(params.get('code')).toMatch(/^1\.A/);
    expect(params.get('state')).toBe('xyz');
    expect(JSON.parse(Buffer.from(params.get('client_info') ?? '', 'base64url').toString())).toEqual({ uid: entra.users.mfa.oid, utid: DEMO_TENANT_ID });
  });

  it('redeems the code for tokens MSAL accepts, verifiable through discovery', async () => {
    const { code, verifier } = await signIn(entra, 'alice@contoso.example');
    const { status, body } = await postToken(entra, codeForm(code, verifier));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      token_type: 'Bearer',
      scope: `api://${entra.clientId}/UserProfile.ReadWrite`,
      expires_in: 3600,
      ext_expires_in: 3600,
      refresh_token_expires_in: 86400,
    });
    for (const member of ['access_token', 'refresh_token', 'id_token', 'client_info']) expect(typeof body[member]).toBe('string');
    const keys = createRemoteJWKSet(new URL(`${entra.origin}/${DEMO_TENANT_ID}/discovery/v2.0/keys`));
    const access = await jwtVerify(String(body.access_token), keys, { issuer: `${entra.origin}/${DEMO_TENANT_ID}/`, audience: `api://${entra.clientId}` });
    expect(access.payload).toMatchObject({ oid: entra.users.password.oid, scp: 'UserProfile.ReadWrite', amr: ['pwd'], ipaddr: '127.0.0.1' });
    const id = await jwtVerify(String(body.id_token), keys, { issuer: `${entra.origin}/${DEMO_TENANT_ID}/v2.0`, audience: entra.clientId });
    expect(id.payload.nonce).toBe('n1');
  });

  it('refuses a wrong code_verifier, and burns the code', async () => {
    const { code, verifier } = await signIn(entra, 'alice@contoso.example');
    const wrong = await postToken(entra, codeForm(code, pkcePair().verifier));
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_grant', error_codes: [501481] });
    for (const member of ['error_description', 'timestamp', 'trace_id', 'correlation_id']) expect(typeof wrong.body[member]).toBe('string');
    expect((await postToken(entra, codeForm(code, verifier))).body.error_codes).toEqual([54005]);
  });

  it('refuses a code redeemed twice', async () => {
    const { code, verifier } = await signIn(entra, 'alice@contoso.example');
    expect((await postToken(entra, codeForm(code, verifier))).status).toBe(200);
    const again = await postToken(entra, codeForm(code, verifier));
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });
  });

  it('refuses a code redeemed with another redirect URI, client, or without the browser origin', async () => {
    const a = await signIn(entra, 'alice@contoso.example');
    expect((await postToken(entra, codeForm(a.code, a.verifier, { redirect_uri: 'http://localhost:4000/sso' }))).body.error).toBe('invalid_grant');
    const b = await signIn(entra, 'alice@contoso.example');
    expect((await postToken(entra, codeForm(b.code, b.verifier, { client_id: OTHER_CLIENT_ID }))).body.error).toBe('invalid_grant');
    const c = await signIn(entra, 'alice@contoso.example');
    expect((await postToken(entra, codeForm(c.code, c.verifier), {})).body.error_codes).toEqual([9002327]);
  });

  it('refreshes tokens with the refresh_token grant, for the API or for Graph', async () => {
    const { code, verifier } = await signIn(entra, 'alice@contoso.example');
    const first = await postToken(entra, codeForm(code, verifier));
    const refresh = (scope: string, token: unknown) =>
      postToken(entra, {
        grant_type: 'refresh_token',
        client_id: entra.clientId,
        refresh_token: String(token),
        scope,
        client_info: '1',
      });
    const api = await refresh(`api://${entra.clientId}/UserProfile.ReadWrite openid offline_access`, first.body.refresh_token);
    expect(api.status).toBe(200);
    expect(api.body.refresh_token).not.toBe(first.body.refresh_token);
    expect(decodeJwt(String(api.body.access_token)).oid).toBe(entra.users.password.oid);
    const graph = await refresh('User.Read openid profile offline_access', api.body.refresh_token);
    expect(decodeJwt(String(graph.body.access_token))).toMatchObject({ aud: GRAPH_APP_ID, ver: '1.0' });
    expect((await refresh('openid', 'not-a-refresh-token')).body.error).toBe('invalid_grant');
  });

  it('issues a Graph token when no scope of the ICE API is requested, as Entra does', async () => {
    const { code, verifier } = await signIn(entra, 'alice@contoso.example', 'openid profile offline_access');
    const { body } = await postToken(entra, codeForm(code, verifier, { scope: 'openid profile offline_access' }));
    const claims = decodeJwt(String(body.access_token));
    expect(claims.aud).toBe(GRAPH_APP_ID);
    expect(claims).not.toHaveProperty('groups');
    expect(String(body.scope).split(' ')).toContain('User.Read');
  });

  it('issues v2 API tokens to a guest, signed in by their home sign-in name, when the API accepts v2', async () => {
    entra.apiTokenVersion = 2;
    try {
      const { code, verifier } = await signIn(entra, 'bob@fabrikam.example');
      const { body } = await postToken(entra, codeForm(code, verifier));
      const claims = decodeJwt(String(body.access_token));
      expect(claims).toMatchObject({
        ver: '2.0',
        aud: entra.clientId,
        tid: DEMO_TENANT_ID,
        oid: entra.users.guest.oid,
        idp: `${entra.origin}/${OTHER_TENANT_ID}/`,
      });
      // MSAL's home account of a guest is their home tenant object.
      expect(JSON.parse(Buffer.from(String(body.client_info), 'base64url').toString())).toEqual({ uid: entra.users.guest.home.oid, utid: OTHER_TENANT_ID });
    } finally {
      entra.apiTokenVersion = 1;
    }
  });
});

describe('authorize endpoint', () => {
  const base = () => ({
    client_id: entra.clientId,
    response_type: 'code',
    redirect_uri: SPA_REDIRECT,
    scope: 'openid',
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
  });

  it('renders an accessible account picker naming the app and every user of the tenant', async () => {
    const response = await authorize(entra, base());
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1 id="title">Sign in</h1>');
    expect(html).toContain('ICE Server');
    expect(html).toContain('aria-label="Sign in as Alice Andersen, alice@contoso.example"');
    expect(html).toContain('bob@fabrikam.example');
    expect(html).not.toContain('frank@fabrikam.example');
  });

  it('issues a code for the account chosen on the page', async () => {
    const form = new URLSearchParams({ ...base(), state: 'picked', dev_entra_user: 'auditor' });
    const response = await fetch(`${entra.origin}/${DEMO_TENANT_ID}/oauth2/v2.0/authorize`, { method: 'POST', body: form, redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(replyParams(response).get('state')).toBe('picked');
    expect(response.headers.get('set-cookie')).toContain('dev_entra_session=auditor');
  });

  it('answers prompt=none without a hint or session with login_required', async () => {
    const params = replyParams(await authorize(entra, { ...base(), prompt: 'none', state: 'silent' }));
    expect(params.get('error')).toBe('login_required');
    expect(params.get('error_description')).toMatch(/^AADSTS50058/);
    expect(params.get('state')).toBe('silent');
  });

  it('signs in silently from the session cookie', async () => {
    const response = await authorize(entra, { ...base(), prompt: 'none' }, DEMO_TENANT_ID, 'dev_entra_session=admin');
    expect(replyParams(response).get('code')).toBeTruthy();
  });

  it('treats a domain_hint of the directory as Seamless SSO from a domain-joined PC', async () => {
    const { code_challenge: _c, ...rest } = base();
    const { verifier, challenge } = pkcePair();
    const response = await authorize(entra, { ...rest, code_challenge: challenge, domain_hint: 'contoso.example', scope: `api://${entra.clientId}/.default` });
    const code = replyParams(response).get('code') ?? '';
    const { body } = await postToken(entra, {
      grant_type: 'authorization_code',
      client_id: entra.clientId,
      code,
      redirect_uri: SPA_REDIRECT,
      code_verifier: verifier,
    });
    expect(decodeJwt(String(body.access_token))).toMatchObject({ amr: ['wia'], oid: entra.users.seamless.oid });
  });

  it('replies in the fragment or as a form post when asked', async () => {
    const fragment = await authorize(entra, { ...base(), login_hint: 'alice@contoso.example', response_mode: 'fragment' });
    expect(fragment.headers.get('location')).toMatch(new RegExp(`^${SPA_REDIRECT}#code=`));
    const post = await authorize(entra, { ...base(), login_hint: 'alice@contoso.example', response_mode: 'form_post' });
    const html = await post.text();
    expect(html).toContain(`action="${SPA_REDIRECT}"`);
    expect(html).toContain('name="code"');
  });

  it('requires PKCE on SPA redirect URIs', async () => {
    const { code_challenge: _c, code_challenge_method: _m, ...noPkce } = base();
    const params = replyParams(await authorize(entra, { ...noPkce, login_hint: 'alice@contoso.example' }));
    expect(params.get('error')).toBe('invalid_request');
    expect(params.get('error_description')).toMatch(/^AADSTS9002325/);
  });

  it('shows an error page, never a redirect, for an unregistered redirect URI or unknown client', async () => {
    for (const redirect_uri of ['https://evil.example/sso', 'http://localhost:3000/elsewhere', 'http://localhost.evil.example/sso']) {
      const response = await authorize(entra, { ...base(), redirect_uri });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('AADSTS50011');
    }
    const unknown = await authorize(entra, { ...base(), client_id: '11111111-2222-3333-4444-555555555555' });
    expect(await unknown.text()).toContain('AADSTS700016');
  });

  it('accepts the native-client redirect without PKCE, for the mobile app', async () => {
    const response = await authorize(entra, {
      client_id: OTHER_CLIENT_ID,
      response_type: 'code',
      redirect_uri: `${entra.origin}/common/oauth2/nativeclient`,
      scope: `api://${entra.clientId}/UserProfile.ReadWrite`,
      login_hint: 'pat@contoso.example',
    });
    const code = replyParams(response).get('code') ?? '';
    const { body } = await postToken(
      entra,
      { grant_type: 'authorization_code', client_id: OTHER_CLIENT_ID, code, redirect_uri: `${entra.origin}/common/oauth2/nativeclient` },
      {},
    );
    expect(decodeJwt(String(body.access_token))).toMatchObject({ appid: OTHER_CLIENT_ID, aud: `api://${entra.clientId}` });
    expect(body).not.toHaveProperty('refresh_token');
  });

  it('logs out to a loopback post_logout_redirect_uri and clears the session', async () => {
    const response = await fetch(`${entra.origin}/${DEMO_TENANT_ID}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent(`${BROWSER_ORIGIN}/`)}`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${BROWSER_ORIGIN}/`);
    expect(response.headers.get('set-cookie')).toContain('Max-Age=0');
    const elsewhere = await fetch(`${entra.origin}/${DEMO_TENANT_ID}/oauth2/v2.0/logout?post_logout_redirect_uri=https://evil.example/`, {
      redirect: 'manual',
    });
    expect(elsewhere.status).toBe(200);
  });
});
