import 'server-only';
import type { Db } from '@/db/client';
import { isBridgeClient } from '@/db/pg-bridge';
import { databaseFaultCode, DatabaseUnavailableError } from './database-fault';
import { databaseProbe } from './database-probe';
import { log } from './log';
import { countDatabaseError, registerGauge } from './metrics';

/** How often, while the database is out, the process checks whether it is back. */
export const RECOVERY_PROBE_MS = 500;

/** Since when, and with which driver code, this process finds its database unusable. */
export interface Outage {
  since: number;
  code: string;
}

interface State {
  outage: Outage | null;
  timer: ReturnType<typeof setInterval> | null;
}

const KEY = Symbol.for('ice-sso.database-outage');
type G = typeof globalThis & { [KEY]?: State };
const state = (): State => ((globalThis as G)[KEY] ??= { outage: null, timer: null });

registerGauge('ice_sso_database_available', 'Whether this process can use its database (1) or is in an outage (0).', () => (state().outage ? 0 : 1));

/**
 * The current outage, or null while the database answers. Logins check it first and answer
 * 503 `database_unavailable` at once instead of each waiting the busy timeout again.
 */
export function databaseOutage(): Outage | null {
  return state().outage;
}

/**
 * What a caller does with an error it caught: when it is a database fault, counts it
 * (`ice_sso_database_errors_total`), and, given the database, opens an outage that a probe
 * closes by itself as soon as the database answers again (every {@link RECOVERY_PROBE_MS},
 * without blocking). Returns the {@link DatabaseUnavailableError} to answer with, or null
 * when `err` is no database fault.
 */
export function noteDatabaseFault(err: unknown, db?: Db): DatabaseUnavailableError | null {
  const code = databaseFaultCode(err);
  if (code === null) return null;
  countDatabaseError(code);
  if (db) openOutage(db, code);
  return new DatabaseUnavailableError(err);
}

/**
 * Opens the outage from any statement the database did not answer in time (PostgreSQL's bridge
 * waits at most 4 s), not only from the request paths that note their faults: a background task
 * that met a black hole first would otherwise leave /readyz to find it again with its own probe.
 */
export function watchUnansweredStatements(db: Db): void {
  // SQLite answers or fails at once (its busy timeout is a fault the caller notes): only the bridge can leave a statement unanswered
  if (isBridgeClient(db.$client)) db.$client.onUnanswered = (err) => void noteDatabaseFault(err, db);
}

function openOutage(db: Db, code: string): void {
  const s = state();
  if (s.outage) return;
  s.outage = { since: Date.now(), code };
  log.error('database unavailable: answering 503 database_unavailable until it answers again', { code });
  const probe = databaseProbe(db);
  let probing = false;
  s.timer = setInterval(() => {
    if (probing) return;
    probing = true;
    void probe
      .writable(0)
      .then(
        (r) => {
          if (r.ok) closeOutage();
        },
        // a probe that throws (a handle closed under it) is a database that does not answer yet
        () => undefined,
      )
      .finally(() => (probing = false));
  }, RECOVERY_PROBE_MS);
  s.timer.unref();
}

function closeOutage(): void {
  const s = state();
  if (!s.outage) return;
  log.warn('database available again', { code: s.outage.code, downMs: Date.now() - s.outage.since });
  s.outage = null;
  if (s.timer) clearInterval(s.timer);
  s.timer = null;
}
