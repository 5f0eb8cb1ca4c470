import { afterEach, describe, expect, it, vi } from 'vitest';
import { discoveryCache } from '@/db/schema';
import { freshProcessState } from '@/test/support/process-state';
import { useValidatorFixture } from '@/test/support/validator-fixture';
import { KEY_REFRESH_INTERVAL_MS, keyHealth, UNKNOWN_KID_COOLDOWN_MS } from './metadata';

afterEach(() => {
  vi.useRealTimers();
});

/** What another instance does when it fetched the key set: the same row this process would save. */
async function saveKeySetAsAnotherInstance(f: ReturnType<typeof useValidatorFixture>, fetchedAt: number): Promise<void> {
  const url = `${f.entra.origin}/${f.entra.tenantId}/discovery/v2.0/keys`;
  const body = await (await fetch(url)).text();
  f.db.insert(discoveryCache).values({ url, body, fetchedAt }).onConflictDoUpdate({ target: discoveryCache.url, set: { body, fetchedAt } }).run();
}

describe('instances share the key cache saved in the database', () => {
  const f = useValidatorFixture();
  const keyFetches = () => f.entra.requests.filter((r) => r.path.endsWith('/keys')).length;
  const allFetches = () => f.entra.requests.length;

  it('takes a key published since its own fetch from the newer key set another instance saved, without fetching it again', async () => {
    expect(await f.verdict(await f.entra.mintAccessToken())).toBe('accepted');
    const kid = await f.entra.addKey({ makeCurrent: true });
    await saveKeySetAsAnotherInstance(f, Date.now() + 1);
    const before = allFetches();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2 });
    expect(await f.verdict(await f.entra.mintAccessToken({ kid }))).toBe('accepted');
    expect(allFetches()).toBe(before);
    expect(keyHealth(f.settings()).keyIds).toContain(kid);
  });

  it('still fetches for an unknown kid the shared copy does not hold either (once per cooldown)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 10 * UNKNOWN_KID_COOLDOWN_MS });
    const before = keyFetches();
    expect(await f.verdict(await f.entra.mintAccessToken({ signWith: 'unpublished', kid: 'nowhere' }))).toBe('unknown_key');
    expect(keyFetches()).toBe(before + 1);
  });

  it('starts from a fresh shared copy without any fetch, but goes to the network when the copy is older than the refresh interval', async () => {
    expect(await f.verdict(await f.entra.mintAccessToken())).toBe('accepted');
    freshProcessState();
    const before = allFetches();
    expect(await f.verdict(await f.entra.mintAccessToken())).toBe('accepted');
    expect(allFetches()).toBe(before);
    f.db
      .update(discoveryCache)
      .set({ fetchedAt: Date.now() - KEY_REFRESH_INTERVAL_MS - 1 })
      .run();
    freshProcessState();
    expect(await f.verdict(await f.entra.mintAccessToken())).toBe('accepted');
    // discovery v2 and v1, and the key set
    expect(allFetches()).toBe(before + 3);
    expect(keyHealth(f.settings()).source).toBe('network');
  });
});
