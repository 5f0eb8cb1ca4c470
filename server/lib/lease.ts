import 'server-only';
import crypto from 'node:crypto';
import os from 'node:os';
import { and, eq, lte, or } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { leases } from '@/db/schema';
import { withoutBusyWait } from '@/db/transaction';
import { log } from '@/server/lib/log';

/** How long a lease holds without renewal: a killed holder's work resumes elsewhere at most this late. */
export const LEASE_MS = 10_000;
/** How often the holder renews, and every other instance tries to take over. */
export const LEASE_RENEW_MS = 3_000;

const ID = Symbol.for('ice-sso.instance-id');
type G = typeof globalThis & { [ID]?: string };

/**
 * This process's name as a lease holder: host, process id and a random part (a new process
 * with a reused pid is a new holder). Kept on `globalThis`: Next bundles its own copy of modules.
 */
export function instanceId(): string {
  const g = globalThis as G;
  return (g[ID] ??= `${os.hostname()}/${process.pid}/${crypto.randomBytes(4).toString('hex')}`);
}

/**
 * Takes the lease `name` for `holder` until `now + ttlMs`, or renews it: one upsert that
 * succeeds only when the lease is free, expired or already the holder's, so two instances
 * can never both hold it (atomic on SQLite and PostgreSQL alike). True when `holder` holds it.
 */
export function tryAcquireLease(db: Db, name: string, holder: string, ttlMs: number, now = Date.now()): boolean {
  const row = db
    .insert(leases)
    .values({ name, holder, expiresAt: now + ttlMs })
    .onConflictDoUpdate({
      target: leases.name,
      set: { holder, expiresAt: now + ttlMs },
      setWhere: or(eq(leases.holder, holder), lte(leases.expiresAt, now)),
    })
    .returning({ holder: leases.holder })
    .get();
  return row?.holder === holder;
}

/** Gives the lease up (a clean stop): another instance takes it at its next try, not after expiry. */
export function releaseLease(db: Db, name: string, holder: string): void {
  db.delete(leases)
    .where(and(eq(leases.name, name), eq(leases.holder, holder)))
    .run();
}

/** Who holds `name` now, or null (tests, diagnostics). */
export function leaseHolder(db: Db, name: string, now = Date.now()): string | null {
  const row = db.select().from(leases).where(eq(leases.name, name)).get();
  return row && row.expiresAt > now ? row.holder : null;
}

export interface LeaderOptions {
  name: string;
  holder?: string;
  ttlMs?: number;
  renewMs?: number;
  /** Runs when this process becomes the holder; returns the function that stops the work again. */
  lead: () => () => void | Promise<void>;
}

/**
 * Runs `lead` while this process holds the lease: tries at once and every `renewMs`, starts the
 * work when the lease is won and stops it when a renewal fails past the lease's own expiry (the
 * database unreachable, or the lease taken after this process stalled). Returns the function that
 * stops the work and releases the lease.
 */
export function runWhileLeader(db: Db, opts: LeaderOptions): () => Promise<void> {
  const holder = opts.holder ?? instanceId();
  const ttl = opts.ttlMs ?? LEASE_MS;
  let stopWork: (() => void | Promise<void>) | null = null;
  let heldUntil = 0;
  let stopped = false;

  const resign = () => {
    const stop = stopWork;
    stopWork = null;
    if (stop) void Promise.resolve(stop()).catch(() => undefined);
  };
  const attempt = () => {
    if (stopped) return;
    const now = Date.now();
    let held: boolean;
    try {
      // never wait behind another process's write lock: a renewal that cannot run now runs at the next tick
      held = withoutBusyWait(db, () => tryAcquireLease(db, opts.name, holder, ttl, now));
      if (held) heldUntil = now + ttl;
    } catch (err) {
      // cannot tell: keep leading until the lease would have run out, not a moment longer
      held = now < heldUntil;
      log.warn('lease renewal failed', { lease: opts.name, error: (err as Error).message });
    }
    if (held && !stopWork) {
      log.info('this instance now leads background work', { lease: opts.name, holder });
      try {
        stopWork = opts.lead();
      } catch (err) {
        log.error('background work failed to start', { lease: opts.name, error: (err as Error).message });
      }
    } else if (!held && stopWork) {
      log.warn('this instance no longer leads background work', { lease: opts.name, holder });
      resign();
    }
  };
  attempt();
  const timer = setInterval(attempt, opts.renewMs ?? LEASE_RENEW_MS);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    const stop = stopWork;
    stopWork = null;
    if (stop) await stop();
    try {
      releaseLease(db, opts.name, holder);
    } catch {
      // it expires by itself
    }
  };
}
