import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { DEMO_CLIENT_ID, OTHER_CLIENT_ID, OTHER_TENANT_ID } from '@/dev-entra';
import { startKeySetProxy, type KeySetProxy, type OwnKey } from '@/test/support/key-set-proxy';
import { useValidatorFixture } from '@/test/support/validator-fixture';
import { MAX_TOKEN_LENGTH } from './validate';

/**
 * One block per rule of docs/contract.md's "The validator": each near-miss token differs from an
 * accepted one only in what that rule checks, and the refusal's reason code is exact.
 */
describe('the validator, rule by rule, against near-miss tokens', () => {
  const f = useValidatorFixture();
  const v1Issuer = () => `${f.entra.origin}/${f.entra.tenantId}/`;
  const v2Issuer = () => `${f.entra.origin}/${f.entra.tenantId}/v2.0`;

  describe('a valid token, as the baseline of every near miss', () => {
    it('accepts a v1 access token for the ICE API and names its subject, version and key', async () => {
      const ok = await f.accept(await f.entra.mintAccessToken({ version: 1 }));
      expect(ok.subject).toMatchObject({ tenantId: f.entra.tenantId, objectId: f.entra.users.password.oid, tokenVersion: '1.0' });
      expect(ok.kid).toBe(f.entra.currentKid);
      expect(ok.claims.iss).toBe(v1Issuer());
    });
    it('accepts a v2 access token for the ICE API', async () => {
      const ok = await f.accept(await f.entra.mintAccessToken({ version: 2, user: 'mfa' }));
      expect(ok.subject).toMatchObject({ objectId: f.entra.users.mfa.oid, tokenVersion: '2.0' });
      expect(ok.claims.iss).toBe(v2Issuer());
    });
    it('derives the version from the issuer when the token has no ver claim', async () => {
      expect((await f.accept(await f.entra.mintAccessToken({ version: 2, omitClaims: ['ver'] }))).subject.tokenVersion).toBe('2.0');
      expect((await f.accept(await f.entra.mintAccessToken({ version: 1, omitClaims: ['ver'] }))).subject.tokenVersion).toBe('1.0');
    });
  });

  describe('the token shape', () => {
    it('refuses a token longer than any Entra token as malformed_token', async () => {
      const r = await f.refusal(`${'a'.repeat(MAX_TOKEN_LENGTH)}.b.c`);
      expect(r.reason).toBe('malformed_token');
      expect(r.detail).toMatch(/longer/);
    });
    it('accepts a token of exactly the longest length', async () => {
      const base = (await f.entra.mintAccessToken({ claims: { pad: '' }, header: { pad: '' } })).length;
      let padded: string | undefined;
      // base64url grows in steps of 4/3: a header pad and a payload pad reach every length
      for (let h = 0; h < 3 && !padded; h++) {
        for (let n = Math.floor(((MAX_TOKEN_LENGTH - base) * 3) / 4) - 4; n < Math.floor(((MAX_TOKEN_LENGTH - base) * 3) / 4) + 4; n++) {
          const t = await f.entra.mintAccessToken({ claims: { pad: 'x'.repeat(n - h) }, header: { pad: 'y'.repeat(h) } });
          if (t.length === MAX_TOKEN_LENGTH) {
            padded = t;
            break;
          }
        }
      }
      expect(padded?.length).toBe(MAX_TOKEN_LENGTH);
      expect(await f.verdict(padded!)).toBe('accepted');
      expect(await f.verdict(`${padded!}x`)).toBe('malformed_token');
    });
    it('refuses two or four parts, and parts that are not base64url JSON, as malformed_token', async () => {
      const [h, p, s] = (await f.entra.mintAccessToken()).split('.');
      expect((await f.refusal(`${h}.${p}`)).detail).toMatch(/three/);
      expect(await f.verdict(`${h}.${p}.${s}.${s}`)).toBe('malformed_token');
      expect((await f.refusal(`${h}.!!!.${s}`)).detail).toMatch(/base64url/);
      expect(await f.verdict(`!!!.${p}.${s}`)).toBe('malformed_token');
    });
    it('refuses a token when SSO is disabled or incomplete, before reading it', async () => {
      const token = await f.entra.mintAccessToken();
      expect(await f.verdict(token, { enabled: false })).toBe('sso_not_configured');
      expect(await f.verdict('garbage', { enabled: false })).toBe('sso_not_configured');
      expect(await f.verdict(token, { enabled: false, authorityHost: null })).toBe('sso_not_configured');
    });
  });

  describe('alg: RS256 only', () => {
    it('refuses alg none (empty signature) as unsupported_alg', async () => {
      const claims = await f.claimsOf();
      const r = await f.refusal(await f.entra.signRaw({}, claims, 'none'));
      expect(r.reason).toBe('unsupported_alg');
      expect(r.detail).toBe('The token says alg "none".');
    });
    it('refuses HS256 keyed with the published public key (key confusion) as unsupported_alg', async () => {
      const r = await f.refusal(await f.entra.signRaw({}, await f.claimsOf(), 'HS256-with-public-key'));
      expect(r.reason).toBe('unsupported_alg');
      expect(r.detail).toBe('The token says alg "HS256".');
    });
    it('refuses a token whose header has no alg as unsupported_alg', async () => {
      const [, p, s] = (await f.entra.mintAccessToken()).split('.');
      const header = Buffer.from(JSON.stringify({ typ: 'JWT', kid: f.entra.currentKid })).toString('base64url');
      expect(await f.verdict(`${header}.${p}.${s}`)).toBe('unsupported_alg');
    });
  });

  describe('kid and signature', () => {
    it('refuses a token without kid, or with an empty one, as unknown_key', async () => {
      const r = await f.refusal(await f.entra.mintAccessToken({ omitHeader: ['kid', 'x5t'] }));
      expect(r.reason).toBe('unknown_key');
      expect(r.detail).toMatch(/names no signing key/);
      expect((await f.refusal(await f.entra.mintAccessToken({ kid: '' }))).detail).toBe('The token names no signing key (kid).');
      expect(await f.verdict(await f.entra.signRaw({ kid: 42 }, await f.claimsOf(), 'RS256'))).toBe('unknown_key');
    });
    it('refuses a token signed by a key in no key set as unknown_key, naming the kid', async () => {
      const r = await f.refusal(await f.entra.mintAccessToken({ signWith: 'unpublished' }));
      expect(r.reason).toBe('unknown_key');
      expect(r.detail).toContain('No published key has kid');
      const long = await f.refusal(await f.entra.mintAccessToken({ signWith: 'unpublished', kid: 'k'.repeat(100) }));
      expect(long.detail).toBe(`No published key has kid "${'k'.repeat(64)}".`);
    });
    it('refuses a header with a critical extension it does not know as malformed_token', async () => {
      const r = await f.refusal(await f.entra.signRaw({ crit: ['urn:x'], 'urn:x': 1 }, await f.claimsOf(), 'RS256'));
      expect(r.reason).toBe('malformed_token');
      expect(r.detail).toBeUndefined();
    });
    it('refuses a published kid over a signature by another key as bad_signature', async () => {
      expect(await f.verdict(await f.entra.mintAccessToken({ signWith: 'unpublished', kid: f.entra.currentKid }))).toBe('bad_signature');
    });
    it('refuses a payload changed after signing as bad_signature', async () => {
      const [h, , s] = (await f.entra.mintAccessToken()).split('.');
      const p = Buffer.from(JSON.stringify({ ...(await f.claimsOf()), name: 'Mallory' })).toString('base64url');
      expect(await f.verdict(`${h}.${p}.${s}`)).toBe('bad_signature');
    });
  });

  describe('iss: the v1 or v2 issuer of the configured tenant', () => {
    const near: Array<[string, (tid: string, origin: string) => string]> = [
      ['the v1 issuer of another tenant', (_t, o) => `${o}/${OTHER_TENANT_ID}/`],
      ['the v2 issuer of another tenant', (_t, o) => `${o}/${OTHER_TENANT_ID}/v2.0`],
      ['the v1 issuer without its trailing slash', (t, o) => `${o}/${t}`],
      ['the v2 issuer with a trailing slash', (t, o) => `${o}/${t}/v2.0/`],
      ['the multi-tenant template itself', (_t, o) => `${o}/{tenantid}/v2.0`],
      ['the tenant on public Entra instead of the configured authority', (t) => `https://sts.windows.net/${t}/`],
    ];
    it.each(near)('refuses a token whose iss is %s as issuer_mismatch', async (_name, iss) => {
      for (const version of [1, 2] as const) {
        expect(await f.verdict(await f.entra.mintAccessToken({ version, claims: { iss: iss(f.entra.tenantId, f.entra.origin) } }))).toBe('issuer_mismatch');
      }
    });
    it('accepts either issuer of the tenant on either token version (v1/v2 mix-ups are the issuer list, not a rule)', async () => {
      expect(await f.verdict(await f.entra.mintAccessToken({ version: 1, claims: { iss: v2Issuer() } }))).toBe('accepted');
      expect(await f.verdict(await f.entra.mintAccessToken({ version: 2, claims: { iss: v1Issuer() } }))).toBe('accepted');
    });
    it('refuses a token without iss, or with a non-string iss, as issuer_mismatch', async () => {
      expect(await f.verdict(await f.entra.mintAccessToken({ omitClaims: ['iss'] }))).toBe('issuer_mismatch');
      expect(await f.verdict(await f.entra.signRaw({}, { ...(await f.claimsOf()), iss: [v1Issuer()] }, 'RS256'))).toBe('issuer_mismatch');
    });
  });

  describe('tid: the configured tenant', () => {
    it('refuses a token of another tenant that carries our issuer as tenant_mismatch', async () => {
      const r = await f.refusal(await f.entra.mintAccessToken({ claims: { tid: OTHER_TENANT_ID } }));
      expect(r.reason).toBe('tenant_mismatch');
      expect(r.detail).toContain(OTHER_TENANT_ID);
    });
    it('refuses a token issued by another tenant (tid and iss) as tenant_mismatch', async () => {
      expect(await f.verdict(await f.entra.mintAccessToken({ tenantId: OTHER_TENANT_ID }))).toBe('tenant_mismatch');
    });
  });

  describe('aud: the configured audience or the client ID', () => {
    it('refuses aud api://<another app> as audience_mismatch, on v1 and v2 tokens', async () => {
      for (const version of [1, 2] as const) {
        expect(await f.verdict(await f.entra.mintAccessToken({ version, audience: `api://${OTHER_CLIENT_ID}` }))).toBe('audience_mismatch');
      }
    });
    it('refuses near spellings of the audience as audience_mismatch', async () => {
      const id = f.entra.clientId;
      for (const aud of [`api://${id}/`, `${id}x`, `api://${id}/UserProfile.ReadWrite`, OTHER_CLIENT_ID, 'api://']) {
        expect([aud, await f.verdict(await f.entra.mintAccessToken({ audience: aud }))]).toEqual([aud, 'audience_mismatch']);
      }
    });
    it('accepts the App ID URI and the client ID GUID as audience', async () => {
      expect(await f.verdict(await f.entra.mintAccessToken({ audience: `api://${f.entra.clientId}` }))).toBe('accepted');
      expect(await f.verdict(await f.entra.mintAccessToken({ audience: f.entra.clientId }))).toBe('accepted');
    });
    it('with a custom App ID URI configured, refuses the default api://<clientId> and accepts the configured one', async () => {
      const patch = { audience: 'api://ice.contoso.example', scope: 'api://ice.contoso.example/UserProfile.ReadWrite' };
      expect(await f.verdict(await f.entra.mintAccessToken({ audience: `api://${f.entra.clientId}` }), patch)).toBe('audience_mismatch');
      expect(await f.verdict(await f.entra.mintAccessToken({ audience: 'api://ice.contoso.example' }), patch)).toBe('accepted');
      expect(await f.verdict(await f.entra.mintAccessToken({ audience: f.entra.clientId }), patch)).toBe('accepted');
    });
    it('refuses a token without aud as audience_mismatch, and accepts an aud list naming this server', async () => {
      expect(await f.verdict(await f.entra.mintAccessToken({ omitClaims: ['aud'] }))).toBe('audience_mismatch');
      expect(await f.verdict(await f.entra.mintAccessToken({ claims: { aud: [OTHER_CLIENT_ID] } }))).toBe('audience_mismatch');
      expect(await f.verdict(await f.entra.mintAccessToken({ claims: { aud: [OTHER_CLIENT_ID, f.entra.clientId] } }))).toBe('accepted');
    });
  });

  describe('scp: contains the configured scope name', () => {
    const near = [
      'UserProfile.ReadWriteAll',
      'XUserProfile.ReadWrite',
      'UserProfile.Read',
      'userprofile.readwrite',
      `api://${DEMO_CLIENT_ID}/UserProfile.ReadWrite`,
    ];
    it.each(near)('refuses scp "%s" as missing_scope', async (scope) => {
      expect(await f.verdict(await f.entra.mintAccessToken({ scopes: [scope] }))).toBe('missing_scope');
    });
    it('refuses scp holding the name with extra words glued on as missing_scope', async () => {
      expect(await f.verdict(await f.entra.mintAccessToken({ claims: { scp: 'User.Read,UserProfile.ReadWrite' } }))).toBe('missing_scope');
    });
    it('refuses a token without scp (an ID token or an app-only token) as missing_scope', async () => {
      const r = await f.refusal(await f.entra.mintAccessToken({ scopes: [] }));
      expect(r.reason).toBe('missing_scope');
      expect(await f.verdict(await f.entra.mintIdToken())).toBe('missing_scope');
    });
    it('accepts the scope name among others in a space-separated scp', async () => {
      expect(await f.verdict(await f.entra.mintAccessToken({ scopes: ['User.Read', 'UserProfile.ReadWrite', 'offline_access'] }))).toBe('accepted');
    });
    it('requires the configured scope name, not the default one', async () => {
      const patch = { scope: `api://${f.entra.clientId}/Ptt.Talk` };
      expect(await f.verdict(await f.entra.mintAccessToken(), patch)).toBe('missing_scope');
      expect(await f.verdict(await f.entra.mintAccessToken({ scopes: ['Ptt.Talk'] }), patch)).toBe('accepted');
    });
  });

  describe('azp / appid: an allowed client app', () => {
    it('refuses a v2 token whose azp is another app as client_not_allowed', async () => {
      const r = await f.refusal(await f.entra.mintAccessToken({ version: 2, clientId: OTHER_CLIENT_ID }));
      expect(r.reason).toBe('client_not_allowed');
      expect(r.detail).toContain(OTHER_CLIENT_ID);
    });
    it('refuses a v1 token whose appid is another app as client_not_allowed', async () => {
      expect(await f.verdict(await f.entra.mintAccessToken({ version: 1, clientId: OTHER_CLIENT_ID }))).toBe('client_not_allowed');
    });
    it('accepts another app once it is in the allowed client IDs, and then refuses the default one', async () => {
      const patch = { allowedClientIds: [OTHER_CLIENT_ID] };
      expect(await f.verdict(await f.entra.mintAccessToken({ version: 2, clientId: OTHER_CLIENT_ID }), patch)).toBe('accepted');
      expect(await f.verdict(await f.entra.mintAccessToken({ version: 2 }), patch)).toBe('client_not_allowed');
    });
    it('compares client IDs without regard to case, as GUIDs', async () => {
      expect(await f.verdict(await f.entra.mintAccessToken({ version: 1, clientId: f.entra.clientId.toUpperCase() }))).toBe('accepted');
    });
    it('refuses a token with neither azp nor appid as missing_claim', async () => {
      const r = await f.refusal(await f.entra.mintAccessToken({ version: 2, omitClaims: ['azp'] }));
      expect(r.reason).toBe('missing_claim');
      expect(r.detail).toContain('azp');
      expect((await f.refusal(await f.entra.mintAccessToken({ version: 1, omitClaims: ['appid'] }))).detail).toContain('appid');
    });
  });

  describe('exp / nbf within the clock skew', () => {
    const times = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number; nbf: number };
    it('accepts a token expired 1 s less than the skew ago, refuses one expired 1 s more than the skew ago', async () => {
      const token = await f.entra.mintAccessToken();
      const { exp } = times(token);
      expect(await f.verdict(token, {}, (exp + 300 - 1) * 1000)).toBe('accepted');
      const r = await f.refusal(token, {}, (exp + 300 + 1) * 1000);
      expect(r.reason).toBe('token_expired');
      expect(r.detail).toBe(`It expired at ${new Date(exp * 1000).toISOString()}.`);
    });
    it('accepts a token valid from 1 s less than the skew ahead, refuses one valid from 1 s more ahead', async () => {
      const token = await f.entra.mintAccessToken();
      const { nbf } = times(token);
      expect(await f.verdict(token, {}, (nbf - 300 + 1) * 1000)).toBe('accepted');
      expect(await f.verdict(token, {}, (nbf - 300 - 1) * 1000)).toBe('token_not_yet_valid');
    });
    it('applies the configured skew, not the default one', async () => {
      const token = await f.entra.mintAccessToken();
      const { exp, nbf } = times(token);
      expect(await f.verdict(token, { clockSkewSeconds: 0 }, (exp + 1) * 1000)).toBe('token_expired');
      expect(await f.verdict(token, { clockSkewSeconds: 0 }, (exp - 1) * 1000)).toBe('accepted');
      expect(await f.verdict(token, { clockSkewSeconds: 0 }, (nbf - 1) * 1000)).toBe('token_not_yet_valid');
      expect(await f.verdict(token, { clockSkewSeconds: 900 }, (exp + 899) * 1000)).toBe('accepted');
    });
    it('refuses a token without exp as missing_claim', async () => {
      const r = await f.refusal(await f.entra.mintAccessToken({ omitClaims: ['exp'] }));
      expect(r.reason).toBe('missing_claim');
      expect(r.detail).toBe('The token has no exp claim.');
    });
    it('refuses an exp that is not a number as malformed_token', async () => {
      const r = await f.refusal(await f.entra.signRaw({}, { ...(await f.claimsOf()), exp: 'tomorrow' }, 'RS256'));
      expect(r.reason).toBe('malformed_token');
      expect(r.detail).toBe('Claim exp is invalid.');
    });
    it('uses the current time when none is given', async () => {
      expect(await f.verdict(await f.entra.mintAccessToken({ expiresInSeconds: -400, issuedAtSeconds: -4000 }))).toBe('token_expired');
      expect(await f.verdict(await f.entra.mintAccessToken({ expiresInSeconds: -200, issuedAtSeconds: -4000 }))).toBe('accepted');
    });
  });

  describe('tid and oid are required (a user is (tid, oid))', () => {
    it('refuses a token without oid as missing_claim', async () => {
      const r = await f.refusal(await f.entra.mintAccessToken({ omitClaims: ['oid'] }));
      expect(r.reason).toBe('missing_claim');
      expect(r.detail).toBe('The token has no oid claim.');
    });
    it('refuses a token without tid as missing_claim, before the tenant rule', async () => {
      const r = await f.refusal(await f.entra.mintAccessToken({ omitClaims: ['tid'] }));
      expect(r.reason).toBe('missing_claim');
      expect(r.detail).toBe('The token has no tid claim.');
      expect((await f.refusal(await f.entra.mintAccessToken({ omitClaims: ['tid', 'oid'] }))).detail).toBe('The token has no tid or oid claim.');
    });
    it('refuses an empty oid as missing_claim', async () => {
      expect(await f.verdict(await f.entra.mintAccessToken({ claims: { oid: '' } }))).toBe('missing_claim');
    });
  });
});

describe('signing keys held by the test (a key-set proxy in front of the emulator)', () => {
  const f = useValidatorFixture();
  let proxy: KeySetProxy;
  let own: OwnKey;
  let noTemplate: OwnKey;
  let otherTenantTemplate: OwnKey;
  let otherAuthorityTemplate: OwnKey;
  const via = () => ({ openIdConfUrl: proxy.openIdConfUrl });
  beforeAll(async () => {
    proxy = await startKeySetProxy(f.entra);
    own = await proxy.addOwnKey();
    noTemplate = await proxy.addOwnKey({ issuer: null });
    otherTenantTemplate = await proxy.addOwnKey({ issuer: `${f.entra.origin}/${OTHER_TENANT_ID}/v2.0` });
    otherAuthorityTemplate = await proxy.addOwnKey({ issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0' });
  });
  afterAll(() => proxy?.stop());

  describe('alg RS256 only, with a published key that could verify other algorithms', () => {
    it('accepts RS256 by the published test key (the baseline)', async () => {
      expect(await f.verdict(await own.sign(await f.claimsOf(), 'RS256'), via())).toBe('accepted');
    });
    it.each(['RS512', 'PS256', 'RS384', 'PS512'])('refuses %s signed properly by the same published key as unsupported_alg', async (alg) => {
      const r = await f.refusal(await own.sign(await f.claimsOf(), alg), via());
      expect(r.reason).toBe('unsupported_alg');
      expect(r.detail).toBe(`The token says alg "${alg}".`);
    });
  });

  describe("the signing key's issuer template matches the token's tenant", () => {
    it('accepts a key without template (as v1 key sets publish them)', async () => {
      expect(await f.verdict(await noTemplate.sign(await f.claimsOf({ version: 2 })), via())).toBe('accepted');
    });
    it("refuses a token signed by a key whose template is another tenant's issuer as issuer_mismatch", async () => {
      for (const version of [1, 2] as const) {
        const r = await f.refusal(await otherTenantTemplate.sign(await f.claimsOf({ version })), via());
        expect(r.reason).toBe('issuer_mismatch');
        expect(r.detail).toContain(OTHER_TENANT_ID);
      }
    });
    it("refuses a token signed by a key whose template is another authority's as issuer_mismatch", async () => {
      expect(await f.verdict(await otherAuthorityTemplate.sign(await f.claimsOf({ version: 2 })), via())).toBe('issuer_mismatch');
    });
    it("compares a v1 token's key template with the tenant's v2 issuer, not with the token's v1 issuer", async () => {
      expect(await f.verdict(await own.sign(await f.claimsOf({ version: 1 })), via())).toBe('accepted');
      expect(await f.verdict(await own.sign(await f.claimsOf({ version: 2 })), via())).toBe('accepted');
    });
    it("refuses an emulator key whose template is rewritten to another tenant's, on the way through", async () => {
      proxy.editKeys = (keys) =>
        keys.map((k) => (k.issuer === `${f.entra.origin}/{tenantid}/v2.0` ? { ...k, issuer: `${f.entra.origin}/${OTHER_TENANT_ID}/v2.0` } : k));
      try {
        // a fresh kid makes the validator read the edited key set
        const kid = await f.entra.addKey({ makeCurrent: true });
        expect(await f.verdict(await f.entra.mintAccessToken({ kid }), via())).toBe('issuer_mismatch');
      } finally {
        proxy.editKeys = null;
      }
    });
  });
});

describe('alg is judged before any key is looked up', () => {
  const f = useValidatorFixture();
  it('refuses RS512 naming an unknown kid with unsupported_alg and no key-set fetch, where RS256 would fetch once', async () => {
    expect(await f.verdict(await f.entra.mintAccessToken())).toBe('accepted');
    const keyFetches = () => f.entra.requests.filter((r) => r.path.endsWith('/keys')).length;
    const before = keyFetches();
    const claims = await f.claimsOf();
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    for (const alg of ['RS512', 'PS256']) {
      const token = await new SignJWT(claims).setProtectedHeader({ alg, kid: `unknown-${alg}` }).sign(privateKey);
      expect(await f.verdict(token)).toBe('unsupported_alg');
    }
    expect(keyFetches()).toBe(before);
    // the same token in RS256 does make the validator look for the key: the count above could move
    expect(await f.verdict(await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'unknown-RS256' }).sign(privateKey))).toBe('unknown_key');
    expect(keyFetches()).toBe(before + 1);
  });
});
