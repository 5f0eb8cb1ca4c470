import 'server-only';
import type { BackgroundTask } from '@/server/background';
import { withoutBusyWait } from '@/db/transaction';
import { log } from '@/server/lib/log';
import { purgeRefusalWindows } from './rate-limit';
import { purgeExpired } from './sessions';

/** How often the refused-login windows that ended are deleted (they live a minute). */
export const REFUSAL_WINDOWS_PURGE_MS = 60_000;

/**
 * Forgets used token IDs past their expiry and sessions that ended over a week ago, hourly, and
 * the refused-login windows that ended, every minute. Once per deployment (the background leader).
 */
export const sessionHousekeepingTask: BackgroundTask = {
  name: 'session-housekeeping',
  once: true,
  start(db) {
    const run = () => {
      try {
        const n = purgeExpired(db);
        if (n.tokenIds || n.sessions) log.info('expired sessions and token IDs purged', n);
      } catch (err) {
        log.warn('session housekeeping failed', { error: (err as Error).message });
      }
    };
    const purgeWindows = () => {
      try {
        withoutBusyWait(db, () => purgeRefusalWindows(db));
      } catch (err) {
        log.warn('could not purge refused-login windows', { error: (err as Error).message });
      }
    };
    run();
    purgeWindows();
    const timer = setInterval(run, 3600_000);
    const windowsTimer = setInterval(purgeWindows, REFUSAL_WINDOWS_PURGE_MS);
    timer.unref();
    windowsTimer.unref();
    return () => {
      clearInterval(timer);
      clearInterval(windowsTimer);
    };
  },
};
