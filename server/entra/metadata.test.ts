import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';
import { eq } from 'drizzle-orm';
import { discoveryCache } from '@/db/schema';
import { freshProcessState } from '@/test/support/process-state';
import { startKeySetProxy, type KeySetProxy } from '@/test/support/key-set-proxy';
import { useValidatorFixture, type ValidatorFixture } from '@/test/support/validator-fixture';
import { getSigningMaterial, keyHealth, KEY_REFRESH_INTERVAL_MS, refreshSigningMaterial, UNKNOWN_KID_COOLDOWN_MS } from './metadata';

const keyFetches = (f: ValidatorFixture) => f.entra.requests.filter((r) => r.path.endsWith('/keys')).length;
const discoveryFetches = (f: ValidatorFixture) => f.entra.requests.filter((r) => r.path.endsWith('/openid-configuration')).length;
/** A process that starts afresh: the in-memory key cache forgotten, the database kept. */
const forgetCachedKeys = freshProcessState;

afterEach(() => {
  vi.useRealTimers();
});

describe('an unknown kid refreshes the key set at most once per cooldown (30 s)', () => {
  const f = useValidatorFixture();
  it('fetches once for the first unknown kid, not again before 30 s, and once more at 30 s', async () => {
    expect(UNKNOWN_KID_COOLDOWN_MS).toBe(30_000);
    expect(await f.verdict(await f.entra.mintAccessToken())).toBe('accepted');
    const t0 = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: t0 });
    const before = keyFetches(f);
    const unknown = (i: number) => f.entra.mintAccessToken({ signWith: 'unpublished', kid: `unknown-${i}` });
    expect(await f.verdict(await unknown(1))).toBe('unknown_key');
    expect(keyFetches(f)).toBe(before + 1);
    for (let i = 2; i < 8; i++) expect(await f.verdict(await unknown(i))).toBe('unknown_key');
    vi.setSystemTime(t0 + UNKNOWN_KID_COOLDOWN_MS - 1);
    expect(await f.verdict(await unknown(9))).toBe('unknown_key');
    expect(keyFetches(f)).toBe(before + 1);
    vi.setSystemTime(t0 + UNKNOWN_KID_COOLDOWN_MS);
    expect(await f.verdict(await unknown(10))).toBe('unknown_key');
    expect(keyFetches(f)).toBe(before + 2);
  });
  it('finds a key published since the last fetch with that one refresh (rotation), then serves it from memory', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 10 * UNKNOWN_KID_COOLDOWN_MS });
    const kid = await f.entra.addKey({ makeCurrent: true });
    const before = keyFetches(f);
    const discoveryBefore = discoveryFetches(f);
    expect(await f.verdict(await f.entra.mintAccessToken({ kid }))).toBe('accepted');
    expect(await f.verdict(await f.entra.mintAccessToken({ kid, user: 'mfa' }))).toBe('accepted');
    expect(keyFetches(f)).toBe(before + 1);
    // an unknown kid refetches the key set only, not discovery
    expect(discoveryFetches(f)).toBe(discoveryBefore);
  });
  it('shares one fetch among unknown kids arriving together', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 20 * UNKNOWN_KID_COOLDOWN_MS });
    const before = keyFetches(f);
    const tokens = await Promise.all(Array.from({ length: 12 }, (_, i) => f.entra.mintAccessToken({ signWith: 'unpublished', kid: `together-${i}` })));
    expect(new Set(await Promise.all(tokens.map((t) => f.verdict(t))))).toEqual(new Set(['unknown_key']));
    expect(keyFetches(f)).toBe(before + 1);
  });
  it('answers unknown_key (not 503) when the refresh for an unknown kid fails', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 30 * UNKNOWN_KID_COOLDOWN_MS });
    f.entra.setOutage(true);
    try {
      expect(await f.verdict(await f.entra.mintAccessToken({ signWith: 'unpublished', kid: 'during-outage' }))).toBe('unknown_key');
      expect(keyHealth(f.settings()).lastError).toMatch(/HTTP 503/);
      // the keys in memory still serve
      expect(await f.verdict(await f.entra.mintAccessToken())).toBe('accepted');
    } finally {
      f.entra.setOutage(false);
    }
  });
});

describe('jku, x5u, x5c, jwk and kid never lead to a fetch; only the pinned jwks_uri does', () => {
  const f = useValidatorFixture();
  let proxy: KeySetProxy;
  beforeAll(async () => {
    proxy = await startKeySetProxy(f.entra);
  });
  afterAll(() => proxy?.stop());

  it('refuses a token signed by a key of its own, which it names by URL, embeds or chains, as unknown_key, and fetches none of them', async () => {
    expect(await f.verdict(await f.entra.mintAccessToken())).toBe('accepted');
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'attacker' };
    const x5c = [Buffer.from(publicKey.export({ type: 'spki', format: 'der' })).toString('base64')];
    const claims = await f.claimsOf();
    const headers: Record<string, unknown>[] = [
      { kid: 'attacker', jku: proxy.trapUrl },
      { kid: 'attacker', x5u: `${proxy.trapUrl}?x5u` },
      { kid: 'attacker', x5c },
      { kid: 'attacker', jwk },
      { kid: proxy.trapUrl },
      { kid: `${f.entra.origin}/attacker/discovery/v2.0/keys` },
    ];
    const pinned = `/${f.entra.tenantId}/discovery/v2.0/keys`;
    f.entra.clearRequests();
    for (const header of headers) {
      const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...header } as never).sign(privateKey);
      expect([header, await f.verdict(token)]).toEqual([header, 'unknown_key']);
    }
    expect(proxy.hits('/trap')).toBe(0);
    expect(proxy.hits()).toBe(0);
    // the one refresh of this cooldown went to the pinned key set, and nothing else was asked for
    expect(f.entra.requests.map((r) => r.path)).toEqual([pinned]);
  });
  it('accepts a genuine token whatever jku or x5u it carries, still without fetching them', async () => {
    const token = await f.entra.mintAccessToken({ header: { jku: proxy.trapUrl, x5u: proxy.trapUrl } });
    expect(await f.verdict(token)).toBe('accepted');
    expect(proxy.hits()).toBe(0);
  });
});

describe('keys and issuers come from the configured discovery documents', () => {
  const f = useValidatorFixture();
  let proxy: KeySetProxy;
  beforeAll(async () => {
    proxy = await startKeySetProxy(f.entra);
  });
  afterAll(() => proxy?.stop());

  it('fills the {tenantid} template of a multi-tenant document with the configured tenant', async () => {
    const patch = { openIdConfUrl: `${f.entra.origin}/common/v2.0/.well-known/openid-configuration` };
    const material = await getSigningMaterial(f.db, f.settings(patch));
    expect(material.v2Issuer).toBe(`${f.entra.origin}/${f.entra.tenantId}/v2.0`);
    expect(material.v1Issuer).toBe(`${f.entra.origin}/${f.entra.tenantId}/`);
    expect(await f.verdict(await f.entra.mintAccessToken({ version: 2 }), patch)).toBe('accepted');
  });
  it('saves each document it fetched in the database, as fetched', async () => {
    await refreshSigningMaterial(f.db, f.settings());
    const s = f.settings();
    const urls = f.db
      .select({ url: discoveryCache.url })
      .from(discoveryCache)
      .all()
      .map((r) => r.url);
    expect(urls).toEqual(expect.arrayContaining([s.openIdConfUrl, s.v1OpenIdConfUrl, `${f.entra.origin}/${f.entra.tenantId}/discovery/v2.0/keys`]));
    const row = f.db.select().from(discoveryCache).where(eq(discoveryCache.url, s.openIdConfUrl)).get()!;
    expect(JSON.parse(row.body).issuer).toBe(`${f.entra.origin}/${f.entra.tenantId}/v2.0`);
  });
  it('reports its health: source, key IDs, jwks_uri, fetch count and times', async () => {
    const s = f.settings();
    const before = Date.now();
    await refreshSigningMaterial(f.db, s);
    const h = keyHealth(s);
    expect(h).toMatchObject({ openIdConfUrl: s.openIdConfUrl, jwksUri: `${f.entra.origin}/${f.entra.tenantId}/discovery/v2.0/keys`, source: 'network' });
    expect(h.keyIds).toContain(f.entra.currentKid);
    expect(h.lastKeyFetchAt).toBeGreaterThanOrEqual(before);
    expect(h.lastDiscoveryAt).toBeGreaterThanOrEqual(before);
    expect(h.fetches).toBeGreaterThanOrEqual(6);
  });
  it('skips keys it cannot use (not RSA, for encryption, no kid, broken) and keeps the rest', async () => {
    const patch = { openIdConfUrl: proxy.openIdConfUrl };
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ec = { ...(await exportJWK(publicKey)), kid: 'ec-key', use: 'sig' };
    proxy.editKeys = (keys) => [
      ec,
      ...keys.map((k) => ({ ...k, kid: `${k.kid as string}-enc`, use: 'enc' })),
      ...keys.map(({ kid: _kid, ...k }) => k),
      ...keys.map(({ n: _n, ...k }) => ({ ...k, kid: `${k.kid as string}-broken` })),
      ...keys.map(({ issuer: _issuer, ...k }) => ({ ...k, use: undefined, alg: 'RS256', key_ops: ['verify'], x5c: ['bm90IGEgY2VydA'], x5t: 'x' })),
    ];
    try {
      const material = await refreshSigningMaterial(f.db, f.settings(patch));
      expect([...material.keys.keys()]).toEqual([f.entra.currentKid]);
      expect(material.keys.get(f.entra.currentKid)!.issuerTemplate).toBeNull();
      expect(await f.verdict(await f.entra.mintAccessToken(), patch)).toBe('accepted');
    } finally {
      proxy.editKeys = null;
    }
  });
  it('keeps a key with use "sig" and its issuer template', async () => {
    const material = await refreshSigningMaterial(f.db, f.settings({ openIdConfUrl: proxy.openIdConfUrl }));
    expect(material.keys.get(f.entra.currentKid)!.issuerTemplate).toBe(`${f.entra.origin}/{tenantid}/v2.0`);
  });
  it('refuses a key set with no usable key, and a discovery document without jwks_uri or issuer', async () => {
    const patch = { openIdConfUrl: proxy.openIdConfUrl };
    proxy.editKeys = (keys) => keys.map((k) => ({ ...k, kty: 'oct' }));
    try {
      await expect(refreshSigningMaterial(f.db, f.settings(patch))).rejects.toThrow(/no usable RS256 signing keys/);
    } finally {
      proxy.editKeys = null;
    }
    proxy.editKeys = () => [];
    try {
      await expect(refreshSigningMaterial(f.db, f.settings(patch))).rejects.toThrow(/no usable RS256 signing keys/);
    } finally {
      proxy.editKeys = null;
    }
    proxy.editKeys = () => 'nope' as never;
    try {
      await expect(refreshSigningMaterial(f.db, f.settings(patch))).rejects.toThrow(/not a JSON Web Key Set/);
    } finally {
      proxy.editKeys = null;
    }
    const host = { authorityHost: proxy.authorityHost };
    for (const edit of [
      (d: Record<string, unknown>) => ({ ...d, jwks_uri: undefined }),
      (d: Record<string, unknown>) => ({ ...d, issuer: '' }),
      () => 'nope',
    ]) {
      proxy.editDocument = (path, doc) => (path.includes('/v2.0/.well-known') ? edit(doc) : doc);
      try {
        await expect(refreshSigningMaterial(f.db, f.settings(host))).rejects.toThrow(/not an OpenID configuration document/);
        expect(keyHealth(f.settings(host)).lastError).toMatch(/not an OpenID configuration document/);
      } finally {
        proxy.editDocument = null;
      }
    }
  });
  it('still accepts v2 tokens when the v1 document cannot be read, and refuses v1 tokens as issuer_mismatch', async () => {
    const host = { authorityHost: proxy.authorityHost };
    const v1Path = `/${f.entra.tenantId}/.well-known/openid-configuration`;
    proxy.failing = (path) => path === v1Path;
    try {
      const material = await refreshSigningMaterial(f.db, f.settings(host));
      expect(material.v1Issuer).toBeNull();
      expect(await f.verdict(await f.entra.mintAccessToken({ version: 2 }), host)).toBe('accepted');
      expect(await f.verdict(await f.entra.mintAccessToken({ version: 1 }), host)).toBe('issuer_mismatch');
    } finally {
      proxy.failing = null;
    }
    // once the v1 document is back, a refresh brings v1 tokens back
    await refreshSigningMaterial(f.db, f.settings(host));
    expect(await f.verdict(await f.entra.mintAccessToken({ version: 1 }), host)).toBe('accepted');
    // and a later failure of the v1 document keeps the v1 issuer it knew
    proxy.failing = (path) => path === v1Path;
    try {
      expect((await refreshSigningMaterial(f.db, f.settings(host))).v1Issuer).toBe(`${f.entra.origin}/${f.entra.tenantId}/`);
    } finally {
      proxy.failing = null;
    }
  });
});

describe('the first requests after start share one fetch', () => {
  const f = useValidatorFixture();
  it('fetches discovery and keys once for many tokens arriving together', async () => {
    const tokens = await Promise.all(Array.from({ length: 8 }, () => f.entra.mintAccessToken()));
    expect(await Promise.all(tokens.map((t) => f.verdict(t)))).toEqual(Array(8).fill('accepted'));
    expect(discoveryFetches(f)).toBe(2);
    expect(keyFetches(f)).toBe(1);
  });
});

describe('cached keys keep logins working while discovery is unreachable', () => {
  const f = useValidatorFixture();
  it('answers keys_unavailable when nothing was ever fetched and Entra is down', async () => {
    f.entra.setOutage(true);
    try {
      const r = await f.refusal(await f.entra.mintAccessToken());
      expect(r.reason).toBe('keys_unavailable');
      expect(r.detail).toBe('Discovery or the key set could not be fetched and no copy is cached.');
      expect(keyHealth(f.settings()).source).toBeNull();
    } finally {
      f.entra.setOutage(false);
    }
  });
  it('after a restart (or on another instance), accepts v1 and v2 tokens with the fresh copy saved in the database, without a fetch', async () => {
    expect(await f.verdict(await f.entra.mintAccessToken())).toBe('accepted');
    forgetCachedKeys();
    f.entra.setOutage(true);
    const before = discoveryFetches(f) + keyFetches(f);
    try {
      expect(await f.verdict(await f.entra.mintAccessToken({ version: 1 }))).toBe('accepted');
      expect(await f.verdict(await f.entra.mintAccessToken({ version: 2 }))).toBe('accepted');
      const h = keyHealth(f.settings());
      expect(h.source).toBe('database');
      // a copy fetched within the refresh interval (by any instance) is used as it is: N instances, one fetch
      expect(discoveryFetches(f) + keyFetches(f)).toBe(before);
      expect(h.lastError).toBeNull();
    } finally {
      f.entra.setOutage(false);
    }
  });
  it('refreshes a saved copy older than a day in the background at the first request once Entra is back', async () => {
    expect(await f.verdict(await f.entra.mintAccessToken())).toBe('accepted');
    f.db
      .update(discoveryCache)
      .set({ fetchedAt: Date.now() - KEY_REFRESH_INTERVAL_MS - 60_000 })
      .run();
    forgetCachedKeys();
    f.entra.setOutage(true);
    try {
      expect(await f.verdict(await f.entra.mintAccessToken())).toBe('accepted');
    } finally {
      f.entra.setOutage(false);
    }
    const before = discoveryFetches(f);
    expect(await f.verdict(await f.entra.mintAccessToken())).toBe('accepted');
    await vi.waitFor(() => expect(keyHealth(f.settings()).source).toBe('network'));
    expect(discoveryFetches(f)).toBe(before + 2);
  });
  it('answers keys_unavailable after a restart when the database has discovery but not the key set', async () => {
    expect(await f.verdict(await f.entra.mintAccessToken())).toBe('accepted');
    f.db
      .delete(discoveryCache)
      .where(eq(discoveryCache.url, `${f.entra.origin}/${f.entra.tenantId}/discovery/v2.0/keys`))
      .run();
    forgetCachedKeys();
    f.entra.setOutage(true);
    try {
      expect(await f.verdict(await f.entra.mintAccessToken())).toBe('keys_unavailable');
    } finally {
      f.entra.setOutage(false);
    }
  });
  it('after a restart without the v1 document saved, accepts v2 tokens and refuses v1 tokens', async () => {
    expect(await f.verdict(await f.entra.mintAccessToken())).toBe('accepted');
    f.db.delete(discoveryCache).where(eq(discoveryCache.url, f.settings().v1OpenIdConfUrl)).run();
    forgetCachedKeys();
    f.entra.setOutage(true);
    try {
      expect(await f.verdict(await f.entra.mintAccessToken({ version: 2 }))).toBe('accepted');
      expect(await f.verdict(await f.entra.mintAccessToken({ version: 1 }))).toBe('issuer_mismatch');
    } finally {
      f.entra.setOutage(false);
    }
  });
});

describe('keys are refreshed in the background at least once a day', () => {
  const f = useValidatorFixture();
  it('serves keys from memory for 24 h, then refetches discovery and keys without delaying the request', async () => {
    expect(KEY_REFRESH_INTERVAL_MS).toBe(24 * 3600_000);
    expect(await f.verdict(await f.entra.mintAccessToken())).toBe('accepted');
    const fetchedAt = (await getSigningMaterial(f.db, f.settings())).fetchedAt;
    const before = discoveryFetches(f);
    vi.useFakeTimers({ toFake: ['Date'], now: fetchedAt + KEY_REFRESH_INTERVAL_MS });
    expect(await f.verdict(await f.entra.mintAccessToken())).toBe('accepted');
    expect(discoveryFetches(f)).toBe(before);
    vi.setSystemTime(fetchedAt + KEY_REFRESH_INTERVAL_MS + 1);
    expect(await f.verdict(await f.entra.mintAccessToken())).toBe('accepted');
    await vi.waitFor(() => expect(discoveryFetches(f)).toBe(before + 2));
    await vi.waitFor(async () => expect((await getSigningMaterial(f.db, f.settings())).fetchedAt).toBeGreaterThan(fetchedAt));
  });
});
