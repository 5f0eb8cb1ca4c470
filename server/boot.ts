import 'server-only';
import { getDb } from '@/db/client';
import { auditRetentionTask } from '@/server/audit-reports/retention-task';
import { startBackgroundServices } from '@/server/background';
import { watchUnansweredStatements } from '@/server/lib/database-outage';
import { entraKeyRefreshTask } from '@/server/entra/refresh-task';
import { groupNamesTask } from '@/server/graph/group-names-task';
import { leaversTask } from '@/server/graph/leavers-task';
import { sessionHousekeepingTask } from '@/server/sessions/housekeeping-task';
import { settingsNotifyTask } from '@/server/settings/notify-task';
import { announceSetupLinkIfNeeded } from '@/server/sessions/setup-link';

const BOOTED = Symbol.for('ice-sso.booted');
type G = typeof globalThis & { [BOOTED]?: () => Promise<void> };

/**
 * Work that runs beside a serving process, started once per process whichever way it was
 * started (`npm start`'s server or plain `next start` through instrumentation.ts): the setup
 * link while no local admin exists, the WAL checkpointer, key refresh, session housekeeping
 * and audit retention. Returns the function that stops it.
 */
export function bootBackground(): () => Promise<void> {
  const g = globalThis as G;
  if (g[BOOTED]) return g[BOOTED];
  let stop: () => Promise<void> = async () => undefined;
  g[BOOTED] = () => stop();
  watchUnansweredStatements(getDb());
  announceSetupLinkIfNeeded(getDb());
  stop = startBackgroundServices(getDb(), [
    entraKeyRefreshTask,
    sessionHousekeepingTask,
    auditRetentionTask,
    groupNamesTask(),
    leaversTask(),
    settingsNotifyTask,
  ]);
  return g[BOOTED];
}

/**
 * Marks this thread as one whose process runs the background work elsewhere (the console
 * thread: the main thread runs it), so that Next's instrumentation hook boots nothing here.
 */
export function markBackgroundElsewhere(): void {
  (globalThis as G)[BOOTED] ??= async () => undefined;
}
