import 'server-only';
import { registerBackgroundTask, type BackgroundTask } from '@/server/background';
import { log } from '@/server/lib/log';
import type { Db } from '@/db/client';
import { chainHeads, formatHeads, headNames } from '@/server/audit/heads';
import { purgeExpiredAuditEvents } from './retention';

/** How often the server purges expired audit events (and once at start). */
export const RETENTION_INTERVAL_MS = 60 * 60 * 1000;

/** How often the chain heads are written to the log (at start, then once a day). */
export const HEADS_LOG_INTERVAL_MS = 24 * 60 * 60 * 1000;

/**
 * One info line with both chain heads, in the form `ice-sso audit verify --expect` takes. A log
 * kept elsewhere (shipped off the host) then detects a cut tail: the database cannot take back
 * what the log already said.
 */
export function logChainHeads(db: Db): void {
  const heads = chainHeads(db);
  log.info('audit chain heads', {
    ...Object.fromEntries(heads.map((h) => [headNames[h.stream], { seq: h.seq, hash: h.hash }])),
    expect: formatHeads(heads),
  });
}

/** Runs the retention purge at start and every hour, one run at a time; logs the chain heads after the run at start and once a day. */
export const auditRetentionTask: BackgroundTask = {
  name: 'audit-retention',
  once: true,
  start(db) {
    let running: Promise<void> | null = null;
    let headsLoggedAt = -Infinity;
    const run = () => {
      if (running) return;
      running = purgeExpiredAuditEvents(db)
        .then((r) => {
          if (r.login.purged || r.change.purged)
            log.info('audit retention purged expired events', { login: r.login.purged, change: r.change.purged, retentionDays: r.retentionDays });
          for (const stream of ['login', 'change'] as const) {
            const refused = r[stream].refused;
            if (refused) log.error('audit retention kept events that do not verify', { stream, id: refused.id });
          }
        })
        .catch((err: Error) => log.error('audit retention failed', { error: err.message }))
        .then(() => {
          if (Date.now() - headsLoggedAt < HEADS_LOG_INTERVAL_MS) return;
          try {
            logChainHeads(db);
            headsLoggedAt = Date.now();
          } catch (err) {
            log.error('could not read the audit chain heads', { error: (err as Error).message });
          }
        })
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
