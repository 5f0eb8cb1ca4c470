import 'server-only';
import type { BackgroundTask } from '@/server/background';
import { getSettings, onSettingsChange } from '@/server/settings/service';
import { KEY_REFRESH_INTERVAL_MS, keyHealth, refreshSigningMaterial } from './metadata';

const TICK_MS = 60_000;

/**
 * Keeps the tenant's discovery documents and keys warm off the request path: at start, on
 * every settings change, once a day (as Microsoft advises), and every minute while the last
 * fetch failed or only the database copy is at hand.
 */
export const entraKeyRefreshTask: BackgroundTask = {
  name: 'entra-key-refresh',
  once: true,
  start(db) {
    let stopped = false;
    const tick = () => {
      if (stopped) return;
      const s = getSettings(db).effective;
      if (!s.enabled || !s.complete) return;
      const h = keyHealth(s);
      const stale = !h.lastKeyFetchAt || Date.now() - h.lastKeyFetchAt > KEY_REFRESH_INTERVAL_MS;
      const failing = h.source !== 'network' || (h.lastErrorAt !== null && h.lastErrorAt > (h.lastKeyFetchAt ?? 0));
      if (stale || failing) void refreshSigningMaterial(db, s).catch(() => undefined);
    };
    const timer = setInterval(tick, TICK_MS);
    timer.unref();
    const off = onSettingsChange(db, () => setImmediate(tick));
    tick();
    return () => {
      stopped = true;
      clearInterval(timer);
      off();
    };
  },
};
