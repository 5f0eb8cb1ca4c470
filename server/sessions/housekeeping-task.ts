import 'server-only';
import type { BackgroundTask } from '@/server/background';
import { log } from '@/server/lib/log';
import { purgeExpired } from './sessions';

/** Forgets used token IDs past their expiry and sessions that ended over a week ago, hourly. */
export const sessionHousekeepingTask: BackgroundTask = {
  name: 'session-housekeeping',
  start(db) {
    const run = () => {
      try {
        const n = purgeExpired(db);
        if (n.tokenIds || n.sessions) log.info('expired sessions and token IDs purged', n);
      } catch (err) {
        log.warn('session housekeeping failed', { error: (err as Error).message });
      }
    };
    run();
    const timer = setInterval(run, 3600_000);
    timer.unref();
    return () => clearInterval(timer);
  },
};
