import { describe, expect, it } from 'vitest';
import { useLoginFixture } from '@/test/support/login-fixture';

const keyFetches = (f: ReturnType<typeof useLoginFixture>) => f.entra.requests.filter((r) => r.path.includes('/discovery/') && r.path.endsWith('/keys')).length;

describe('signing keys: rotation and the unknown-kid cooldown', () => {
  const f = useLoginFixture();

  it('accepts a token signed with a newly published key after one refresh', async () => {
    expect((await f.login(await f.entra.mintAccessToken())).status).toBe(200);
    const before = keyFetches(f);
    const kid = await f.entra.addKey({ makeCurrent: true });
    const res = await f.login(await f.entra.mintAccessToken({ kid }));
    expect(res.status).toBe(200);
    expect(keyFetches(f) - before).toBe(1);
    // the new key is cached now: no more fetches
    expect((await f.login(await f.entra.mintAccessToken({ kid }))).status).toBe(200);
    expect(keyFetches(f) - before).toBe(1);
  });

  it('fetches at most once per cooldown for a flood of unknown kids', async () => {
    const before = f.entra.countRequests();
    const tokens = await Promise.all(Array.from({ length: 25 }, (_, i) => f.entra.mintAccessToken({ signWith: 'unpublished', kid: `garbage-${i}` })));
    const results = await Promise.all(tokens.map((t) => f.login(t)));
    for (const r of results) {
      expect(r.status).toBe(401);
      expect((await r.json()).reason).toBe('unknown_key');
    }
    // the rotation test above used this cooldown's refresh: none at all now
    expect(f.entra.countRequests() - before).toBe(0);
  });

  it('keeps accepting tokens with cached keys while discovery is down', async () => {
    f.entra.setOutage(true);
    try {
      expect((await f.login(await f.entra.mintAccessToken({ user: 'mfa' }))).status).toBe(200);
    } finally {
      f.entra.setOutage(false);
    }
  });
});

describe('the first unknown kid of a cooldown triggers exactly one fetch', () => {
  const f = useLoginFixture();
  it('refreshes once for many unknown kids arriving together', async () => {
    expect((await f.login(await f.entra.mintAccessToken())).status).toBe(200);
    const before = keyFetches(f);
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => f.entra.mintAccessToken({ signWith: 'unpublished', kid: `junk-${i}` })));
    await Promise.all(tokens.map((t) => f.login(t)));
    expect(keyFetches(f) - before).toBe(1);
  });
});

describe('with nothing cached and Entra unreachable', () => {
  const f = useLoginFixture({ beforeServer: (entra) => entra.setOutage(true) });
  it('answers 503 keys_unavailable with its history row', async () => {
    const res = await f.login(await f.entra.mintAccessToken());
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable', reason: 'keys_unavailable' });
    expect(f.lastLoginEvent()).toMatchObject({ outcome: 'refused', reason: 'keys_unavailable', status: 503 });
    f.entra.setOutage(false);
    // the next attempt fetches again and succeeds
    expect((await f.login(await f.entra.mintAccessToken())).status).toBe(200);
  });
});

describe('when SSO is not configured', () => {
  const f = useLoginFixture({ configure: false });
  it('answers 503 sso_not_configured', async () => {
    const res = await f.login(await f.entra.mintAccessToken());
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'sso_not_configured', reason: 'sso_not_configured' });
    expect(f.lastLoginEvent()).toMatchObject({ outcome: 'refused', reason: 'sso_not_configured' });
  });
});

describe('too many refused attempts from one address', () => {
  const f = useLoginFixture({ settings: { loginRateLimitPerMinute: 3 } });
  it("answers 429 too_many_attempts with Retry-After, and counts the attempt into the address's summary row (written at shutdown at the latest)", async () => {
    for (let i = 0; i < 3; i++) expect((await f.login('bad.token.here')).status).toBe(401);
    const res = await f.login(await f.entra.mintAccessToken());
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ error: 'rate_limited', reason: 'too_many_attempts' });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(f.loginEventCount()).toBe(3);
    await f.restart();
    expect(f.lastLoginEvent()).toMatchObject({ outcome: 'refused', reason: 'too_many_attempts', status: 429, attempts: 1, lastTs: expect.any(Number) });
  });
});

describe('after a restart during an Entra outage', () => {
  const f = useLoginFixture();
  it('still accepts tokens with the keys saved in the database', async () => {
    expect((await f.login(await f.entra.mintAccessToken())).status).toBe(200);
    f.entra.setOutage(true);
    try {
      await f.restart();
      const res = await f.login(await f.entra.mintAccessToken({ user: 'mfa' }));
      expect(res.status).toBe(200);
    } finally {
      f.entra.setOutage(false);
    }
  });
});
