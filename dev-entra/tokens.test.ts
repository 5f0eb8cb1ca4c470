import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_IDS } from './groups';
import { ADMIN_ROLE, DEMO_CLIENT_ID, DEMO_TENANT_ID, GRAPH_APP_ID, OTHER_CLIENT_ID, OTHER_TENANT_ID } from './ids';
import { startEntraEmulator } from './server';
import type { EntraEmulator } from './server';

let entra: EntraEmulator;
beforeAll(async () => {
  entra = await startEntraEmulator();
});
afterAll(async () => {
  await entra.stop();
});

/** Validates the way an unchanged relying party does: discovery first, then its jwks_uri and issuer. */
async function verifyLikeARelyingParty(token: string, version: 1 | 2, audience: string): Promise<JWTPayload> {
  const path = version === 2 ? 'v2.0/.well-known/openid-configuration' : '.well-known/openid-configuration';
  const discovery = (await (await fetch(`${entra.origin}/${DEMO_TENANT_ID}/${path}`)).json()) as { issuer: string; jwks_uri: string };
  const keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
  const { payload } = await jwtVerify(token, keys, { issuer: discovery.issuer, audience, algorithms: ['RS256'] });
  return payload;
}

describe('minted access tokens', () => {
  it('verifies a v1 token against the v1 discovery document, with v1 claims', async () => {
    const token = await entra.mintAccessToken({ version: 1 });
    const claims = await verifyLikeARelyingParty(token, 1, `api://${DEMO_CLIENT_ID}`);
    const user = entra.users.password;
    expect(claims).toMatchObject({
      ver: '1.0',
      iss: `${entra.origin}/${DEMO_TENANT_ID}/`,
      tid: DEMO_TENANT_ID,
      oid: user.oid,
      amr: ['pwd'],
      appid: DEMO_CLIENT_ID,
      appidacr: '0',
      scp: 'UserProfile.ReadWrite',
      upn: user.upn,
      unique_name: user.upn,
      name: user.displayName,
      given_name: 'Alice',
      family_name: 'Andersen',
      groups: [GROUP_IDS.dispatch],
    });
    for (const claim of ['uti', 'rh', 'sub', 'ipaddr', 'aio']) expect(typeof claims[claim]).toBe('string');
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims).not.toHaveProperty('azp');
    expect(decodeProtectedHeader(token)).toEqual({ typ: 'JWT', alg: 'RS256', x5t: entra.currentKid, kid: entra.currentKid });
  });

  it('verifies a v2 token against the v2 discovery document, with v2 claims and no amr', async () => {
    const token = await entra.mintAccessToken({ version: 2, user: 'admin' });
    const claims = await verifyLikeARelyingParty(token, 2, DEMO_CLIENT_ID);
    expect(claims).toMatchObject({
      ver: '2.0',
      iss: `${entra.origin}/${DEMO_TENANT_ID}/v2.0`,
      azp: DEMO_CLIENT_ID,
      azpacr: '0',
      preferred_username: entra.users.admin.upn,
      roles: [ADMIN_ROLE],
      scp: 'UserProfile.ReadWrite',
    });
    for (const v1Only of ['amr', 'appid', 'upn', 'unique_name', 'ipaddr', 'given_name']) expect(claims).not.toHaveProperty(v1Only);
    expect(decodeProtectedHeader(token)).toEqual({ typ: 'JWT', alg: 'RS256', kid: entra.currentKid });
  });

  it('follows the configured API token version by default', async () => {
    entra.apiTokenVersion = 2;
    try {
      expect(decodeJwt(await entra.mintAccessToken()).ver).toBe('2.0');
    } finally {
      entra.apiTokenVersion = 1;
    }
    expect(decodeJwt(await entra.mintAccessToken()).aud).toBe(`api://${DEMO_CLIENT_ID}`);
  });

  it('replaces groups with an overage pointer above 200 groups, per version', async () => {
    const v1 = decodeJwt(await entra.mintAccessToken({ user: 'overage', version: 1 }));
    const oid = entra.users.overage.oid;
    expect(v1).not.toHaveProperty('groups');
    expect(v1._claim_names).toEqual({ groups: 'src1' });
    expect(v1._claim_sources).toEqual({ src1: { endpoint: `https://graph.windows.net/${DEMO_TENANT_ID}/users/${oid}/getMemberObjects` } });
    const v2 = decodeJwt(await entra.mintAccessToken({ user: 'overage', version: 2 }));
    expect(v2._claim_sources).toEqual({ src1: { endpoint: `https://graph.microsoft.com/v1.0/users/${oid}/getMemberObjects` } });
    const forced = decodeJwt(await entra.mintAccessToken({ user: 'plain', groups: 'overage' }));
    expect(forced._claim_names).toEqual({ groups: 'src1' });
  });

  it('describes a guest with the resource tenant, the guest object and the home tenant as idp', async () => {
    const guest = entra.users.guest;
    const v1 = decodeJwt(await entra.mintAccessToken({ user: 'guest', version: 1 }));
    expect(v1).toMatchObject({
      tid: DEMO_TENANT_ID,
      oid: guest.oid,
      idp: `${entra.origin}/${OTHER_TENANT_ID}/`,
      acct: 1,
      unique_name: 'bob@fabrikam.example',
      email: 'bob@fabrikam.example',
    });
    expect(v1).not.toHaveProperty('upn');
    const v2 = decodeJwt(await entra.mintAccessToken({ user: 'guest', version: 2 }));
    expect(v2).toMatchObject({ tid: DEMO_TENANT_ID, idp: `${entra.origin}/${OTHER_TENANT_ID}/`, acct: 1, preferred_username: 'bob@fabrikam.example' });
    expect(decodeJwt(await entra.mintAccessToken()).acct).toBe(0);
  });

  it('carries the amr of each sign-in method', async () => {
    const amr = async (user: string) => decodeJwt(await entra.mintAccessToken({ user, version: 1 })).amr;
    expect(await amr('mfa')).toEqual(['pwd', 'mfa']);
    expect(await amr('seamless')).toEqual(['wia']);
  });

  it('applies overrides: tenant, audience, claims, omissions, header and times', async () => {
    const token = await entra.mintAccessToken({
      tenantId: OTHER_TENANT_ID,
      audience: GRAPH_APP_ID,
      clientId: OTHER_CLIENT_ID,
      scopes: ['User.Read'],
      claims: { extra: 'x', name: 'Renamed' },
      omitClaims: ['oid'],
      header: { jku: 'https://evil.example/keys' },
      expiresInSeconds: -60,
      notBeforeSeconds: -120,
      issuedAtSeconds: -120,
    });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      tid: OTHER_TENANT_ID,
      iss: `${entra.origin}/${OTHER_TENANT_ID}/`,
      aud: GRAPH_APP_ID,
      appid: OTHER_CLIENT_ID,
      scp: 'User.Read',
      extra: 'x',
      name: 'Renamed',
    });
    expect(claims).not.toHaveProperty('oid');
    expect(claims).not.toHaveProperty('groups');
    expect(claims.exp).toBeLessThan(Date.now() / 1000);
    expect(decodeProtectedHeader(token).jku).toBe('https://evil.example/keys');
    await expect(verifyLikeARelyingParty(token, 1, GRAPH_APP_ID)).rejects.toThrow();
  });

  it('rejects an unknown demo user', async () => {
    await expect(entra.mintAccessToken({ user: 'nobody' })).rejects.toThrow(/unknown demo user/);
  });
});

describe('minted ID tokens', () => {
  it('are v2 tokens for the client, with nonce, roles and email', async () => {
    const token = await entra.mintIdToken({ user: 'admin', nonce: 'n-123' });
    const claims = await verifyLikeARelyingParty(token, 2, DEMO_CLIENT_ID);
    expect(claims).toMatchObject({
      ver: '2.0',
      aud: DEMO_CLIENT_ID,
      nonce: 'n-123',
      tid: DEMO_TENANT_ID,
      oid: entra.users.admin.oid,
      name: 'Adele Vance',
      preferred_username: 'adele@contoso.example',
      email: 'adele@contoso.example',
      roles: [ADMIN_ROLE],
    });
    expect(claims).not.toHaveProperty('scp');
  });

  it('use a pairwise sub: one user, two apps, two subjects', async () => {
    const a = decodeJwt(await entra.mintIdToken({ clientId: DEMO_CLIENT_ID }));
    const b = decodeJwt(await entra.mintIdToken({ clientId: OTHER_CLIENT_ID }));
    expect(a.oid).toBe(b.oid);
    expect(a.sub).not.toBe(b.sub);
    expect(b).not.toHaveProperty('groups');
  });
});

describe('attack tokens', () => {
  const payload = () => ({ iss: `${entra.origin}/${DEMO_TENANT_ID}/`, aud: `api://${DEMO_CLIENT_ID}`, exp: Math.floor(Date.now() / 1000) + 600 });

  it('builds an unsecured token that no relying party accepts', async () => {
    const token = await entra.signRaw({}, payload(), 'none');
    expect(token.endsWith('.')).toBe(true);
    expect(decodeProtectedHeader(token).alg).toBe('none');
    await expect(verifyLikeARelyingParty(token, 1, `api://${DEMO_CLIENT_ID}`)).rejects.toThrow();
  });

  it('builds an HS256 token keyed with the public key, refused by an RS256-only validator', async () => {
    const token = await entra.signRaw({}, payload(), 'HS256-with-public-key');
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'HS256', kid: entra.currentKid });
    await expect(verifyLikeARelyingParty(token, 1, `api://${DEMO_CLIENT_ID}`)).rejects.toThrow();
  });

  it('signs arbitrary JSON with the real key when asked for RS256', async () => {
    const token = await entra.signRaw({ crit: ['exp'] }, payload(), 'RS256');
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: entra.currentKid, crit: ['exp'] });
    const plain = await entra.signRaw({}, payload(), 'RS256');
    await expect(verifyLikeARelyingParty(plain, 1, `api://${DEMO_CLIENT_ID}`)).resolves.toMatchObject({ aud: `api://${DEMO_CLIENT_ID}` });
  });

  it('signs with an unpublished key, under its own kid or a published one', async () => {
    const own = await entra.mintAccessToken({ signWith: 'unpublished' });
    expect(decodeProtectedHeader(own).kid).not.toBe(entra.currentKid);
    await expect(verifyLikeARelyingParty(own, 1, `api://${DEMO_CLIENT_ID}`)).rejects.toThrow(/no applicable key/);
    const borrowed = await entra.mintAccessToken({ signWith: 'unpublished', kid: entra.currentKid });
    await expect(verifyLikeARelyingParty(borrowed, 1, `api://${DEMO_CLIENT_ID}`)).rejects.toThrow(/signature verification failed/);
  });
});
