import { describe, expect, it } from 'vitest';
import { openDb } from '@/db/client';
import { changeEvents, settingsVersions } from '@/db/schema';
import type { Actor } from '@/server/audit/changes';
import { tempDbFile } from '@/test/support/tmp';
import { SettingsValidationError, SettingsVersionNotFoundError } from './errors';
import { getSettings, getSettingsVersion, listSettingsVersions, revertSettings, updateSettings } from './service';

const TENANT = '8eaef023-2b34-4da1-9baa-8bc8c9d6a490';
const TENANT2 = '3c1e0b1a-6f8d-4c52-9d2e-7a4b5c6d7e8f';
const CLIENT = '6731de76-14a6-49ae-97bc-6eba6914391e';
const admin: Actor = { kind: 'local', name: 'admin' };

const freshDb = () => openDb(tempDbFile());

function rejection(patch: Record<string, unknown>, seed?: Record<string, unknown>) {
  const db = freshDb();
  if (seed) updateSettings(db, seed, admin);
  const before = db.select().from(settingsVersions).all().length;
  try {
    updateSettings(db, patch, admin);
  } catch (err) {
    expect(err).toBeInstanceOf(SettingsValidationError);
    expect(db.select().from(settingsVersions).all().length).toBe(before);
    return (err as SettingsValidationError).issues;
  }
  throw new Error(`accepted ${JSON.stringify(patch)}`);
}

describe('settings validation', () => {
  const cases: Array<[string, Record<string, unknown>, string, Record<string, unknown>?]> = [
    ['a tenant ID that is not a GUID', { tenantId: 'contoso.onmicrosoft.com' }, 'tenantId'],
    ['a client ID that is not a GUID', { clientId: '1234' }, 'clientId'],
    ['an http:// URL on a public host', { authorizationUrl: 'http://login.example.com/t/oauth2/v2.0/authorize' }, 'authorizationUrl'],
    ['an http:// custom authority that is not loopback', { cloud: 'custom', authorityHost: 'http://idp.example.com' }, 'authorityHost'],
    ['an http:// authority on a public cloud even on loopback', { authorityHost: 'http://127.0.0.1:9000' }, 'authorityHost'],
    ['a scope outside the audience', { clientId: CLIENT, scope: 'api://someone-else/UserProfile.ReadWrite' }, 'scope'],
    ['a scope that is only the audience', { clientId: CLIENT, scope: `api://${CLIENT}/` }, 'scope'],
    ['an unknown key', { tenantID: TENANT }, 'tenantID'],
    ['an empty tenant while enabled', { enabled: true, clientId: CLIENT }, 'tenantId'],
    ['an empty client while enabled', { enabled: true, tenantId: TENANT }, 'clientId'],
    ['a custom cloud without an authority host while enabled', { enabled: true, cloud: 'custom', tenantId: TENANT, clientId: CLIENT }, 'authorityHost'],
    ['an unknown cloud', { cloud: 'mars' }, 'cloud'],
    ['a boolean given as text', { enabled: 'yes' }, 'enabled'],
    ['a clock skew over 15 minutes', { clockSkewSeconds: 5000 }, 'clockSkewSeconds'],
    ['a group ID that is not a GUID', { requiredGroupIds: ['Dispatch'] }, 'requiredGroupIds'],
    ['a URL that does not parse', { openIdConfUrl: 'not a url' }, 'openIdConfUrl'],
    ['a javascript: redirect URL', { redirectUrl: 'javascript:alert(1)' }, 'redirectUrl'],
  ];
  it.each(cases)('rejects %s, naming the field and writing nothing', (_name, patch, field, seed) => {
    const issues = rejection(patch, seed);
    expect(issues.some((i) => i.field === field || i.field.startsWith(`${field}.`))).toBe(true);
    expect(issues.every((i) => i.message.length > 0)).toBe(true);
  });

  it('accepts an http:// custom authority on a loopback address', () => {
    const db = freshDb();
    updateSettings(db, { cloud: 'custom', authorityHost: 'http://127.0.0.1:8080', tenantId: TENANT, clientId: CLIENT, enabled: true }, admin);
    expect(getSettings(db).effective.openIdConfUrl).toBe(`http://127.0.0.1:8080/${TENANT}/v2.0/.well-known/openid-configuration`);
  });

  it('accepts an app-scheme redirect URL for native clients', () => {
    const db = freshDb();
    updateSettings(db, { redirectUrl: 'msauth.com.example.ice://auth' }, admin);
    expect(getSettings(db).effective.redirectUrl).toBe('msauth.com.example.ice://auth');
  });

  it('normalizes GUIDs to lower case and trims trailing slashes from URLs', () => {
    const db = freshDb();
    updateSettings(db, { tenantId: TENANT.toUpperCase(), cloud: 'custom', authorityHost: 'https://idp.example.com/' }, admin);
    const s = getSettings(db).effective;
    expect(s.tenantId).toBe(TENANT);
    expect(s.authorityHost).toBe('https://idp.example.com');
  });
});

describe('derived defaults', () => {
  it.each([
    ['public', 'https://login.microsoftonline.com'],
    ['usgov', 'https://login.microsoftonline.us'],
    ['china', 'https://login.partner.microsoftonline.cn'],
  ])('derive every URL from the %s cloud and the IDs', (cloud, host) => {
    const db = freshDb();
    updateSettings(db, { cloud, tenantId: TENANT, clientId: CLIENT, enabled: true }, admin);
    const s = getSettings(db).effective;
    expect(s).toMatchObject({
      authorityHost: host,
      audience: `api://${CLIENT}`,
      scope: `api://${CLIENT}/UserProfile.ReadWrite`,
      scopeName: 'UserProfile.ReadWrite',
      authorizationUrl: `${host}/${TENANT}/oauth2/v2.0/authorize`,
      tokenUrl: `${host}/${TENANT}/oauth2/v2.0/token`,
      redirectUrl: `${host}/common/oauth2/nativeclient`,
      openIdConfUrl: `${host}/${TENANT}/v2.0/.well-known/openid-configuration`,
      v1OpenIdConfUrl: `${host}/${TENANT}/.well-known/openid-configuration`,
      allowedClientIds: [CLIENT],
    });
    expect(s.derived).toEqual(expect.arrayContaining(['authorityHost', 'audience', 'scope', 'authorizationUrl', 'tokenUrl', 'redirectUrl', 'openIdConfUrl']));
  });

  it('derive from the given host for a custom cloud', () => {
    const db = freshDb();
    updateSettings(db, { cloud: 'custom', authorityHost: 'https://entra.example.net', tenantId: TENANT, clientId: CLIENT }, admin);
    expect(getSettings(db).effective.tokenUrl).toBe(`https://entra.example.net/${TENANT}/oauth2/v2.0/token`);
  });

  it('keep an override across a change of tenant', () => {
    const db = freshDb();
    updateSettings(db, { tenantId: TENANT, clientId: CLIENT, authorizationUrl: 'https://gateway.example.com/authorize' }, admin);
    updateSettings(db, { tenantId: TENANT2 }, admin);
    const s = getSettings(db).effective;
    expect(s.authorizationUrl).toBe('https://gateway.example.com/authorize');
    expect(s.tokenUrl).toBe(`https://login.microsoftonline.com/${TENANT2}/oauth2/v2.0/token`);
    expect(s.derived).not.toContain('authorizationUrl');
  });

  it('keep a derived value derived when it is saved unchanged, so a later tenant change moves it', () => {
    const db = freshDb();
    updateSettings(db, { tenantId: TENANT, clientId: CLIENT }, admin);
    const shown = getSettings(db).effective;
    // the console posts the whole form: derived values come back unchanged
    updateSettings(db, { tokenUrl: shown.tokenUrl, audience: shown.audience, scope: shown.scope, domainHint: 'contoso.com' }, admin);
    updateSettings(db, { tenantId: TENANT2 }, admin);
    const s = getSettings(db).effective;
    expect(s.tokenUrl).toBe(`https://login.microsoftonline.com/${TENANT2}/oauth2/v2.0/token`);
    expect(s.derived).toEqual(expect.arrayContaining(['tokenUrl', 'audience', 'scope']));
  });

  it('keep a derived value derived when the form sends the old value along with a new tenant', () => {
    const db = freshDb();
    updateSettings(db, { tenantId: TENANT, clientId: CLIENT }, admin);
    const shown = getSettings(db).effective;
    updateSettings(db, { tenantId: TENANT2, authorizationUrl: shown.authorizationUrl }, admin);
    expect(getSettings(db).effective.authorizationUrl).toBe(`https://login.microsoftonline.com/${TENANT2}/oauth2/v2.0/authorize`);
  });

  it('reset an override to derived with an empty value', () => {
    const db = freshDb();
    updateSettings(db, { tenantId: TENANT, clientId: CLIENT, audience: 'https://ice.example.com/api' }, admin);
    expect(getSettings(db).effective.scope).toBe('https://ice.example.com/api/UserProfile.ReadWrite');
    updateSettings(db, { audience: '' }, admin);
    expect(getSettings(db).effective.audience).toBe(`api://${CLIENT}`);
  });
});

describe('versions', () => {
  it('save every change as a new version with author, time and comment, never updating a row', () => {
    const db = freshDb();
    expect(getSettings(db).version).toBe(0);
    const v1 = updateSettings(db, { tenantId: TENANT }, admin, 'first');
    const v2 = updateSettings(db, { clientId: CLIENT }, { kind: 'cli', name: 'cli' });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const history = listSettingsVersions(db);
    expect(history.map((v) => [v.version, v.author, v.comment])).toEqual([
      [2, 'cli', null],
      [1, 'admin', 'first'],
    ]);
    expect(getSettingsVersion(db, 1).document.clientId).toBe('');
    expect(history[0]!.createdAt).toBeGreaterThan(Date.now() - 60_000);
  });

  it('revert to an old version by writing a new version equal to it', () => {
    const db = freshDb();
    updateSettings(db, { tenantId: TENANT, clientId: CLIENT, enabled: true }, admin);
    updateSettings(db, { tenantId: TENANT2, domainHint: 'contoso.com' }, admin);
    const reverted = revertSettings(db, 1, admin);
    expect(reverted.version).toBe(3);
    expect(reverted.revertedFrom).toBe(1);
    expect(reverted.document).toEqual(getSettingsVersion(db, 1).document);
    expect(getSettings(db).effective.tenantId).toBe(TENANT);
    expect(listSettingsVersions(db)).toHaveLength(3);
  });

  it('refuse to revert to a version that does not exist', () => {
    const db = freshDb();
    expect(() => revertSettings(db, 7, admin)).toThrow(SettingsVersionNotFoundError);
  });

  it('record each save in the change log with the keys that changed', () => {
    const db = freshDb();
    updateSettings(db, { tenantId: TENANT }, admin, 'set tenant');
    const [event] = db.select().from(changeEvents).all();
    expect(event).toMatchObject({ action: 'settings.update', actor: 'admin', targetType: 'settings', targetId: '1', comment: 'set tenant' });
    expect(JSON.parse(event!.before!)).toEqual({ tenantId: '' });
    expect(JSON.parse(event!.after!)).toEqual({ tenantId: TENANT });
  });

  it('see a version saved by another connection within the recheck interval', () => {
    const file = tempDbFile();
    const a = openDb(file);
    const b = openDb(file);
    expect(getSettings(b).version).toBe(0);
    updateSettings(a, { tenantId: TENANT }, admin);
    expect(getSettings(b, Date.now() + 1000).effective.tenantId).toBe(TENANT);
  });
});
