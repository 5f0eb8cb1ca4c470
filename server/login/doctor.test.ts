import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { OTHER_CLIENT_ID, OTHER_TENANT_ID } from '@/dev-entra';
import { users } from '@/db/schema';
import { claimTokenId } from '@/server/sessions/sessions';
import { seedUser } from '@/server/directory/test-seed';
import { useValidatorFixture } from '@/test/support/validator-fixture';
import { diagnoseToken, type Diagnosis } from './doctor';
import { reasons } from '@/shared/login-reasons';

const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, number>;
// the doctor writes times as `2026-12-01 11:31:00 UTC`
const iso = (s: number) => `${new Date(s * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
const step = (d: Diagnosis, rule: string) => d.steps.find((s) => s.rule === rule);

describe('the token doctor explains each rule of the validator', () => {
  const f = useValidatorFixture();
  const diagnose = (token: string, patch = {}, now?: number) => diagnoseToken(f.db, f.settings(patch), token, now);

  it('explains an accepted v1 access token, rule by rule, in these words', async () => {
    const token = await f.entra.mintAccessToken({ version: 1 });
    const p = payloadOf(token);
    const now = p.iat! * 1000 + 90_000;
    const d = await diagnose(token, {}, now);
    const tid = f.entra.tenantId;
    expect(d.steps).toEqual([
      { rule: 'format', label: 'Format', ok: true, detail: 'A JWT with a readable header and payload.' },
      { rule: 'alg', label: 'Algorithm', ok: true, detail: 'RS256.' },
      { rule: 'key', label: 'Signing key', ok: true, detail: `kid ${f.entra.currentKid} is a published key of the tenant.` },
      { rule: 'signature', label: 'Signature', ok: true, detail: 'Signed by Entra ID.' },
      { rule: 'lifetime', label: 'Lifetime', ok: true, detail: `Valid from ${iso(p.nbf!)} to ${iso(p.exp!)} (59 min left).` },
      { rule: 'claims', label: 'Required claims', ok: true, detail: 'tid and oid are present.' },
      { rule: 'tenant', label: 'Tenant (tid)', ok: true, detail: `Tenant ${tid}.` },
      { rule: 'issuer', label: 'Issuer (iss)', ok: true, detail: `${f.entra.origin}/${tid}/ (v1 issuer of the tenant).` },
      { rule: 'key_issuer', label: 'Signing key issuer', ok: true, detail: `Key issuer ${f.entra.origin}/{tenantid}/v2.0 matches the tenant.` },
      { rule: 'audience', label: 'Audience (aud)', ok: true, detail: `api://${f.entra.clientId} is this server.` },
      { rule: 'scope', label: 'Scope (scp)', ok: true, detail: 'scp contains UserProfile.ReadWrite.' },
      { rule: 'client', label: 'Client app (azp/appid)', ok: true, detail: `${f.entra.clientId} is allowed.` },
      { rule: 'replay', label: 'Replay protection', ok: true, detail: 'Not used for a sign-in yet (checking did not use it).' },
      { rule: 'user', label: 'User', ok: true, detail: 'First sign-in: the user will be created.' },
      { rule: 'groups', label: 'Required groups', ok: true, detail: 'No group is required.' },
    ]);
    expect(d).toMatchObject({ accepted: true, firstFailure: null, tokenVersion: '1.0', looksLike: 'access token' });
    expect(d.header).toMatchObject({ alg: 'RS256', kid: f.entra.currentKid });
    expect(d.payload).toMatchObject({ tid, oid: f.entra.users.password.oid });
  });

  it('explains a v2 token: the v2 issuer and the key issuer template from the v2 key set', async () => {
    const d = await diagnose(await f.entra.mintAccessToken({ version: 2 }));
    expect(d.accepted).toBe(true);
    expect(step(d, 'issuer')!.detail).toBe(`${f.entra.origin}/${f.entra.tenantId}/v2.0 (v2 issuer of the tenant).`);
    expect(d.tokenVersion).toBe('2.0');
  });

  it('reads a pasted "Bearer <token>" with surrounding spaces', async () => {
    expect((await diagnose(`  Bearer ${await f.entra.mintAccessToken()}  `)).accepted).toBe(true);
  });

  it('refuses what is not a JWT at the format step, with nothing decoded', async () => {
    for (const token of ['not a token', 'a.b', `${'a'.repeat(17_000)}.b.c`, 'eyJ.eyJ.x']) {
      const d = await diagnose(token);
      expect(d).toMatchObject({
        header: null,
        payload: null,
        accepted: false,
        looksLike: 'unknown',
        tokenVersion: null,
        firstFailure: { reason: 'malformed_token', message: reasons.malformed_token.message },
      });
      expect(d.steps).toEqual([
        {
          rule: 'format',
          label: 'Format',
          ok: false,
          reason: 'malformed_token',
          detail: 'This is not a JWT: three base64url parts separated by dots.',
          fix: 'Paste the whole access token, without quotes.',
        },
      ]);
    }
  });

  it('says first that SSO is off, and still checks the token when the settings are complete', async () => {
    const d = await diagnose(await f.entra.mintAccessToken(), { enabled: false });
    expect(d.steps[0]).toMatchObject({
      rule: 'settings',
      label: 'SSO settings',
      ok: false,
      reason: 'sso_not_configured',
      detail: 'SSO is disabled or the tenant and client IDs are not set.',
    });
    expect(d.steps[0]!.fix).toBe('Complete and enable the SSO settings first.');
    expect(d.firstFailure!.reason).toBe('sso_not_configured');
    expect(step(d, 'signature')!.ok).toBe(true);
    expect(d.accepted).toBe(false);
  });

  it('stops after the format and algorithm when the settings are incomplete', async () => {
    const d = await diagnose(await f.entra.mintAccessToken(), { enabled: false, authorityHost: null });
    expect(d.steps.map((s) => s.rule)).toEqual(['settings', 'format', 'alg']);
  });

  it('explains an algorithm other than RS256, and leaves the signature unchecked', async () => {
    const d = await diagnose(await f.entra.signRaw({}, payloadOf(await f.entra.mintAccessToken()), 'none'));
    expect(step(d, 'alg')).toEqual({
      rule: 'alg',
      label: 'Algorithm',
      ok: false,
      reason: 'unsupported_alg',
      detail: 'alg is "none"; only RS256 is accepted.',
      fix: 'Entra ID signs with RS256: this token was not issued by Entra ID, or was tampered with.',
    });
    expect(step(d, 'signature')).toEqual({ rule: 'signature', label: 'Signature', ok: null, detail: 'Not checked: no usable key.' });
    expect(d.firstFailure).toEqual({ reason: 'unsupported_alg', message: reasons.unsupported_alg.message });
  });

  it('explains an unknown kid without fetching the key set for it', async () => {
    await diagnose(await f.entra.mintAccessToken());
    const before = f.entra.countRequests();
    const d = await diagnose(await f.entra.mintAccessToken({ signWith: 'unpublished', kid: 'nobody-knows' }));
    expect(step(d, 'key')).toMatchObject({ ok: false, reason: 'unknown_key', detail: 'kid nobody-knows is not among the 1 published keys.' });
    expect(step(d, 'key')!.fix).toContain('rotated out');
    expect(f.entra.countRequests()).toBe(before);
    const none = await diagnose(await f.entra.mintAccessToken({ omitHeader: ['kid', 'x5t'] }));
    expect(step(none, 'key')!.detail).toBe('The token names no key (kid).');
    expect(step(none, 'signature')!.ok).toBeNull();
    // the claim rules still run, with no key: no template to compare
    expect(step(none, 'key_issuer')).toMatchObject({ ok: true, detail: 'The key carries no issuer template.' });
  });

  it('explains a bad signature and leaves the lifetime unchecked', async () => {
    const d = await diagnose(await f.entra.mintAccessToken({ signWith: 'unpublished', kid: f.entra.currentKid }));
    expect(step(d, 'signature')).toMatchObject({ ok: false, reason: 'bad_signature', detail: 'The signature does not verify.' });
    expect(step(d, 'signature')!.fix).toContain('altered');
    expect(step(d, 'lifetime')!.ok).toBeNull();
    expect(step(d, 'lifetime')!.detail).toMatch(/^Not checked \(signature\)\. Valid from /);
  });

  it('explains an expired token with the skew allowed and what the client must do', async () => {
    const token = await f.entra.mintAccessToken();
    const p = payloadOf(token);
    const d = await diagnose(token, {}, (p.exp! + 600) * 1000);
    expect(step(d, 'signature')!.ok).toBe(true);
    expect(step(d, 'lifetime')).toEqual({
      rule: 'lifetime',
      label: 'Lifetime',
      ok: false,
      reason: 'token_expired',
      detail: `Valid from ${iso(p.nbf!)} to ${iso(p.exp!)} (expired 10 min ago). Clock skew allowed: 300 s.`,
      fix: 'The token has expired: the client must acquire a fresh token (MSAL acquireTokenSilent) before calling /api/login.',
    });
  });

  it('explains a token not valid yet, and one without exp', async () => {
    const token = await f.entra.mintAccessToken({ notBeforeSeconds: 3600, issuedAtSeconds: 3600, expiresInSeconds: 7200 });
    const early = step(await diagnose(token), 'lifetime')!;
    expect(early).toMatchObject({ ok: false, reason: 'token_not_yet_valid' });
    expect(early.detail).toContain(iso(payloadOf(token).nbf!));
    expect(early.fix).toContain('clock');
    const noExp = step(await diagnose(await f.entra.mintAccessToken({ omitClaims: ['exp'] })), 'lifetime')!;
    expect(noExp).toMatchObject({ ok: false, reason: 'missing_claim', detail: 'The token has no exp claim.', fix: 'The token lacks a valid exp claim.' });
    const noStart = await f.entra.mintAccessToken({ omitClaims: ['nbf', 'iat'] });
    expect(step(await diagnose(noStart), 'lifetime')!.detail).toMatch(/^Valid from not set to \S+ \S+ UTC \(\d+ min left\)\.$/);
  });

  it('explains why claims fail, with the fix in plain words', async () => {
    const v2 = (o = {}) => f.entra.mintAccessToken({ version: 2, ...o });
    const tenant = step(await diagnose(await v2({ claims: { tid: OTHER_TENANT_ID } })), 'tenant')!;
    expect(tenant).toMatchObject({ ok: false, reason: 'tenant_mismatch', detail: `Token tenant ${OTHER_TENANT_ID}, configured tenant ${f.entra.tenantId}.` });
    expect(tenant.fix).toContain('another directory');
    expect(step(await diagnose(await v2({ omitClaims: ['tid'] })), 'tenant')!.detail).toBe(`Token tenant missing, configured tenant ${f.entra.tenantId}.`);
    const claims = step(await diagnose(await v2({ omitClaims: ['oid'] })), 'claims')!;
    expect(claims).toMatchObject({ ok: false, reason: 'missing_claim', detail: 'The token has no oid claim.' });
    expect(claims.fix).toContain('app-only');
    const iss = step(await diagnose(await v2({ claims: { iss: 'https://evil.example/' } })), 'issuer')!;
    expect(iss.detail).toBe(`Issuer "https://evil.example/" is not "${f.entra.origin}/${f.entra.tenantId}/v2.0" or "${f.entra.origin}/${f.entra.tenantId}/".`);
    expect(iss.fix).toContain('Authority host');
    expect(step(await diagnose(await v2({ omitClaims: ['iss'] })), 'issuer')!.detail).toMatch(/^Issuer "missing" is not/);
    const audV2 = step(await diagnose(await v2({ audience: OTHER_CLIENT_ID })), 'audience')!;
    expect(audV2).toMatchObject({ ok: false, reason: 'audience_mismatch', detail: `Audience is ${OTHER_CLIENT_ID}; expected "${f.entra.clientId}".` });
    expect(audV2.fix).toBe(
      `This is a v2 token: its audience is the client ID. Request the scope api://${f.entra.clientId}/UserProfile.ReadWrite so the token is issued for this API, not for ${OTHER_CLIENT_ID}.`,
    );
    const audV1 = step(await diagnose(await f.entra.mintAccessToken({ version: 1, audience: 'https://graph.microsoft.com' })), 'audience')!;
    expect(audV1.detail).toBe(`Audience is https://graph.microsoft.com; expected "api://${f.entra.clientId}".`);
    expect(audV1.fix).toContain('This is a v1 token');
    expect(step(await diagnose(await v2({ omitClaims: ['aud'] })), 'audience')!.detail).toBe(`Audience is missing; expected "${f.entra.clientId}".`);
    expect(step(await diagnose(await v2({ omitClaims: ['aud'] })), 'audience')!.fix).toContain('not for another API');
    const scp = step(await diagnose(await v2({ scopes: ['User.Read', 'Mail.Read'] })), 'scope')!;
    expect(scp).toMatchObject({ ok: false, reason: 'missing_scope', detail: 'scp is "User.Read Mail.Read", without UserProfile.ReadWrite.' });
    expect(scp.fix).toBe(`Send the access token (not the ID token) acquired for the scope api://${f.entra.clientId}/UserProfile.ReadWrite.`);
    expect(step(await diagnose(await v2({ scopes: [] })), 'scope')!.detail).toContain('no scp claim');
    const client = step(await diagnose(await v2({ clientId: OTHER_CLIENT_ID })), 'client')!;
    expect(client).toMatchObject({
      ok: false,
      reason: 'client_not_allowed',
      detail: `Client app ${OTHER_CLIENT_ID} is not in the allowed client IDs (${f.entra.clientId}).`,
    });
    expect(client.fix).toContain('Allowed client apps');
    const noAzp = step(await diagnose(await v2({ omitClaims: ['azp'] })), 'client')!;
    expect(noAzp).toMatchObject({ ok: false, reason: 'missing_claim', detail: 'The token has no azp claim.', fix: 'Use a token issued to a client app.' });
    expect(step(await diagnose(await f.entra.mintAccessToken({ version: 1, omitClaims: ['appid'] })), 'client')!.detail).toBe('The token has no appid claim.');
  });

  it('tells a used token, and does not use it itself', async () => {
    const token = await f.entra.mintAccessToken({ claims: { uti: 'doctor-uti' } });
    expect(step(await diagnose(token), 'replay')!.ok).toBe(true);
    expect(step(await diagnose(token), 'replay')!.ok).toBe(true);
    claimTokenId(f.db, 'doctor-uti', Date.now() + 3600_000);
    const used = await diagnose(token);
    expect(step(used, 'replay')).toEqual({
      rule: 'replay',
      label: 'Replay protection',
      ok: false,
      reason: 'token_replayed',
      detail: 'This token was already used to sign in.',
      fix: 'Each token signs in once. Acquire a new token.',
    });
    expect(used.firstFailure!.reason).toBe('token_replayed');
    expect(step(await diagnose(token, { replayProtection: false }), 'replay')).toBeUndefined();
    // the login refuses a token without uti while replay protection is on, and so does the doctor
    expect(step(await diagnose(await f.entra.mintAccessToken({ omitClaims: ['uti'] })), 'replay')).toMatchObject({ ok: false, reason: 'missing_claim' });
  });

  it('tells a user disabled on this server', async () => {
    const user = seedUser(f.db, { objectId: f.entra.users.seamless.oid, tenantId: f.entra.tenantId, displayName: 'Diego' });
    const token = await f.entra.mintAccessToken({ user: 'seamless' });
    expect(step(await diagnose(token), 'user')).toMatchObject({ ok: true });
    f.db.update(users).set({ status: 'disabled' }).where(eq(users.id, user.id)).run();
    const d = await diagnose(token);
    expect(step(d, 'user')).toEqual({
      rule: 'user',
      label: 'User',
      ok: false,
      reason: 'user_disabled',
      detail: 'Diego is disabled on this server.',
      fix: 'Enable the user on the Users page if they should sign in.',
    });
    // without oid the user is not looked up
    expect(step(await diagnose(await f.entra.mintAccessToken({ user: 'seamless', omitClaims: ['oid'] })), 'user')).toMatchObject({ ok: true });
    expect(step(await diagnose(await f.entra.mintAccessToken({ user: 'seamless', omitClaims: ['tid'] })), 'user')).toMatchObject({ ok: true });
    expect(d.accepted).toBe(false);
  });

  it('labels each failing step as the accepted ones, and states the token version from the issuer when ver is missing', async () => {
    const labels = new Map([
      ['claims', 'Required claims'],
      ['tenant', 'Tenant (tid)'],
      ['issuer', 'Issuer (iss)'],
      ['audience', 'Audience (aud)'],
      ['scope', 'Scope (scp)'],
      ['client', 'Client app (azp/appid)'],
      ['signature', 'Signature'],
      ['key', 'Signing key'],
      ['replay', 'Replay protection'],
      ['user', 'User'],
      ['settings', 'SSO settings'],
    ]);
    const bad = await diagnose(
      await f.entra.mintAccessToken({
        version: 2,
        omitClaims: ['oid', 'azp', 'ver'],
        claims: { tid: OTHER_TENANT_ID, iss: 'https://evil.example/' },
        audience: OTHER_CLIENT_ID,
        scopes: ['X'],
      }),
      { enabled: false },
    );
    for (const s of bad.steps) if (labels.has(s.rule)) expect([s.rule, s.label]).toEqual([s.rule, labels.get(s.rule)]);
    expect(bad.steps.filter((s) => s.ok === false).map((s) => s.rule)).toEqual([
      'settings',
      'claims',
      'tenant',
      'issuer',
      'key_issuer',
      'audience',
      'scope',
      'client',
    ]);
    for (const s of bad.steps.filter((x) => x.ok === false)) expect([s.rule, s.detail.length > 10, (s.fix ?? '').length > 10]).toEqual([s.rule, true, true]);
    const v2NoVer = await diagnose(await f.entra.mintAccessToken({ version: 2, omitClaims: ['ver'], audience: OTHER_CLIENT_ID }));
    expect(step(v2NoVer, 'audience')!.detail).toBe(`Audience is ${OTHER_CLIENT_ID}; expected "${f.entra.clientId}".`);
    const v1NoVer = await diagnose(await f.entra.mintAccessToken({ version: 1, omitClaims: ['ver', 'appid'], audience: OTHER_CLIENT_ID }));
    expect(step(v1NoVer, 'audience')!.detail).toBe(`Audience is ${OTHER_CLIENT_ID}; expected "api://${f.entra.clientId}".`);
    expect(step(v1NoVer, 'client')!.detail).toBe('The token has no appid claim.');
    const sig = await diagnose(await f.entra.mintAccessToken({ signWith: 'unpublished', kid: f.entra.currentKid }));
    expect(step(sig, 'signature')!.label).toBe('Signature');
    expect(step(sig, 'lifetime')!.label).toBe('Lifetime');
    const longKid = step(await diagnose(await f.entra.mintAccessToken({ signWith: 'unpublished', kid: 'k'.repeat(100) })), 'key')!;
    expect(longKid.detail).toBe(`kid ${'k'.repeat(64)} is not among the 1 published keys.`);
    expect(longKid.label).toBe('Signing key');
    const expired = step(await diagnose(await f.entra.mintAccessToken({ expiresInSeconds: -1200, issuedAtSeconds: -5000 })), 'signature')!;
    expect(expired).toEqual({ rule: 'signature', label: 'Signature', ok: true, detail: 'Signed by Entra ID.' });
    const keyIss = await (async () => {
      const token = await f.entra.mintAccessToken({ claims: { tid: OTHER_TENANT_ID } });
      return step(await diagnose(token), 'key_issuer')!;
    })();
    expect(keyIss).toMatchObject({
      label: 'Signing key issuer',
      ok: false,
      reason: 'issuer_mismatch',
      detail: `The signing key belongs to ${f.entra.origin}/{tenantid}/v2.0.`,
    });
    expect(keyIss.fix).toBe('The token was signed for another issuer; it cannot be used here.');
  });

  it('names what kind of token was pasted', async () => {
    expect((await diagnose(await f.entra.mintIdToken({ nonce: 'n' }))).looksLike).toBe('ID token');
    expect((await diagnose(await f.entra.mintAccessToken({ audience: f.entra.clientId, scopes: [], roles: [] }))).looksLike).toBe('ID token');
    expect((await diagnose(await f.entra.mintAccessToken({ scopes: [], roles: ['IceSso.Admin'] }))).looksLike).toBe('app-only token');
    expect((await diagnose(await f.entra.mintAccessToken({ audience: f.entra.clientId, scopes: [], roles: ['IceSso.Admin'] }))).looksLike).toBe(
      'app-only token',
    );
    expect((await diagnose(await f.entra.mintAccessToken({ scopes: [], roles: [] }))).looksLike).toBe('unknown');
  });
});

// a second emulator, whose keys were never fetched
describe('the token doctor without keys', () => {
  const f = useValidatorFixture();
  it('says the keys cannot be loaded, and stops there', async () => {
    f.entra.setOutage(true);
    try {
      const d = await diagnoseToken(f.db, f.settings(), await f.entra.mintAccessToken());
      expect(d.steps.at(-1)).toEqual({
        rule: 'key',
        label: 'Signing key',
        ok: false,
        reason: 'keys_unavailable',
        detail: 'The tenant keys cannot be loaded.',
        fix: 'Run "Check configuration" on the settings page.',
      });
      expect(d.steps.map((s) => s.rule)).toEqual(['format', 'alg', 'key']);
    } finally {
      f.entra.setOutage(false);
    }
  });
});
