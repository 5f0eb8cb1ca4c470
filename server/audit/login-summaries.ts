import 'server-only';
import { addressKey } from '@/server/lib/address-key';
import { isPostgres, openDb, type Db } from '@/db/client';
import { writeTransaction } from '@/db/transaction';
import { registerBackgroundTask } from '@/server/background';
import { log } from '@/server/lib/log';
import { recordLoginEvent } from './logins';

/**
 * Summary rows of the login history: attempts refused before validation (by the rate limiter,
 * or malformed requests from an address over the limit) are counted in memory per (address
 * group, reason) for one window, and appended as ONE chained row when the window closes, so a
 * flood cannot fill the database or hold the single writer. A chained row is never edited, so
 * the row is written only once its count is final.
 *
 * A window opens at the first summarised attempt and lasts {@link SUMMARY_WINDOW_MS}. It is
 * closed (its row appended) by whichever comes first: the next attempt of the same key after
 * the window, the sweep timer (every {@link SUMMARY_SWEEP_MS}), the open-window cap
 * ({@link MAX_OPEN_SUMMARIES}: the oldest is closed early), or {@link flushLoginSummaries}
 * at shutdown (and, as a safety net, in the process's 'exit' event). The count is exact; only a
 * process killed outright (SIGKILL, a crash) loses its open windows.
 */
export const SUMMARY_WINDOW_MS = 60_000;
export const SUMMARY_SWEEP_MS = 5_000;
/** Open windows kept in memory at most (a few hundred bytes each). */
export const MAX_OPEN_SUMMARIES = 10_000;

export interface SummarisedAttempt {
  reason: string;
  status: number;
  ip: string | null;
  userAgent: string | null;
}

interface OpenSummary {
  reason: string;
  status: number;
  /** The first address; replaced by the /64 network when IPv6 addresses of one /64 differ. */
  ip: string | null;
  network: string | null;
  userAgent: string | null;
  /** Set when attempts came with different user agents: the row records none. */
  mixedAgents: boolean;
  first: number;
  last: number;
  attempts: number;
}

interface Registry {
  open: Map<Db, Map<string, OpenSummary>>;
  timer: NodeJS.Timeout | null;
  exitHook: boolean;
}

// on globalThis: Next's bundle and the custom server each load this module (docs/platform.md)
const KEY = Symbol.for('ice-sso.login-summaries');
type G = typeof globalThis & { [KEY]?: Registry };
const registry = (): Registry => ((globalThis as G)[KEY] ??= { open: new Map(), timer: null, exitHook: false });

/**
 * The address a summary is kept under: an IPv4 address as it is, an IPv6 address by its /64
 * (as the rate limiter keys them: one host holds a whole /64).
 */
export function summaryAddressGroup(ip: string | null): string | null {
  return ip === null ? null : addressKey(ip);
}

/**
 * Counts one attempt refused before validation into its open summary (see the module comment).
 * Never throws: a failure to append a closed window's row is logged.
 */
export function summariseLoginRefusal(db: Db, attempt: SummarisedAttempt, now = Date.now()): void {
  const reg = registry();
  let open = reg.open.get(db);
  if (!open) reg.open.set(db, (open = new Map()));
  const network = summaryAddressGroup(attempt.ip);
  const key = `${network ?? ''}\n${attempt.reason}`;
  let s = open.get(key);
  if (s && now - s.first >= SUMMARY_WINDOW_MS) {
    open.delete(key);
    append(db, s);
    s = undefined;
  }
  if (s) {
    s.attempts++;
    s.last = Math.max(s.last, now);
    if (s.ip !== attempt.ip) s.ip = network;
    if (!s.mixedAgents && s.userAgent !== attempt.userAgent) {
      s.mixedAgents = true;
      s.userAgent = null;
    }
    return;
  }
  if (open.size >= MAX_OPEN_SUMMARIES) {
    // the oldest window closes early: memory stays bounded, nothing is lost
    const [oldestKey, oldest] = open.entries().next().value as [string, OpenSummary];
    open.delete(oldestKey);
    append(db, oldest);
  }
  open.set(key, {
    reason: attempt.reason,
    status: attempt.status,
    ip: attempt.ip,
    network,
    userAgent: attempt.userAgent,
    mixedAgents: false,
    first: now,
    last: now,
    attempts: 1,
  });
  startSweeping(reg);
}

/**
 * Appends the summary row of every open window now, closed or not (of every database this
 * process wrote to, or of `db` only), and returns how many rows were written. The server's
 * SIGTERM path calls it before closing the database, so that no counted attempt is lost; it
 * is synchronous and safe to call more than once. (A background task registered below calls
 * it too when background services stop.)
 */
export function flushLoginSummaries(db?: Db): number {
  const reg = registry();
  let written = 0;
  for (const [d, open] of reg.open) {
    if (db && d !== db) continue;
    for (const [key, s] of open) {
      open.delete(key);
      if (append(d, s)) written++;
    }
    reg.open.delete(d);
  }
  stopSweepingIfIdle(reg);
  return written;
}

/** Attempts counted in windows not yet written (for tests and /metrics). */
export function pendingSummarisedAttempts(db?: Db): number {
  let n = 0;
  for (const [d, open] of registry().open) if (!db || d === db) for (const s of open.values()) n += s.attempts;
  return n;
}

/** Appends the rows of windows that have closed by `now`. */
export function sweepLoginSummaries(now = Date.now()): number {
  const reg = registry();
  let written = 0;
  for (const [d, open] of reg.open) {
    for (const [key, s] of open) {
      if (now - s.first < SUMMARY_WINDOW_MS) continue;
      open.delete(key);
      if (append(d, s)) written++;
    }
    if (open.size === 0) reg.open.delete(d);
  }
  stopSweepingIfIdle(reg);
  return written;
}

function append(target: Db, s: OpenSummary): boolean {
  let db = target;
  try {
    // at exit the server may have closed its handle already: write through a connection of our own
    if (!db.$client.open && !isPostgres(db)) db = openDb(db.$client.name, { migrate: false });
    writeTransaction(db, () =>
      recordLoginEvent(
        db,
        { outcome: 'refused', reason: s.reason, status: s.status, ip: s.ip, userAgent: s.userAgent, attempts: s.attempts, lastTs: s.last },
        s.first,
      ),
    );
    return true;
  } catch (err) {
    log.error('could not record a login summary', { error: (err as Error).message, reason: s.reason, attempts: s.attempts, ip: s.ip });
    return false;
  } finally {
    if (db !== target) db.$client.close();
  }
}

function startSweeping(reg: Registry): void {
  if (!reg.exitHook) {
    // a safety net for a shutdown path that does not call flushLoginSummaries (better-sqlite3 is synchronous: it can write in 'exit')
    reg.exitHook = true;
    process.once('exit', () => flushLoginSummaries());
  }
  if (reg.timer) return;
  reg.timer = setInterval(() => sweepLoginSummaries(), SUMMARY_SWEEP_MS);
  reg.timer.unref();
}

function stopSweepingIfIdle(reg: Registry): void {
  if (reg.open.size > 0 || !reg.timer) return;
  clearInterval(reg.timer);
  reg.timer = null;
}

registerBackgroundTask({
  name: 'login-summaries',
  start: () => () => {
    flushLoginSummaries();
  },
});
