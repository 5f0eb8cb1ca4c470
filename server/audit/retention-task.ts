import 'server-only';
import { registerBackgroundTask, type BackgroundTask } from '@/server/background';
import { log } from '@/server/lib/log';
import { purgeExpiredAuditEvents } from './retention';

/** How often the server purges expired audit events (and once at start). */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/** Runs the retention purge at start and every hour, one run at a time. */
export const auditRetentionTask: BackgroundTask = {
  name: 'audit-retention',
  start(db) {
    let running: Promise<void> | null = null;
    const run = () => {
      if (running) return;
      running = purgeExpiredAuditEvents(db)
        .then((r) => {
          if (r.login.purged || r.change.purged) log.info('audit retention purged expired events', { login: r.login.purged, change: r.change.purged, retentionDays: r.retentionDays });
          for (const stream of ['login', 'change'] as const) {
            const refused = r[stream].refused;
            if (refused) log.error('audit retention kept events that do not verify', { stream, id: refused.id });
          }
        })
        .catch((err: Error) => log.error('audit retention failed', { error: err.message }))
        .finally(() => {
          running = null;
        });
    };
    const first = setTimeout(run, 0);
    const timer = setInterval(run, RETENTION_INTERVAL_MS);
    first.unref();
    timer.unref();
    return async () => {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    };
  },
};

registerBackgroundTask(auditRetentionTask);
