import { afterEach, describe, expect, it, vi } from 'vitest';
import { getSettings, updateSettings } from '@/server/settings/service';
import { useValidatorFixture } from '@/test/support/validator-fixture';
import { KEY_REFRESH_INTERVAL_MS, keyHealth } from './metadata';
import { entraKeyRefreshTask } from './refresh-task';

afterEach(() => {
  vi.useRealTimers();
});

/** Polls with the real setTimeout: vi.waitFor would advance the faked interval timer while it waits. */
async function until(check: () => boolean, ms = 5_000): Promise<void> {
  for (const end = performance.now() + ms; !check();) {
    if (performance.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the background key refresh keeps keys warm off the request path', () => {
  const f = useValidatorFixture();
  const discovery = () => f.entra.countRequests(`/${f.entra.tenantId}/v2.0/.well-known`);
  const save = (patch: Record<string, unknown>) => {
    updateSettings(f.db, patch, { kind: 'cli', name: 'test' });
    getSettings(f.db);
  };

  it('fetches nothing while SSO is off, then fetches when the settings are enabled, and every minute while failing, until stopped', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    save({ cloud: 'custom', authorityHost: f.entra.authorityHost, tenantId: f.entra.tenantId, clientId: f.entra.clientId, enabled: false });
    const stop = entraKeyRefreshTask.start(f.db)!;
    try {
      await new Promise((r) => setTimeout(r, 50));
      expect(discovery()).toBe(0);
      vi.advanceTimersByTime(60_000);
      await new Promise((r) => setTimeout(r, 50));
      expect(discovery()).toBe(0);
      f.entra.setOutage(true);
      save({ enabled: true });
      await until(() => /503/.test(keyHealth(f.settings()).lastError ?? ''));
      await new Promise((r) => setTimeout(r, 50));
      const failed = discovery();
      expect(failed).toBeGreaterThanOrEqual(1);
      f.entra.setOutage(false);
      vi.advanceTimersByTime(59_999);
      await new Promise((r) => setTimeout(r, 50));
      expect(discovery()).toBe(failed);
      vi.advanceTimersByTime(1);
      await until(() => keyHealth(f.settings()).source === 'network');
      expect(discovery()).toBe(failed + 1);
      // fresh and healthy: a tick fetches nothing
      vi.advanceTimersByTime(60_000);
      await new Promise((r) => setTimeout(r, 50));
      expect(discovery()).toBe(failed + 1);
    } finally {
      await stop();
    }
    const stopped = discovery();
    save({ clockSkewSeconds: 120 });
    f.entra.setOutage(true);
    try {
      vi.advanceTimersByTime(120_000);
      await new Promise((r) => setTimeout(r, 50));
      expect(discovery()).toBe(stopped);
    } finally {
      f.entra.setOutage(false);
    }
  });

  it('refetches at the next tick when a refresh failed after the last good one', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const stop = entraKeyRefreshTask.start(f.db)!;
    try {
      await new Promise((r) => setTimeout(r, 50));
      const before = discovery();
      vi.advanceTimersByTime(60_000);
      await new Promise((r) => setTimeout(r, 50));
      expect(discovery()).toBe(before);
      f.entra.setOutage(true);
      const { refreshSigningMaterial } = await import('./metadata');
      await new Promise((r) => setTimeout(r, 5));
      await refreshSigningMaterial(f.db, f.settings()).catch(() => undefined);
      f.entra.setOutage(false);
      expect(keyHealth(f.settings()).source).toBe('network');
      vi.advanceTimersByTime(60_000);
      await until(() => discovery() === before + 2);
      await until(() => (keyHealth(f.settings()).lastKeyFetchAt ?? 0) > (keyHealth(f.settings()).lastErrorAt ?? 0));
      vi.advanceTimersByTime(60_000);
      await new Promise((r) => setTimeout(r, 50));
      expect(discovery()).toBe(before + 2);
    } finally {
      await stop();
    }
  });

  it('refetches keys once they are older than a day', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: Date.now() });
    const stop = entraKeyRefreshTask.start(f.db)!;
    try {
      await new Promise((r) => setTimeout(r, 50));
      const before = discovery();
      const fetchedAt = keyHealth(f.settings()).lastKeyFetchAt!;
      // the tick runs 60 s after the clock is set: at exactly a day old, then a minute later
      vi.setSystemTime(fetchedAt + KEY_REFRESH_INTERVAL_MS - 60_000);
      vi.advanceTimersByTime(60_000);
      await new Promise((r) => setTimeout(r, 50));
      expect(discovery()).toBe(before);
      vi.advanceTimersByTime(60_000);
      await until(() => discovery() === before + 1);
      await new Promise((r) => setTimeout(r, 50));
      expect(discovery()).toBe(before + 1);
    } finally {
      await stop();
    }
  });
});
